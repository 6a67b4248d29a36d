"""The investments layer on the standalone map in Chromium: a click on a circle opens its popup."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_webmap_investments import HOSTILE, investments
from test_webmap_user import VENDOR_DIR

from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import build_base_map, build_layer_control, build_layers
from geo.webmap import investments as inv

pytestmark = pytest.mark.browser


def standalone_map(dataset, tmp_path):
    view = compute_view(dataset, ViewState())
    m = build_base_map(dataset, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
    for group in build_layers(dataset, view):
        group.add_to(m)
    anchors = inv.region_anchors(dataset.regions)
    inv.investment_group(investments(), anchors, dataset.region_names()).add_to(m)
    build_layer_control().add_to(m)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_click_on_a_circle_shows_its_escaped_popup(dataset, page, output_dir, tmp_path, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(standalone_map(dataset, tmp_path).as_uri())
    markers = page.locator(".investment-marker")
    expect(markers).to_have_count(6)
    expect(page.locator(".investment-marker.region-only")).to_have_count(2)
    expect(page.locator(".investment-marker.focus")).to_have_count(3)
    marker = page.locator('.investment-marker[data-investment-id="hostile"]')
    expect(marker).to_have_attribute("aria-label", f"{HOSTILE}: {HOSTILE} campus, EUR 350 m")
    marker.click()
    popup = page.locator(".leaflet-popup-content .investment-popup-body")
    expect(popup.locator("h4")).to_have_text(HOSTILE)
    assert popup.locator("h4 b").count() == 0  # the tags are text, not markup
    expect(popup).to_contain_text("EUR 350 m")
    expect(popup).to_contain_text("28.8 MW")
    expect(popup).to_contain_text("commune only")
    expect(popup.locator("a")).to_have_count(1)
    expect(popup.locator("a")).to_have_attribute("href", "https://example.org/hostile")
    page.wait_for_timeout(600)  # the map pans the popup into view
    box = page.locator(".leaflet-popup").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= size[0]  # the popup fits a phone's screen
    page.screenshot(path=str(output_dir / f"webmap-investments-{size[0]}.png"))
    assert page.blocked == []  # type: ignore[attr-defined]
