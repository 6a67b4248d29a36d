"""The link and the page across a server restart, in Debian's headless Chromium (issue 9).

A page outlives its server session when the server restarts: the browser reconnects to a new
session that has never seen the link, while the page's widgets still show the reader's view.
"""

from __future__ import annotations

import re

import pytest
from conftest import free_port, running_app
from playwright.sync_api import Page, expect
from test_browser import IDLE, MAP_IFRAME, TIMEOUT_MS, located_count, map_frame, wait_represented

pytestmark = pytest.mark.browser

STATUS = '[data-testid="stStatusWidget"]'
SETTLE_MS = 3_000  # a further idle wait: nothing may change the view after the run


def choose_initiative(page: Page, name: str) -> None:
    page.get_by_role("combobox", name="Initiative type").click()
    page.get_by_role("option", name=name).click()
    page.keyboard.press("Escape")


def assert_view(page: Page, dataset, query: str, initiatives: tuple[str, ...]) -> None:
    """Widget, address bar, map and counts all hold these initiatives."""
    expect(page).to_have_url(re.compile(rf"/\?{re.escape(query)}$"), timeout=TIMEOUT_MS)
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    labels = {"skilling": "Skilling", "startups": "Startups", "infrastructure": "Infrastructure"}
    for key in initiatives:
        expect(chips).to_contain_text(labels[key])
    expected = located_count(dataset, initiatives=initiatives)
    expect(
        page.locator('[data-testid="stMetric"]').filter(has_text="Sites on the map")
    ).to_contain_text(str(expected))
    wait_represented(map_frame(page), expected)


def test_first_change_after_a_server_restart_is_kept(page, dataset, output_dir):
    port = free_port()
    with running_app(log_name="streamlit-restart-before.log", port=port) as url:
        page.goto(f"{url}/?initiative=skilling")
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        map_frame(page)
        choose_initiative(page, "Startups")
        assert_view(
            page, dataset, "initiative=skilling&initiative=startups", ("skilling", "startups")
        )
    expect(page.locator(STATUS)).to_contain_text("Connecting", timeout=TIMEOUT_MS)
    with running_app(log_name="streamlit-restart-after.log", port=port):
        expect(page.locator(STATUS)).to_have_count(0, timeout=TIMEOUT_MS)  # reconnected
        expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
        expect(
            page.frame_locator(MAP_IFRAME).last.locator("path.leaflet-interactive")
        ).to_have_count(18, timeout=TIMEOUT_MS)
        choose_initiative(page, "Infrastructure")
        three = ("skilling", "startups", "infrastructure")
        query = "initiative=skilling&initiative=startups&initiative=infrastructure"
        assert_view(page, dataset, query, three)
        page.wait_for_timeout(SETTLE_MS)
        assert_view(page, dataset, query, three)
        page.screenshot(path=output_dir / "09-after-restart.png", full_page=True)
