"""Drive the running app in Debian's Chromium and count the bytes the browser receives."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS

IDLE = '[data-test-script-state="notRunning"]'
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 60_000


@contextmanager
def running_app(root: Path):
    """`streamlit run app.py` on a free local port, polled until healthy; yields the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.1)  # polling interval
        else:
            raise RuntimeError("the app did not start within 60 s")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class ByteCounter:
    """What the browser receives: websocket bytes on the wire (through WireProxy) and as
    decoded frames, and the polygon files the map fetches by URL (from the browser's own
    resource timing, in every frame)."""

    def __init__(self, proxy: WireProxy) -> None:
        self.proxy = proxy
        self.frames = 0
        self.seen: set[tuple[str, float]] = set()

    def take(self, page) -> dict[str, int]:
        """Counts since the last call."""
        counts = {
            "websocket (wire)": self.proxy.take_websocket_bytes(),
            "websocket (decoded)": self.frames,
            "polygon files": self._new_polygon_bytes(page),
        }
        self.frames = 0
        return counts

    def on_websocket(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.frames += len(payload if isinstance(payload, bytes) else payload.encode())

    def _new_polygon_bytes(self, page) -> int:
        # Polygons travel once per page by URL; Leaflet and Streamlit's own bundles are
        # cacheable code (like the CDN files explore() links to) and are not counted.
        total = 0
        for frame in page.frames:
            entries = frame.evaluate(RESOURCE_ENTRIES_JS)
            for name, start, size in entries:
                if "/app/static/geo/" in name and (name, start) not in self.seen:
                    self.seen.add((name, start))
                    total += size
        return total


RESOURCE_ENTRIES_JS = """
() => performance.getEntriesByType("resource").map(e => [e.name, e.startTime, e.transferSize])
"""


class WireProxy:
    """A local TCP relay that counts the bytes the server sends on websocket connections."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.lock = threading.Lock()
        self.websocket_bytes = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def take_websocket_bytes(self) -> int:
        with self.lock:
            value, self.websocket_bytes = self.websocket_bytes, 0
        return value

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        first = client.recv(65536)
        is_websocket = first.startswith(b"GET /_stcore/stream")
        upstream.sendall(first)
        threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
        self._pump(upstream, client, is_websocket)

    def _pump(self, source: socket.socket, target: socket.socket, count: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if count:
                    with self.lock:
                        self.websocket_bytes += len(chunk)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


def record_app_payload(root: Path) -> dict[str, dict[str, int]]:
    """Bytes received on first load and on one filter change (choose 'Startups')."""
    from playwright.sync_api import expect, sync_playwright

    with running_app(root) as port, sync_playwright() as playwright:
        proxy = WireProxy(port)
        counter = ByteCounter(proxy)
        url = f"http://127.0.0.1:{proxy.port}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                else route.abort()
            ),
        )
        page.on("websocket", counter.on_websocket)
        page.goto(url)
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        inner = page.frame_locator(MAP_IFRAME).last
        expect(inner.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)  # let any post-mount rerun arrive so it is counted
        first = counter.take(page)
        page.get_by_role("combobox", name="Initiative type").click()
        page.get_by_role("option", name="Startups").click()
        page.keyboard.press("Escape")
        expect(page).to_have_url(re.compile(r"initiative=startups"), timeout=TIMEOUT_MS)
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)
        change = counter.take(page)
        browser.close()
        proxy.close()
    return {"first load": first, "filter change": change}
