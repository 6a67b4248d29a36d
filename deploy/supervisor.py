"""Start nginx and the replicas, check each replica's health, stop everything by pid.

Open-source nginx only checks passively (max_fails); the `Supervisor` adds the active check:
every `health_interval_s` it polls each replica's /_stcore/health; after
`failures_to_remove` failures in a row the replica is marked `down` in the config and nginx
reloads (SIGHUP to the master we started); a replica whose process has died is restarted;
a replica healthy again is put back.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy import nginx
from deploy.settings import ServeSettings, replica_command

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parent.parent


def healthy(port: int, timeout: float) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/_stcore/health"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def stop_process(process: subprocess.Popen | None, grace_s: float = 10) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``; only this process, by its pid."""
    if process is None or process.poll() is not None:
        return
    with_cont = [signal.SIGCONT, signal.SIGTERM]  # a paused (SIGSTOP) child must wake to exit
    for sig in with_cont:
        try:
            os.kill(process.pid, sig)
        except ProcessLookupError:
            return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Replica:
    port: int
    process: subprocess.Popen | None = None
    failures: int = 0
    down: bool = True  # until its first healthy answer
    restarts: int = 0


@dataclass
class Supervisor:
    settings: ServeSettings
    root: Path = ROOT
    env: dict | None = None
    prefix: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="france-ai-serve-")))
    log: object = print
    nginx_process: subprocess.Popen | None = None
    replicas: list[Replica] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.replicas = [Replica(port) for port in self.settings.replica_ports()]
        self._stop = threading.Event()

    # --- processes ---------------------------------------------------------------------

    def start_replica(self, replica: Replica) -> None:
        log = (self.prefix / f"replica-{replica.port}.log").open("a")
        replica.process = subprocess.Popen(
            replica_command(self.settings, replica.port),
            cwd=self.root,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def start(self, wait_s: float = 60) -> None:
        """Replicas first, nginx once at least one answers (or after ``wait_s``)."""
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # workers run as nobody: let them reach their temp paths
            os.chmod(self.prefix, 0o755)
        for replica in self.replicas:
            self.start_replica(replica)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and not self._all_answered():
            time.sleep(0.2)
        self.write_config()
        command = [NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")]
        self.nginx_process = subprocess.Popen(command, cwd=self.prefix)
        self._wait_proxy(deadline=time.monotonic() + 10)

    def _all_answered(self) -> bool:
        for replica in self.replicas:
            if replica.down and healthy(replica.port, self.settings.health_timeout_s):
                replica.down = False
        return not any(replica.down for replica in self.replicas)

    def _wait_proxy(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.nginx_process.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.prefix / 'error.log'}")
            if healthy(self.settings.port, 1):
                return
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer on port {self.settings.port}")

    def stop(self) -> None:
        self._stop.set()
        stop_process(self.nginx_process)
        for replica in self.replicas:
            stop_process(replica.process)

    # --- config ------------------------------------------------------------------------

    def down_ports(self) -> frozenset[int]:
        down = frozenset(r.port for r in self.replicas if r.down)
        # nginx refuses an upstream with every server down: keep them all then.
        return frozenset() if len(down) == len(self.replicas) else down

    def write_config(self) -> None:
        text = nginx.render(self.settings, self.prefix, self.down_ports())
        path = self.prefix / "nginx.conf"
        path.with_suffix(".tmp").write_text(text)
        path.with_suffix(".tmp").replace(path)

    def reload(self, wait_s: float = 5) -> None:
        """New config, SIGHUP (`nginx -s reload`) to our master; returns once the new workers
        run (at most ``wait_s``), so a request sent after this uses the new upstream."""
        self.write_config()
        if self.nginx_process is None or self.nginx_process.poll() is not None:
            return
        before = self._workers()
        os.kill(self.nginx_process.pid, signal.SIGHUP)
        deadline = time.monotonic() + wait_s
        # New workers up and, unless they still hold readers' sockets, old ones gone (an old
        # worker still accepting would route by the old upstream).
        while time.monotonic() < deadline:
            workers = self._workers()
            if workers - before and not workers & before:
                return
            time.sleep(0.05)

    def _workers(self) -> set[int]:
        pid = self.nginx_process.pid
        try:
            return set(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
        except OSError:
            return set()

    # --- health ------------------------------------------------------------------------

    def check_once(self) -> bool:
        """One round of checks; True when the upstream changed (and nginx was reloaded)."""
        before = self.down_ports()
        for replica in self.replicas:
            self._check(replica)
        if self.down_ports() != before:
            self.log(f"serve: replicas down: {sorted(self.down_ports()) or 'none'}")
            self.reload()
            return True
        return False

    def _check(self, replica: Replica) -> None:
        if replica.process is not None and replica.process.poll() is not None:
            self.log(
                f"serve: replica {replica.port} exited ({replica.process.returncode}), restarting"
            )
            replica.down, replica.failures = True, 0
            replica.restarts += 1
            self.start_replica(replica)
            return
        if healthy(replica.port, self.settings.health_timeout_s):
            replica.failures, replica.down = 0, False
            return
        replica.failures += 1
        if replica.failures >= self.settings.failures_to_remove:
            replica.down = True

    def watch(self) -> None:
        """Check until stop() (or nginx dies)."""
        while not self._stop.wait(self.settings.health_interval_s):
            if self.nginx_process is not None and self.nginx_process.poll() is not None:
                self.log("serve: nginx exited; stopping")
                return
            self.check_once()

    def watch_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.watch, name="health-checker", daemon=True)
        thread.start()
        return thread
