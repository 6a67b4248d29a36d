"""`make serve`: the generated nginx config, the supervisor, a short load test, faults.

The stack tests start real nginx and Streamlit replicas on free loopback ports; every
process is stopped by pid in the fixtures' finally blocks (bench.bench_load.running_stack).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from helpers import copy_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import measure, percentile, running_stack  # noqa: E402
from st_client import Reader  # noqa: E402

from deploy import nginx  # noqa: E402
from deploy.settings import (  # noqa: E402
    ServeSettings,
    load_settings,
    replica_command,
    streamlit_production_flags,
)
from deploy.supervisor import NGINX, Supervisor  # noqa: E402
from geo.core.dataset import load_dataset  # noqa: E402
from geo.core.errors import DataError  # noqa: E402

LINK = "initiative=skilling"

# --- settings and config (no processes) ------------------------------------------------


def test_settings_come_from_toml_then_environment(tmp_path):
    toml = tmp_path / "serve.toml"
    toml.write_text("port = 9000\nupload_limit_mb = 7\n")
    settings = load_settings(toml, env={"REPLICAS": "3"})
    assert (settings.port, settings.replicas, settings.upload_limit_mb) == (9000, 3, 7)
    assert load_settings(toml, env={"PORT": "9100"}).port == 9100


def test_served_upload_limit_matches_what_the_readers_take():
    # A reader's file refused by nginx or Streamlit before the readers see it would get no
    # message naming the limit: the served limits are the readers' limit.
    from geo.core.userdata.model import MAX_UPLOAD_BYTES

    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    assert load_settings(env={}).upload_limit_mb == limit_mb
    assert ServeSettings().upload_limit_mb == limit_mb
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limit_mb


def test_unknown_setting_is_refused(tmp_path):
    toml = tmp_path / "serve.toml"
    toml.write_text("prot = 9000\n")
    with pytest.raises(ValueError, match="prot"):
        load_settings(toml, env={})


def test_streamlit_production_flags_are_in_every_replica_command():
    settings = ServeSettings(upload_limit_mb=4)
    flags = dict(zip(*[iter(streamlit_production_flags(settings))] * 2, strict=True))
    assert flags["--server.enableXsrfProtection"] == "true"
    assert flags["--server.enableCORS"] == "false"
    assert flags["--server.maxUploadSize"] == "4"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert flags["--server.headless"] == "true"
    assert flags["--client.showErrorDetails"] == "none"
    command = replica_command(settings, 8601)
    assert command[command.index("--server.port") + 1] == "8601"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"


def assert_nginx_accepts(text: str, prefix: Path) -> None:
    """`nginx -t` on this config, with its prefix (and temp folder) under `prefix`."""
    (prefix / "nginx.conf").write_text(text)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_generated_config_passes_nginx_test(tmp_path):
    settings = ServeSettings(port=18080, replicas=3, first_replica_port=18601)
    (tmp_path / "tmp").mkdir()
    text = nginx.render(settings, tmp_path, down=frozenset({18602}))
    assert_nginx_accepts(text, tmp_path)
    assert "server 127.0.0.1:18602 max_fails=1 fail_timeout=5s down;" in text
    assert "server 127.0.0.1:18601 max_fails=1 fail_timeout=5s;" in text
    assert f"client_max_body_size {settings.upload_limit_mb}m;" in text
    assert settings.upload_limit_mb == 64
    assert "hash $route_key consistent;" in text


def test_config_without_the_brotli_module_still_passes_nginx_test(tmp_path):
    (tmp_path / "tmp").mkdir()
    text = nginx.render(ServeSettings(), tmp_path, brotli_module=tmp_path / "absent.so")
    assert "load_module" not in text
    assert "brotli on;" not in text
    assert_nginx_accepts(text, tmp_path)


def test_every_location_sends_the_security_headers():
    text = nginx.render(ServeSettings(), Path("/tmp/x"))
    locations = text.count("location ")
    assert locations == 4
    assert text.count("add_header Content-Security-Policy") == locations
    assert text.count('add_header X-Content-Type-Options "nosniff"') == locations
    csp = nginx.content_security_policy(ServeSettings())
    assert "img-src 'self' data: blob: https://*.basemaps.cartocdn.com" in csp
    assert "frame-ancestors 'self'" in csp
    assert "http:" not in csp.replace("https://", "")


def test_every_replica_down_keeps_the_upstream_valid(tmp_path):
    supervisor = Supervisor(ServeSettings(replicas=2), prefix=tmp_path)
    assert supervisor.down_ports() == frozenset()  # all down at start: none marked
    supervisor.replicas[0].down = False
    assert supervisor.down_ports() == {supervisor.replicas[1].port}


# --- the running stack ------------------------------------------------------------------


@pytest.fixture(scope="module")
def stack():
    with running_stack(2) as supervisor:
        yield supervisor


def base_url(supervisor: Supervisor) -> str:
    return f"http://127.0.0.1:{supervisor.settings.port}"


ROUTED = re.compile(r"upstream=(.*) route=(\S+)$")


def routes(supervisor: Supervisor) -> list[tuple[int, str]]:
    """(replica port, route cookie) of every proxied request, from the access log."""
    found = []
    for line in (supervisor.prefix / "access.log").read_text().splitlines():
        match = ROUTED.search(line)
        if match and match.group(1) != "-":
            found.append((int(match.group(1).rsplit(":", 1)[1]), match.group(2)))
    return found


def upstream_of(supervisor: Supervisor, reader: Reader) -> int:
    """The replica nginx last sent this reader's requests to."""
    route = reader.cookie(supervisor.settings.route_cookie)
    ports = [port for port, key in routes(supervisor) if key == route]
    assert ports, f"no request of route {route} in the access log"
    return ports[-1]


