"""Drive the running app in Debian's Chromium and count the bytes the browser receives."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = '[data-test-script-state="notRunning"]'
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 60_000


@contextmanager
def running_app(root: Path):
    """`streamlit run app.py` on a free local port, polled until healthy."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
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
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class ByteCounter:
    """Websocket frames received, and bodies of static files fetched by the map."""

    def __init__(self) -> None:
        self.websocket = 0
        self.static = 0

    def reset(self) -> int:
        total = self.websocket + self.static
        self.websocket = self.static = 0
        return total

    def on_websocket(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.websocket += len(payload if isinstance(payload, bytes) else payload.encode())

    def on_response(self, response) -> None:
        # The polygons the map fetches by URL count; Leaflet and Streamlit's own bundles are
        # cached code, reported separately by the caller if wanted.
        if "/app/static/geo/" in response.url:
            try:
                self.static += len(response.body())
            except Exception:  # a cancelled request has no body
                pass


def record_app_payload(root: Path) -> dict[str, int]:
    """Bytes received on first load and on one filter change (choose 'Startups')."""
    from playwright.sync_api import expect, sync_playwright

    counter = ByteCounter()
    with running_app(root) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        page.route(
            "**/*",
            lambda route: route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
            else route.abort(),
        )
        page.on("websocket", counter.on_websocket)
        page.on("response", counter.on_response)
        page.goto(url)
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        inner = page.frame_locator(MAP_IFRAME).last
        expect(inner.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)  # let any post-mount rerun arrive so it is counted
        first = counter.reset()
        page.get_by_role("combobox", name="Initiative type").click()
        page.get_by_role("option", name="Startups").click()
        page.keyboard.press("Escape")
        expect(page).to_have_url(re.compile(r"initiative=startups"), timeout=TIMEOUT_MS)
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)
        change = counter.reset()
        browser.close()
    return {"first load": first, "filter change": change}
