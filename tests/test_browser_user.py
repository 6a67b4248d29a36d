"""A reader's own file in the running app, in Debian's headless Chromium (no internet).

Uploads go through the real uploader (its file input), so the bytes travel over Streamlit's
upload route as a person's would. Each step saves a screenshot under tests/output/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_a11y import assert_no_violations

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
IDLE = '[data-test-script-state="notRunning"]'
TIMEOUT_MS = 30_000
# A French Excel export (';', decimal comma, cp1252, CRLF): 4 points, 1 commune-only row,
# 1 broken row.
FRENCH_SITES = (
    "nom;latitude;longitude;code_insee;catégorie\r\n"
    "Mairie de Lyon;45,7676;4,8357;69381;Mairie\r\n"
    "Strasbourg centre;48,5734;7,7521;67482;Campus\r\n"
    "Rennes gare;48,1113;-1,6800;35238;Campus\r\n"
    "Saint-Denis (Réunion);-20,8789;55,4481;97411;Mairie\r\n"
    "Commune seule;;;35238;Campus\r\n"
    "Ligne cassée;N/A;4,8;;Campus\r\n"
).encode("cp1252")
FRENCH_COUNTS = "mes-sites.csv: 6 rows read, 4 mapped, 1 listed only (commune code), 1 rejected"
HOSTILE_NAME = "<img src=x onerror=window.__owned=1>"
HOSTILE_FILE = "<b>hostile<b> =1+1.csv"  # a browser gives a base name: no slash in it
# Limoges and Clermont-Ferrand: no site of ours nearby, so a click there finds the dot.
HOSTILE_SITES = (
    f'nom,latitude,longitude\n"{HOSTILE_NAME}",45.8336,1.2611\n=1+1,45.7772,3.0870\n@x,N/A,N/A\n'
).encode()


def wait_idle(page: Page) -> None:
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    inner = page.frame_locator(MAP_IFRAME).last
    expect(inner.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)


def your_data(page: Page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(
        has_text="Your data"
    )


def upload_sites(page: Page, name: str, data: bytes) -> None:
    """Open "Your data" and give the sites uploader a file, as a drop or a pick would."""
    section = your_data(page)
    if section.locator("details").get_attribute("open") is None:
        section.locator("summary").click()
    uploader = section.locator('[data-testid="stFileUploader"]').first
    uploader.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    expect(section).to_contain_text("rows read", timeout=TIMEOUT_MS)
    wait_idle(page)


def user_legend(page: Page):
    return page.frame_locator(MAP_IFRAME).last.locator(".user-legend")


def test_french_csv_upload_shows_counts_points_and_exports_a_png(page, app_url, output_dir):
    open_app(page, app_url)
    upload_sites(page, "mes-sites.csv", FRENCH_SITES)
    expect(your_data(page)).to_contain_text(FRENCH_COUNTS)
    expect(your_data(page)).to_contain_text("mes-sites.csv, line 7")  # the rejected row
    expect(user_legend(page)).to_contain_text("Your sites (4)", timeout=TIMEOUT_MS)
    inner = page.frame_locator(MAP_IFRAME).last
    expect(inner.locator("canvas.user-points-canvas")).to_have_count(1)
    expect(page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text="Your sites on the map:"
    )).to_contain_text("Your sites on the map: 4")  # fmt: skip
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        "This link shows our data only"
    )
    page.screenshot(path=output_dir / "user-01-uploaded.png", full_page=True)
    # Export a PNG of the view with the reader's sites.
    panel = page.locator('[data-testid="stExpander"]').filter(has_text="Export this view")
    panel.locator("summary").click()
    wait_idle(page)
    page.get_by_role("combobox", name="Format").click()
    page.get_by_role("option", name="Report map (PNG image)").click()
    wait_idle(page)
    with page.expect_download(timeout=TIMEOUT_MS) as caught:
        panel.get_by_role("button", name="Download PNG").click()
    download = caught.value
    assert "with-your-data" in download.suggested_filename
    assert download.suggested_filename.endswith(".png")
    with open(download.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_another_session_never_sees_the_upload(browser, app_url, output_dir):
    first, second = browser.new_context(), browser.new_context()
    try:
        mine, theirs = first.new_page(), second.new_page()
        open_app(mine, app_url)
        upload_sites(mine, "mes-sites.csv", FRENCH_SITES)
        expect(user_legend(mine)).to_contain_text("Your sites (4)", timeout=TIMEOUT_MS)
        for attempt in range(2):  # a fresh page, then the same page reloaded
            if attempt:
                theirs.reload()
                wait_idle(theirs)
            else:
                open_app(theirs, app_url)
            sidebar = theirs.locator('[data-testid="stSidebar"]')
            expect(sidebar).not_to_contain_text("rows read")
            expect(sidebar).not_to_contain_text("This link shows our data only")
            expect(theirs.get_by_text("Your sites on the map:")).to_have_count(0)
            inner = theirs.frame_locator(MAP_IFRAME).last
            expect(inner.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
            expect(inner.locator(".user-legend")).to_have_count(0)
            expect(inner.locator("canvas.user-points-canvas")).to_have_count(0)
        theirs.screenshot(path=output_dir / "user-02-other-session.png", full_page=True)
        # The uploader's page still has its data.
        expect(user_legend(mine)).to_contain_text("Your sites (4)")
    finally:
        first.close()
        second.close()


def click_user_point(page: Page, lat: float, lon: float):
    """Click the map where (lat, lon) is drawn; the popup that opens."""
    frame = [f for f in page.frames if "streamlit_folium" in f.url][-1]
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    inner = page.frame_locator(MAP_IFRAME).last
    inner.locator(".leaflet-container").click(position={"x": x, "y": y})
    popup = inner.locator(".user-popup .leaflet-popup-content").last  # the old one fades
    expect(popup).to_be_visible(timeout=TIMEOUT_MS)
    return popup


def test_hostile_names_show_as_text(page, app_url, output_dir):
    open_app(page, app_url)
    upload_sites(page, HOSTILE_FILE, HOSTILE_SITES)
    section = your_data(page)
    expect(section).to_contain_text(f"{HOSTILE_FILE}: 3 rows read, 2 mapped")
    expect(section.locator("b", has_text="hostile")).to_have_count(0)
    expect(user_legend(page)).to_contain_text("Your sites (2)", timeout=TIMEOUT_MS)
    popup = click_user_point(page, 45.8336, 1.2611)
    expect(popup).to_contain_text(HOSTILE_NAME)
    expect(popup.locator("img")).to_have_count(0)
    page.locator(MAP_IFRAME).last.screenshot(path=output_dir / "user-03-hostile-popup.png")
    popup = click_user_point(page, 45.7772, 3.0870)
    expect(popup).to_contain_text("=1+1")
    frame = [f for f in page.frames if "streamlit_folium" in f.url][-1]
    assert frame.evaluate("window.__owned === undefined")
    assert page.evaluate("window.__owned === undefined")
    page.screenshot(path=output_dir / "user-03-hostile.png", full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1440, 900), (390, 844)])
def test_screenshots_with_user_data(browser, app_url, output_dir, width, height):
    """The sidebar at the upload's report, then the map with the reader's dots and legend."""
    context = browser.new_context(viewport={"width": width, "height": height})
    phone = width < 640  # the sidebar starts collapsed and then covers the page
    try:
        page = context.new_page()
        open_app(page, app_url)
        if phone:
            page.locator('[data-testid="stExpandSidebarButton"]').click()
        upload_sites(page, "mes-sites.csv", FRENCH_SITES)
        counts = your_data(page).get_by_text(FRENCH_COUNTS)
        counts.scroll_into_view_if_needed()
        expect(counts).to_be_in_viewport()
        page.screenshot(path=output_dir / f"user-04-sidebar-{width}x{height}.png")
        note = page.get_by_text("This link shows our data only")
        note.scroll_into_view_if_needed()
        expect(note).to_be_in_viewport()
        page.screenshot(path=output_dir / f"user-04-share-{width}x{height}.png")
        if phone:
            page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.locator(MAP_IFRAME).last.scroll_into_view_if_needed()
        expect(user_legend(page)).to_contain_text("Your sites (4)", timeout=TIMEOUT_MS)
        expect(user_legend(page)).to_be_in_viewport()
        page.screenshot(path=output_dir / f"user-04-map-{width}x{height}.png")
    finally:
        context.close()


def test_your_data_section_with_an_upload_passes_axe(page, app_url):
    """WCAG 2.1 A/AA (axe-core, serious and critical) with the section open and filled."""
    open_app(page, app_url)
    upload_sites(page, "mes-sites.csv", FRENCH_SITES)
    assert_no_violations(page)
    frame = [f for f in page.frames if "streamlit_folium" in f.url][-1]
    assert_no_violations(frame)
