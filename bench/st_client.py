"""A lightweight reader speaking Streamlit's websocket protocol, as the browser does.

The browser's start, reproduced: GET the page (nginx sets the route cookie, Streamlit the
XSRF cookie), GET /_stcore/host-config and /_stcore/health, then open /_stcore/stream with
subprotocols ("streamlit", <xsrf token>) and the cookies, and send a BackMsg rerun_script
with the link's query string. The server answers with ForwardMsgs: deltas (elements), then
script_finished. "First map data" is the delta carrying the streamlit_folium component.
Messages are never reported as cached, so the server always sends them in full.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

FILTER_KEY = "initiatives"  # the app's initiative multiselect
MAP_COMPONENT = "streamlit_folium"
XSRF_COOKIE = "_streamlit_xsrf"
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
FINISHED_EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
ALERT_ERROR = 1  # Alert.Format.ERROR


@dataclass
class RunResult:
    seconds: float  # from the rerun request to script_finished
    map_seconds: float | None  # from the request to the delta with the map
    errors: list[str] = field(default_factory=list)  # st.error / exception texts


@dataclass
class Reader:
    base_url: str  # http://127.0.0.1:PORT
    query: str = ""
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    filter_id: str | None = None
    filter_options: list[str] = field(default_factory=list)
    filter_values: list[str] = field(default_factory=list)  # as the server drew them
    session_id: str | None = None
    _ws: object = None

    def _get(self, path: str) -> bytes:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(self.base_url + path, timeout=60) as response:  # > nginx's 30 s
            return response.read()

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    async def open(self) -> None:
        """The page and its two JSON endpoints, then the websocket."""
        for path in (f"/?{self.query}" if self.query else "/", "/_stcore/host-config"):
            await asyncio.to_thread(self._get, path)
        await asyncio.to_thread(self._get, "/_stcore/health")
        header = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        protocols = ["streamlit", self.cookie(XSRF_COOKIE) or ""]
        if self.session_id:  # a reconnect offers the old session, as the browser does
            protocols.append(self.session_id)
        self._ws = await connect(
            ws_url,
            subprotocols=protocols,
            additional_headers={"Cookie": header, "Origin": self.base_url},
            max_size=None,
            open_timeout=30,
            compression="deflate",
            ping_interval=None,  # the browser sends no protocol pings; a busy server is slow
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def rerun(self, selection: list[str] | None = None, timeout: float = 60) -> RunResult:
        """One script run: the query string, plus the filter's selection when given."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = ""
        if selection is not None and self.filter_id:
            widget = state.widget_states.widgets.add()
            widget.id = self.filter_id
            widget.string_array_value.data.extend(selection)
        start = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        return await asyncio.wait_for(self._until_finished(start), timeout)

    async def _until_finished(self, start: float) -> RunResult:
        map_seconds, errors = None, []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self._ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                what = element.WhichOneof("type")
                if what == "component_instance" and MAP_COMPONENT in (
                    element.component_instance.component_name
                ):
                    map_seconds = map_seconds or time.perf_counter() - start
                elif what == "multiselect" and element.multiselect.id.endswith(FILTER_KEY):
                    self.filter_id = element.multiselect.id
                    self.filter_options = list(element.multiselect.options)
                    self.filter_values = list(element.multiselect.raw_values)
                elif what == "alert" and element.alert.format == ALERT_ERROR:
                    errors.append(element.alert.body)
                elif what == "exception":
                    errors.append(element.exception.message)
            elif kind == "script_finished":
                if msg.script_finished == FINISHED_EARLY_FOR_RERUN:
                    continue  # a newer run follows
                if msg.script_finished == FINISHED_WITH_COMPILE_ERROR:
                    errors.append("compile error")
                return RunResult(time.perf_counter() - start, map_seconds, errors)
