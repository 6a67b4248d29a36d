"""Drive a Streamlit page or an HTML map in Debian's Chromium and measure what a reader gets.

Everything is measured inside the browser or by the browser's own network log (CDP):
- time to map: from navigation start to the first animation frame of the top page in which
  the "ready" condition holds in the page or a map iframe (for a map: all its regions and at
  least one marker in the DOM), on the top page's clock;
- filter change: from the pointerdown on the filter option to the first animation frame in
  which the map iframe shows the expected number of sites (one clock: the top page's);
- bytes: every HTTP response of every frame (CDP Network.loadingFinished encodedDataLength
  and decoded body lengths), every websocket frame received (decoded payloads from CDP; the
  compressed bytes on the wire through a counting TCP relay, as CDP does not give them).

The hooks the benches rely on are the constants below; nothing else about app.py is assumed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS

# --- the stable hooks: every selector the benches use ------------------------------------
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_COMPONENT = "streamlit_folium"  # in the component_instance name of the map's delta
IDLE = '[data-test-script-state="notRunning"]'
REGION_PATHS = "path.leaflet-interactive"
SITE_MARKERS = ".leaflet-marker-icon.site-marker"
SITE_CLUSTERS = ".leaflet-marker-icon.site-cluster"
FILTER_LABEL = "Initiative type"  # a multiselect in the sidebar, found by accessible label
FILTER_OPTION = "Startups"
FILTER_VALUE = "startups"  # the vocabulary key of FILTER_OPTION

TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1366, "height": 768}
# No request may leave the machine; resolving every host name to "not found" makes the
# basemap tiles fail at once without intercepting (and slowing) the local requests.
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:", "file:")
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# Resource types that are code or decoration (cacheable, like the CDN files explore() links
# to); the rest of what the map iframe receives is its data.
CODE_TYPES = {"Script", "Stylesheet", "Font", "Image", "Media", "Manifest"}

# Ready conditions: JS expressions over `doc`, a document (the page's or a map iframe's).
MAP_READY_JS = (
    f"doc.querySelectorAll({json.dumps(REGION_PATHS)}).length >= %(regions)d && "
    f"doc.querySelector({json.dumps(SITE_MARKERS + ', ' + SITE_CLUSTERS)}) !== null"
)
TITLE_READY_JS = "[...doc.querySelectorAll('h1')].some(h => h.textContent.includes(%(title)s))"

# Installed in the top page before its own scripts: at every animation frame, test the
# condition on the page's document and on each map iframe's (same origin), and note the
# first frame in which it holds, on the page's clock (ms since navigation start), with where
# the map's frame then was (a map below the fold is drawn, but not on screen).
# (The watch runs in the top page only: a same-origin iframe keeps its initial window when it
# navigates, and a script installed in it missed the component's document.)
PAINT_WATCH_JS = f"""
(() => {{
  if (window !== window.top) return;
  const ready = (doc) => {{ try {{ return (%(ready)s); }} catch (e) {{ return false; }} }};
  const frame = () => {{
    const iframes = [...document.querySelectorAll({json.dumps(MAP_IFRAME)})];
    const hit = ready(document) ? document.documentElement
      : iframes.find(el => el.contentDocument && ready(el.contentDocument));
    if (!hit) {{ requestAnimationFrame(frame); return; }}
    window.__benchPainted = {{ms: performance.now(), top: hit.getBoundingClientRect().top}};
  }};
  requestAnimationFrame(frame);
}})();
"""

# Sites the map iframe represents: markers drawn one by one plus the numbers on clusters.
REPRESENTED_JS = f"""
(doc) => {{
  const markers = doc.querySelectorAll({json.dumps(SITE_MARKERS)}).length;
  const clusters = [...doc.querySelectorAll({json.dumps(SITE_CLUSTERS)})]
    .reduce((sum, el) => sum + (parseInt(el.textContent, 10) || 0), 0);
  return markers + clusters;
}}
"""

# Armed before the option is clicked: the next pointerdown starts the clock, then every
# animation frame looks into the (last) map iframe until it shows `expected` sites.
FILTER_WATCH_JS = f"""
(expected) => {{
  const represented = {REPRESENTED_JS};
  window.__benchFilter = {{start: null, end: null}};
  const frame = () => {{
    const iframes = document.querySelectorAll({json.dumps(MAP_IFRAME)});
    const doc = iframes.length ? iframes[iframes.length - 1].contentDocument : null;
    if (doc && represented(doc) === expected) {{
      window.__benchFilter.end = performance.now();
    }} else {{
      requestAnimationFrame(frame);
    }}
  }};
  addEventListener("pointerdown", (event) => {{
    window.__benchFilter.start = performance.now();
    requestAnimationFrame(frame);
  }}, {{capture: true, once: true}});
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_streamlit(script: Path, cwd: Path) -> Iterator[str]:
    """`streamlit run <script>` on a free local port, polled until healthy; yields its URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit run {script.name} exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.1)  # polling interval
        else:
            raise RuntimeError(f"streamlit run {script.name} did not start within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium (never a downloaded browser), unable to reach any other host."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def map_ready(regions: int) -> str:
    return MAP_READY_JS % {"regions": regions}


def title_ready(title: str) -> str:
    return TITLE_READY_JS % {"title": json.dumps(title)}


def wait_painted(page, timeout_ms: int = TIMEOUT_MS) -> tuple[float, float]:
    """ms from the page's navigation start to the animation frame in which its ready
    condition first held, and the y of the frame that holds it (the map's iframe)."""
    handle = page.wait_for_function("window.__benchPainted", timeout=timeout_ms, polling=100)
    painted = handle.json_value()
    return painted["ms"], painted["top"]


def open_fresh(browser, ready_js: str, offline_route: bool = False):
    """A new context (empty cache, no cookies) with the paint watch, and its page.

    ``offline_route`` aborts every non-local request in the page (for a browser launched
    without OFFLINE_ARGS, as the test suite's is); the benches rely on OFFLINE_ARGS instead,
    as intercepting every request would slow the pages with the most requests most."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PAINT_WATCH_JS % {"ready": ready_js})
    if offline_route:
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(LOCAL) else route.abort()
            ),
        )
    return context, context.new_page()


def time_to_paint(
    browser, url: str, ready_js: str, then=None, offline_route: bool = False
) -> tuple[float, float, object]:
    """Time to paint in a fresh context, where the map was (see wait_painted), and what
    ``then(page)`` returns (it runs before the context closes)."""
    context, page = open_fresh(browser, ready_js, offline_route)
    try:
        page.goto(url, wait_until="commit")
        ms, top = wait_painted(page)
        extra = then(page) if then is not None else None
    finally:
        context.close()
    return ms, top, extra


def filter_change_ms(page, expected_sites: int) -> float:
    """Choose FILTER_OPTION in the FILTER_LABEL multiselect; ms until the map shows it."""
    page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    page.get_by_role("combobox", name=FILTER_LABEL).click()
    option = page.get_by_role("option", name=FILTER_OPTION)
    option.wait_for(timeout=TIMEOUT_MS)
    page.evaluate(FILTER_WATCH_JS, expected_sites)
    option.click()
    page.wait_for_function("window.__benchFilter.end !== null", timeout=TIMEOUT_MS)
    start, end = page.evaluate("[window.__benchFilter.start, window.__benchFilter.end]")
    page.keyboard.press("Escape")
    return end - start


# --- bytes ---------------------------------------------------------------------------------


@dataclass
class Resource:
    url: str
    kind: str  # CDP resource type: Document, Script, Fetch, WebSocket, ...
    frame: str
    encoded: int = 0  # on the wire, headers included (CDP encodedDataLength)
    decoded: int = 0  # body after content decoding
    messages: list[bytes] = field(default_factory=list)  # websocket payloads received


class NetworkLog:
    """Every response and websocket frame one page receives, from Chromium's own log (CDP)."""

    def __init__(self, context, page) -> None:
        self.resources: dict[str, Resource] = {}
        self.documents: dict[str, str] = {}  # frame id -> document URL
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketCreated", self._websocket)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.send("Network.enable")

    def _sent(self, event: dict) -> None:
        kind = event.get("type", "Other")
        url = event["request"]["url"]
        self.resources[event["requestId"]] = Resource(url, kind, event.get("frameId", ""))
        if kind == "Document":
            self.documents[event.get("frameId", "")] = url

    def _data(self, event: dict) -> None:
        if resource := self.resources.get(event["requestId"]):
            resource.decoded += event["dataLength"]

    def _finished(self, event: dict) -> None:
        if resource := self.resources.get(event["requestId"]):
            resource.encoded = int(event["encodedDataLength"])

    def _websocket(self, event: dict) -> None:
        self.resources[event["requestId"]] = Resource(event["url"], "WebSocket", "")

    def _frame(self, event: dict) -> None:
        resource = self.resources.get(event["requestId"])
        if resource is None:
            return
        response = event["response"]
        data = response["payloadData"]
        payload = base64.b64decode(data) if response["opcode"] == 2 else data.encode()
        resource.decoded += len(payload)
        resource.messages.append(payload)

    def body(self, request_id: str) -> bytes:
        reply = self.cdp.send("Network.getResponseBody", {"requestId": request_id})
        text = reply["body"]
        return base64.b64decode(text) if reply["base64Encoded"] else text.encode()

    def websockets(self) -> list[Resource]:
        return [r for r in self.resources.values() if r.kind == "WebSocket"]


class WireProxy:
    """A local TCP relay that counts the bytes the server sends on websocket connections
    (compressed, framed: what crosses the wire; CDP reports only decoded payloads)."""

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


@dataclass
class FirstLoad:
    """What one fresh page load received, until painted and idle."""

    resources: list[Resource]
    websocket_wire: int
    map_frames: set[str]  # CDP frame ids of the map iframes
    bodies: dict[str, bytes]  # URL -> body of the map iframes' data responses

    @property
    def encoded(self) -> int:
        http = sum(r.encoded for r in self.resources if r.kind != "WebSocket")
        return http + self.websocket_wire

    @property
    def decoded(self) -> int:
        return sum(r.decoded for r in self.resources)

    def map_messages(self) -> list[bytes]:
        """Websocket messages that carry the map component's element."""
        return [
            m for r in self.resources if r.kind == "WebSocket" for m in r.messages
            if carries_component(m, MAP_COMPONENT)
        ]  # fmt: skip


def carries_component(message: bytes, name: str) -> bool:
    """Is this ForwardMsg a delta drawing a component whose name contains ``name``?"""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(message)
    except Exception:  # not a ForwardMsg (never expected from Streamlit's stream)
        return False
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    element = msg.delta.new_element
    return (
        element.WhichOneof("type") == "component_instance"
        and name in element.component_instance.component_name
    )


def record_first_load(browser, url: str, ready_js: str, settle_ms: int = 1500) -> FirstLoad:
    """Load ``url`` through a counting relay in a fresh context; wait until painted, idle
    and ``settle_ms`` more (a post-mount rerun is part of the first load)."""
    port = int(url.rsplit(":", 1)[1])
    proxy = WireProxy(port)
    context, page = open_fresh(browser, ready_js)
    try:
        log = NetworkLog(context, page)
        page.goto(f"http://127.0.0.1:{proxy.port}/", wait_until="commit")
        wait_painted(page)
        page.locator(IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
        page.wait_for_timeout(settle_ms)
        sources = set(page.eval_on_selector_all(MAP_IFRAME, "els => els.map(e => e.src)"))
        map_frames = {frame for frame, doc in log.documents.items() if doc in sources}
        bodies = {}
        for request_id, resource in log.resources.items():
            if resource.frame in map_frames and resource.kind not in CODE_TYPES:
                with contextlib.suppress(Exception):  # e.g. a failed tile request
                    bodies[resource.url] = log.body(request_id)
        return FirstLoad(
            list(log.resources.values()), proxy.take_websocket_bytes(), map_frames, bodies
        )
    finally:
        context.close()
        proxy.close()
