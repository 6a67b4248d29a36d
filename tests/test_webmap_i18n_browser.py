"""The French standalone map in Chromium: control titles, a popup and a cluster in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_webmap_investments import fixture_dataset  # noqa: F401 (a fixture)
from test_webmap_user import VENDOR_DIR

from geo import i18n
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import build_map

pytestmark = pytest.mark.browser
NBSP = "\u00a0"


def french_map(dataset, tmp_path):
    """The exported map (inline assets) in French, with the investments layer on."""
    with i18n.use_language("fr"):
        view = compute_view(dataset, ViewState(layer_investments=True))
        m = build_map(dataset, view, assets="inline", tiles=False, vendor_dir=VENDOR_DIR)
        text = m.get_root().render()
    path = tmp_path / "carte.html"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900), (390, 844)])
def test_french_map_titles_its_controls_and_opens_a_french_popup(
    fixture_dataset,  # noqa: F811 (the fixture imported above)
    page,
    output_dir,
    tmp_path,
    size,
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(french_map(fixture_dataset, tmp_path).as_uri())
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom avant")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute(
        "aria-label", "Zoom arrière"
    )
    expect(page.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "Couches")
    expect(page.locator(".leaflet-control-zoom-fullscreen")).to_have_attribute(
        "title", "Plein écran"
    )
    expect(page.locator(".region-table-toggle")).to_have_text("Tableau")
    expect(page.locator(".investment-legend summary")).to_contain_text(
        "Investissements annoncés dans l'IA"
    )
    marker = page.locator('.investment-marker[data-investment-id="hostile"]')
    marker.click()
    popup = page.locator(".leaflet-popup-content .investment-popup-body")
    expect(popup).to_contain_text("Compté ici")
    expect(popup).to_contain_text("28,8 MW")
    expect(popup).to_contain_text(f"Sources{NBSP}:")
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute(
        "aria-label", "Fermer la fenêtre"
    )
    page.wait_for_timeout(600)  # the map pans the popup into view
    page.screenshot(path=str(output_dir / f"webmap-fr-{size[0]}.png"))
    assert page.blocked == []  # type: ignore[attr-defined]
