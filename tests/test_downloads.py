"""The export panel in Chromium: each download button gives the file its name promises.

For every format, the test picks it in the panel, clicks the download button, and checks
the downloaded file: its name (from geo.export.export_file_name) and that its content is
what the type promises. The app is opened on a shared link (skilling sites), so the files
must follow the view's filter.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo import export
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report.render import default_title

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
IDLE = '[data-test-script-state="notRunning"]'
TIMEOUT_MS = 30_000
FIRST_CLICK_MS = 15_000
QUERY = "initiative=skilling"
STATE = ViewState(filter=SiteFilter(initiatives=("skilling",)))
PNG_DPI = 150  # the panel's smallest choice: a quick render, and a name that says the dpi
PREVIEW_DPI = 72  # app.PREVIEW_DPI (app.py runs the page when imported)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TILE_HOST = re.compile(r"^[a-d]\.basemaps\.cartocdn\.com$")
# A <script> or <link> that loads from another host (a CDN) instead of carrying its content.
EXTERNAL_TAG = re.compile(r"""<(?:script|link)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""")


@pytest.fixture(scope="module")
def view(dataset):
    return compute_view(dataset, STATE)


def request_for(fmt: str) -> export.ExportRequest:
    """The request the panel makes for this format with its defaults (PNG at PNG_DPI)."""
    return export.ExportRequest(STATE, fmt, dpi=PNG_DPI if fmt == "png" else export.DEFAULT_DPI)


def wait_idle(page: Page) -> None:
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)


def open_export_panel(page: Page, url: str) -> Locator:
    """The app on the skilling link, map drawn, with the export panel open (its default: PDF)."""
    page.goto(f"{url}/?{QUERY}")
    wait_idle(page)
    map_frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
    expect(map_frame.locator("path.leaflet-interactive")).to_have_count(18, timeout=TIMEOUT_MS)
    wait_idle(page)
    panel = page.get_by_test_id("stExpander").filter(has_text="Export this view")
    panel.locator("summary").click()
    expect(panel.get_by_test_id("stDownloadButton")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    return panel


def choose_format(page: Page, panel: Locator, fmt: str) -> None:
    """Pick a format (and for PNG the low dpi); wait until the panel names its file."""
    combobox = panel.get_by_role("combobox", name="Format")
    # Scrolled first: when the click itself has to scroll the page, the list closes again.
    combobox.scroll_into_view_if_needed()
    combobox.click()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    page.get_by_role("option", name=export.FORMATS[fmt].label, exact=True).click()
    wait_idle(page)
    if fmt == "png":
        panel.get_by_role("radio", name=f"{PNG_DPI} dpi").click()
        wait_idle(page)
    expect(panel).to_contain_text(export.export_file_name(request_for(fmt)), timeout=TIMEOUT_MS)
    wait_idle(page)


def download(page: Page, panel: Locator, tmp_path: Path) -> tuple[str, bytes]:
    """Click the download button; the file's suggested name and bytes.

    Streamlit can drop a click that lands while the page reruns (seen once in a clean-clone
    CI run of the whole suite), so a click that yields nothing in FIRST_CLICK_MS is made
    once more; a button that never downloads still fails.
    """
    button = panel.get_by_test_id("stDownloadButton").get_by_role("button")
    try:
        with page.expect_download(timeout=FIRST_CLICK_MS) as info:
            button.click()
        file = info.value
    except PlaywrightTimeoutError:
        wait_idle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            button.click()
        file = info.value
    assert file.failure() is None
    target = tmp_path / file.suggested_filename
    file.save_as(target)
    return file.suggested_filename, target.read_bytes()


# --- what each type must hold ------------------------------------------------------------


def check_png(data: bytes, view) -> None:
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    assert (width, height) == export.LAYOUTS[export.DEFAULT_LAYOUT].pixel_size(PNG_DPI)


def check_svg(data: bytes, view) -> None:
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert default_title(view) in " ".join(root.itertext())


def check_pdf(data: bytes, view) -> None:
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    points = export.LAYOUTS[export.DEFAULT_LAYOUT].points()
    assert (float(box.width), float(box.height)) == pytest.approx(points, abs=0.01)
    assert default_title(view) in reader.pages[0].extract_text()


def check_html(data: bytes, view) -> None:
    html = data.decode("utf-8")
    assert "leaflet" in html.lower()
    assert EXTERNAL_TAG.findall(html) == []
    assert all(site_id in html for site_id in view.sites.index)
    assert "Azure France Central" not in html  # an infrastructure site, filtered out


def check_sites_csv(data: bytes, view) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == export.SITE_EXPORT_COLUMNS
    assert len(rows) - 1 == len(view.sites) + len(view.unlocated)


def check_geojson(data: bytes, view) -> None:
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(view.sites) + len(view.unlocated)
    assert sum(f["geometry"] is not None for f in features) == len(view.sites)
    assert all("skilling" in f["properties"]["initiatives"] for f in features)


def check_metrics_csv(data: bytes, view) -> None:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == len(view.metrics)
    assert sum(int(r["sites"]) for r in rows) == len(view.sites)


def check_investments_csv(data: bytes, view) -> None:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == len(view.investments.rows)
    assert {"counted", "counted_eur", "count_note"} <= set(rows[0])


def check_investments_geojson(data: bytes, view) -> None:
    features = json.loads(data)["features"]
    assert len(features) == len(view.investments.rows)
    points = view.investments.rows.geometry.notna().sum()
    assert sum(f["geometry"] is not None for f in features) == points


CHECKS = {
    "png": check_png,
    "svg": check_svg,
    "pdf": check_pdf,
    "html": check_html,
    "csv": check_sites_csv,
    "geojson": check_geojson,
    "metrics-csv": check_metrics_csv,
    "investments-csv": check_investments_csv,
    "investments-geojson": check_investments_geojson,
}


def test_every_format_has_a_check():
    assert set(CHECKS) == set(export.FORMATS)


@pytest.mark.parametrize("fmt", list(CHECKS))
def test_clicking_download_gives_the_file(page, app_url, view, tmp_path, fmt):
    panel = open_export_panel(page, app_url)
    choose_format(page, panel, fmt)
    name, data = download(page, panel, tmp_path)
    assert name == export.export_file_name(request_for(fmt))
    CHECKS[fmt](data, view)


def test_downloaded_pdf_equals_the_cli_export(page, app_url, tmp_path):
    """The issue's promise: the same print-ready PDF from the app and from the CLI."""
    panel = open_export_panel(page, app_url)
    choose_format(page, panel, "pdf")
    name, data = download(page, panel, tmp_path)
    out = tmp_path / "cli.pdf"
    command = [sys.executable, "-m", "geo", "export", "--format", "pdf", "--initiative",
               "skilling", "--out", str(out)]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert name == "france-ai-investment_skilling_a4-landscape.pdf"
    assert data == out.read_bytes()


def test_export_panel_shows_a_preview_of_the_report(page, app_url, output_dir):
    panel = open_export_panel(page, app_url)
    image = panel.get_by_test_id("stImage").locator("img")
    expect(image).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    width, height = export.LAYOUTS[export.DEFAULT_LAYOUT].pixel_size(PREVIEW_DPI)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [width, height]
    expect(panel).to_contain_text("france-ai-investment_skilling_a4-landscape.pdf")
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=output_dir / "09-export-panel.png")
    # Nothing but basemap tiles was asked of the internet.
    outside = [u for u in page.blocked if not TILE_HOST.match(urlsplit(u).hostname or "")]
    assert outside == []
