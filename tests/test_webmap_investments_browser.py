"""The investments layer on the standalone map in Chromium: a click on a circle opens its popup."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_a11y import assert_no_violations
from test_webmap_investments import HOSTILE, fixture_dataset  # noqa: F401 (a fixture)
from test_webmap_user import VENDOR_DIR

from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import build_map

pytestmark = pytest.mark.browser


def standalone_map(dataset, tmp_path):
    """The exported map (inline assets) of the view with the investments layer on."""
    view = compute_view(dataset, ViewState(layer_investments=True))
    m = build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
    path = tmp_path / "map.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_click_on_a_circle_shows_its_escaped_popup(
    fixture_dataset,  # noqa: F811 (the fixture imported above)
    page,
    output_dir,
    tmp_path,
    size,
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(standalone_map(fixture_dataset, tmp_path).as_uri())
    expect(page.locator(".investment-marker")).to_have_count(7)
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
    expect(popup.locator("a")).to_have_attribute("href", "https://example.org/source")
    page.wait_for_timeout(600)  # the map pans the popup into view
    box = page.locator(".leaflet-popup").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= size[0]  # the popup fits a phone's screen
    page.screenshot(path=str(output_dir / f"webmap-investments-{size[0]}.png"))
    assert_no_violations(page)  # with the layer, its legend and a popup open
    assert page.blocked == []  # type: ignore[attr-defined]


def test_tab_reaches_an_investment_circle_and_enter_opens_it(
    fixture_dataset,  # noqa: F811 (the fixture imported above)
    page,
    tmp_path,
):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(standalone_map(fixture_dataset, tmp_path).as_uri())
    marker = page.locator('.investment-marker[data-investment-id="campus"]')
    expect(marker).to_have_attribute("tabindex", "0")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content .investment-popup-body")
    expect(popup.locator("h4")).to_have_text("MGX")
    expect(popup).to_contain_text("EUR 30\u201350 bn")
    expect(popup).to_contain_text("1,400 MW")