# One loop, in its own thread: a websocket belongs to the loop that opened it, and the
# browser tests' Playwright keeps an event loop running in the main thread all session.
LOOP = asyncio.new_event_loop()
threading.Thread(target=LOOP.run_forever, name="test-serve-loop", daemon=True).start()


def run(coroutine):
    return asyncio.run_coroutine_threadsafe(coroutine, LOOP).result(timeout=300)


async def opened(url: str, count: int, query: str = "") -> list[Reader]:
    readers = [Reader(url, query=query) for _ in range(count)]
    for reader in readers:
        await reader.open()
    results = await asyncio.gather(*(reader.rerun() for reader in readers))
    assert all(result.map_seconds is not None and not result.errors for result in results)
    return readers


async def close_all(readers: list[Reader]) -> None:
    await asyncio.gather(*(reader.close() for reader in readers))


def test_headers_gzip_and_cache_through_the_proxy(stack):
    request = urllib.request.Request(base_url(stack) + "/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        page = gzip.decompress(response.read())
        headers = response.headers
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert headers["Set-Cookie"].startswith(stack.settings.route_cookie + "=")
    script = re.search(rb"/static/js/index\.[\w-]+\.js", page)
    assert script, "the page names no hashed script"
    request = urllib.request.Request(
        base_url(stack) + script.group().decode(), headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        gzipped = len(response.read())
    # .ci/run installs Debian's brotli module, so a client asking for br gets it.
    assert nginx.BROTLI_MODULE.is_file(), "apt-get install libnginx-mod-http-brotli-filter"
    request.add_header("Accept-Encoding", "br, gzip")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert len(response.read()) < gzipped  # same script, same level: brotli is smaller
    assert (stack.prefix / "access.log").stat().st_size > 0


def test_upload_limit_is_enforced(stack):
    body = b"x" * (stack.settings.upload_limit_mb * 1024 * 1024 + 1)
    request = urllib.request.Request(base_url(stack) + "/_stcore/upload_file/x/y", data=body)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 413


def test_short_load_spreads_readers_from_one_address(stack):
    result = measure(stack, sessions=10, changes=2, think_s=0.5)
    assert result.errors == []
    assert len(result.first_map) == 10
    assert len(result.filter_trips) == 20
    assert percentile(result.filter_trips, 0.95) < 30
    used = {port for port, _ in routes(stack)}
    assert used == set(stack.settings.replica_ports()), (
        "all readers (one address) went to one replica"
    )


def test_killed_replica_readers_reconnect_elsewhere_with_their_view(stack):
    wait_for(lambda: not any(r.down for r in stack.replicas), 60, "replicas not all up")
    # Route cookies are random: six readers all land on one replica one time in 32, so
    # open more (two at a time, at most 20) until both replicas serve someone.
    readers = run(opened(base_url(stack), 6, query=LINK))
    by_port: dict[int, list[Reader]] = {}
    while True:
        by_port.clear()
        for reader in readers:
            by_port.setdefault(upstream_of(stack, reader), []).append(reader)
        if len(by_port) == 2 or len(readers) >= 20:
            break
        readers += run(opened(base_url(stack), 2, query=LINK))
    assert len(by_port) == 2, f"{len(readers)} readers all hashed to one replica"
    victim, survivor = sorted(by_port, key=lambda port: -len(by_port[port]))
    replica = next(r for r in stack.replicas if r.port == victim)
    wanted = list(readers[0].filter_values)
    assert wanted, "the link's filter was not applied"
    killed_pid = replica.process.pid
    os.kill(killed_pid, signal.SIGKILL)

    async def after_kill():
        for reader in by_port[survivor]:  # unaffected
            result = await reader.rerun(reader.filter_options[:2])
            assert result.map_seconds is not None
            assert not result.errors
        for reader in by_port[victim]:  # the browser reconnects with its cookie and link
            await reader.close()
            await reader.open()
            result = await reader.rerun()
            assert result.map_seconds is not None
            assert not result.errors
            assert reader.filter_values == wanted
            # Served by the live replica, or by the killed one once restarted (new pid).
            served = upstream_of(stack, reader)
            assert served == survivor or replica.process.pid != killed_pid
            await reader.close()
        for reader in by_port[survivor]:
            await reader.close()

    run(after_kill())
    wait_for(lambda: not replica.down and replica.restarts >= 1, 60, "killed replica not back")


def wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(message)


def test_paused_replica_gets_no_new_readers(stack):
    wait_for(lambda: not any(r.down for r in stack.replicas), 60, "replicas not all up")
    paused = stack.replicas[0]
    os.kill(paused.process.pid, signal.SIGSTOP)
    started = time.monotonic()
    try:
        wait_for(lambda: paused.down, 8, "the checker did not take the paused replica out")
        readers = run(opened(base_url(stack), 6))
        assert {upstream_of(stack, reader) for reader in readers} == {stack.replicas[1].port}
        run(close_all(readers))
        time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    finally:
        os.kill(paused.process.pid, signal.SIGCONT)
    wait_for(lambda: not paused.down, 30, "the resumed replica was not put back")


def test_restarted_stack_gives_a_reconnecting_reader_a_working_session():
    with running_stack(1) as first:
        settings = first.settings
        reader = run(opened(base_url(first), 1, query=LINK))[0]
    # Everything is stopped; the same settings start again, as after a machine restart.
    second = Supervisor(settings, root=ROOT)
    try:
        second.start()

        async def reconnect():
            await reader.open()  # old cookies and session id, as the browser keeps them
            result = await reader.rerun()
            await reader.close()
            return result

        result = run(reconnect())
        assert result.map_seconds is not None
        assert not result.errors
        assert reader.filter_values
    finally:
        second.stop()


def test_data_file_removed_while_running_shows_the_data_error(tmp_path):
    data = copy_data(tmp_path)
    env = {**os.environ, "FRANCE_AI_MAP_DATA_DIR": str(data)}
    with running_stack(1, env=env) as supervisor:
        readers = run(opened(base_url(supervisor), 3))
        (data / "sites.csv").unlink()
        with pytest.raises(DataError) as caught:
            load_dataset(data)
        expected = str(caught.value).splitlines()[0]

        async def rerun_all():
            return await asyncio.gather(*(reader.rerun() for reader in readers))

        for result in run(rerun_all()):
            assert result.map_seconds is None
            assert len(result.errors) == 1
            plain = result.errors[0].replace("\\", "")
            assert expected.replace("\\", "") in plain
        assert supervisor.check_once() is False  # nothing crashed: every replica healthy
        assert not any(replica.down for replica in supervisor.replicas)
        run(close_all(readers))


# --- Chromium under the proxy's Content-Security-Policy ----------------------------------

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.mark.browser
def test_app_and_map_work_under_the_content_security_policy(page):
    from playwright.sync_api import expect

    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    with running_stack(1) as supervisor:
        page.goto(base_url(supervisor) + "/?" + LINK)
        inner = page.frame_locator(MAP_IFRAME).last
        regions = inner.locator("path.leaflet-interactive")
        expect(regions).to_have_count(18, timeout=60_000)
        expect(inner.locator(".leaflet-marker-icon").first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Sites on the map:")).to_be_visible()  # the counts line
        page.get_by_role("tab").first.is_visible()  # the page is interactive
    assert refused == []
