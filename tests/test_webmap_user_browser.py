"""A reader's sites on the standalone map in Chromium: a click on a dot shows its popup, as text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_webmap_user import VENDOR_DIR, many_sites

from geo.core.state import ViewState
from geo.core.userdata.model import UserData, UserSites
from geo.core.view import compute_view
from geo.webmap import build_map
from geo.webmap.layers import USER_POINTS_CONFIG
from geo.webmap.userpoints import user_points_payload

pytestmark = pytest.mark.browser

MAP_JS = "window[Object.keys(window).find((k) => k.startsWith('map_'))]"
HOSTILE_NAME = "<b>x</b> Mairie de Lyon"
LYON = (45.7676, 4.8357)


def hostile_sites(n: int = 2000) -> UserSites:
    sites = many_sites(n, seed=7)
    frame = sites.frame.copy()
    frame.loc[0, ["name", "lat", "lon", "insee_commune"]] = [HOSTILE_NAME, *LYON, "69381"]
    frame.loc[0, "url"] = "javascript:alert(1)"
    return UserSites(sites.source, frame, sites.attributes, sites.mapping)


def page_point(page, lat_lon: tuple[float, float]) -> tuple[float, float]:
    """Where on the page a (lat, lon) of the map is, for the mouse."""
    return page.evaluate(
        f"""() => {{
            const map = {MAP_JS};
            const at = map.latLngToContainerPoint([{lat_lon[0]}, {lat_lon[1]}]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }}"""
    )


def test_click_on_a_dot_shows_its_escaped_name(dataset, page, output_dir, tmp_path):
    view = compute_view(dataset, ViewState(), UserData(sites=hostile_sites()))
    m = build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(path.as_uri())
    page.wait_for_selector(".user-points-canvas.user-points-drawn", state="attached")
    page.wait_for_timeout(500)
    # The first row is drawn first, so its dot is never skipped for another one.
    x, y = page_point(page, LYON)
    page.mouse.move(x, y)
    expect(page.locator(".user-tooltip")).to_have_text(HOSTILE_NAME)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .user-popup-body")
    expect(popup.locator("h4")).to_have_text(HOSTILE_NAME)
    assert popup.locator("h4 b").count() == 0  # the tags are text, not markup
    expect(popup).to_contain_text("69381")
    expect(popup).to_contain_text("From big.csv")
    assert popup.locator("a").count() == 0  # a javascript: URL never becomes a link
    expect(popup).to_contain_text("javascript:alert(1)")
    expect(page.locator(".user-legend")).to_contain_text("Your sites (2,000)")
    page.screenshot(path=str(output_dir / "webmap-user-popup.png"))
    # A click beside every dot opens nothing.
    page.locator(".leaflet-popup-close-button").click()
    far = page.evaluate(
        f"""() => {{
            const map = {MAP_JS};
            const at = map.latLngToContainerPoint([41.0, -4.5]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }}"""
    )
    page.mouse.click(*far)
    page.wait_for_timeout(300)
    assert page.locator(".user-popup-body").count() == 0


def test_a_deflated_payload_draws_once_inflated_and_not_after_its_layer_is_removed(
    dataset, page, output_dir, tmp_path
):
    sites = hostile_sites(20_000)
    frame = sites.frame.assign(Note=[f"Note {i} " + "é" * 40 for i in range(20_000)])
    sites = UserSites(sites.source, frame, sites.attributes, sites.mapping)
    view = compute_view(dataset, ViewState(), UserData(sites=sites))
    packed = user_points_payload(view.user)
    assert "deflate" in packed
    m = build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(path.as_uri())
    page.wait_for_selector(".user-points-canvas.user-points-drawn", state="attached")
    assert page.locator(".user-points-canvas").get_attribute("data-points") == "20000"
    x, y = page_point(page, LYON)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content .user-popup-body")
    expect(popup.locator("h4")).to_have_text(HOSTILE_NAME)
    expect(popup).to_contain_text("Note 0 " + "é" * 40)  # UTF-8 through the inflation
    page.wait_for_timeout(600)  # the popup fades in while the map pans to show it
    page.screenshot(path=str(output_dir / "webmap-user-deflated.png"))
    # A second layer from the same payload, taken off the map at once: once inflated, its
    # points are there, yet it draws nothing and leaves no canvas behind.
    out = page.evaluate(
        f"""async ([payload, config]) => {{
            const map = {MAP_JS};
            const group = L.layerGroup().addTo(map);
            const layer = FranceAiMap.userPoints(group, payload, config);
            const drawnAtOnce = layer._canvas.classList.contains("user-points-drawn");
            group.removeLayer(layer);
            await layer.decoded;
            return {{
                drawnAtOnce: drawnAtOnce,
                drawn: layer._canvas.classList.contains("user-points-drawn"),
                attached: layer._canvas.isConnected,
                points: layer._points.n,
                canvases: document.querySelectorAll(".user-points-canvas").length,
            }};
        }}""",
        [packed, USER_POINTS_CONFIG],
    )
    assert out == {
        "drawnAtOnce": False,
        "drawn": False,
        "attached": False,
        "points": 20_000,
        "canvases": 1,
    }
