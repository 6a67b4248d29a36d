"""Load test: N concurrent readers through nginx, for 1 replica and for 2 (`make bench`).

Loopback only. Each reader loads the page, waits for the first map data, then changes the
initiative filter 5 times with ~2 s think time (bench/st_client.py speaks Streamlit's
websocket protocol). Bounded: at most 100 readers, each N under a time limit; every process
it starts (nginx, replicas) is stopped by pid at the end, whatever happens.
Goal: 100 sessions, 0 errors, p95 filter round trip <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import random
import socket
import sys
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from st_client import Reader  # noqa: E402

from deploy.settings import ServeSettings  # noqa: E402
from deploy.supervisor import Supervisor  # noqa: E402

SESSIONS = (10, 25, 50, 100)
GOAL_SESSIONS, GOAL_P95_S = 100, 1.0
TIME_LIMIT_S = 120  # per N


@dataclass
class LoadResult:
    sessions: int
    replicas: int
    errors: list[str] = field(default_factory=list)
    first_map: list[float] = field(default_factory=list)
    filter_trips: list[float] = field(default_factory=list)
    rss_before_mb: list[float] = field(default_factory=list)
    rss_after_mb: list[float] = field(default_factory=list)


def free_ports(count: int) -> list[int]:
    """``count`` consecutive free loopback ports (the replicas need a contiguous range)."""
    for _ in range(50):
        base = random.randint(20_000, 60_000)
        try:
            for port in range(base, base + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return list(range(base, base + count))
        except OSError:
            continue
    raise RuntimeError("no free port range")


@contextmanager
def running_stack(replicas: int, env: dict | None = None, log=lambda *_: None):
    """nginx + ``replicas`` replicas with the health checker; yields the Supervisor."""
    ports = free_ports(replicas + 1)
    settings = ServeSettings(port=ports[0], replicas=replicas, first_replica_port=ports[1])
    supervisor = Supervisor(settings, root=ROOT, env=env, log=log)
    try:
        supervisor.start()
        supervisor.watch_in_thread()
        yield supervisor
    finally:
        supervisor.stop()


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run_async(coroutine):
    """asyncio.run, in a thread of its own when this thread already runs a loop (the test
    suite's Playwright does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def one_reader(base: str, changes: int, think_s: float, result: LoadResult) -> None:
    reader = Reader(base)
    try:
        await asyncio.sleep(random.uniform(0, 1))  # readers arrive within a second
        await reader.open()
        first = await reader.rerun()
        if first.map_seconds is None:
            raise RuntimeError("no map in the first run")
        result.first_map.append(first.map_seconds)
        result.errors.extend(first.errors)
        for i in range(changes):
            await asyncio.sleep(random.uniform(0.8, 1.2) * think_s)
            options = reader.filter_options
            run = await reader.rerun(options[: 1 + i % len(options)] if options else None)
            result.filter_trips.append(run.seconds)
            result.errors.extend(run.errors)
    except Exception as err:
        result.errors.append(f"{type(err).__name__}: {err}")
    finally:
        with suppress(Exception):  # closing a broken socket
            await reader.close()


async def load(base: str, sessions: int, changes: int, think_s: float, result: LoadResult):
    tasks = [one_reader(base, changes, think_s, result) for _ in range(sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), TIME_LIMIT_S)
    except TimeoutError:
        unfinished = sessions - len(result.first_map)
        result.errors.append(f"time limit {TIME_LIMIT_S} s reached ({unfinished} without a map)")


def measure(supervisor: Supervisor, sessions: int, changes: int = 5, think_s: float = 2.0):
    result = LoadResult(sessions, len(supervisor.replicas))
    pids = [r.process.pid for r in supervisor.replicas]
    result.rss_before_mb = [rss_mb(pid) for pid in pids]
    base = f"http://127.0.0.1:{supervisor.settings.port}"
    run_async(load(base, sessions, changes, think_s, result))
    result.rss_after_mb = [rss_mb(pid) for pid in pids]
    return result


def warm(supervisor: Supervisor) -> None:
    """One run on each replica directly, so no N pays for a cold cache."""

    async def once(port: int) -> None:
        reader = Reader(f"http://127.0.0.1:{port}")
        await reader.open()
        await reader.rerun()
        await reader.close()

    for replica in supervisor.replicas:
        run_async(once(replica.port))


def row(result: LoadResult) -> str:
    rss = " ".join(
        f"{a:.0f}->{b:.0f}" for a, b in zip(result.rss_before_mb, result.rss_after_mb, strict=True)
    )
    return (
        f"{result.sessions:>4} {result.replicas:>8} {len(result.errors):>6} "
        f"{percentile(result.first_map, 0.5):>8.2f} {percentile(result.first_map, 0.95):>8.2f} "
        f"{percentile(result.filter_trips, 0.95):>10.2f}   {rss}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=list(SESSIONS))
    parser.add_argument("--replicas", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    if max(args.sessions) > GOAL_SESSIONS:
        parser.error(f"at most {GOAL_SESSIONS} sessions")
    print("Loopback, machine shared with other engineers' test runs (2 cores): figures vary.")
    print("   N replicas errors  p50 map  p95 map p95 filter   RSS MB per replica before->after")
    goal = None
    for replicas in args.replicas:
        with running_stack(replicas) as supervisor:
            warm(supervisor)
            for sessions in args.sessions:
                result = measure(supervisor, sessions)
                print(row(result), flush=True)
                for error in sorted(set(result.errors))[:3]:
                    print(f"       error: {error[:160]}")
                if sessions == GOAL_SESSIONS:
                    ok = not result.errors and percentile(result.filter_trips, 0.95) <= GOAL_P95_S
                    goal = ok if goal is None else goal or ok
    if goal is not None:
        verdict = "MET" if goal else "NOT MET"
        print(f"Goal ({GOAL_SESSIONS} sessions, 0 errors, p95 filter <= {GOAL_P95_S} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
