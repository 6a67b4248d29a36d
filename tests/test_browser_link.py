"""The link and the page across a server restart, in Debian's headless Chromium (issue 9).

A page outlives its server session when the server restarts: the browser reconnects to a new
session that has never seen the link, while the page's widgets still show the reader's view.
"""

from __future__ import annotations

import re

import pytest
from conftest import free_port, running_app
from playwright.sync_api import Page, expect
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS as QUERY_MAX_FIELDS,
)
from test_browser import IDLE, MAP_IFRAME, TIMEOUT_MS, located_count, map_frame, wait_represented

from geo.core.state import MAX_NOTICES

pytestmark = pytest.mark.browser

STATUS = '[data-testid="stStatusWidget"]'
DROPPED = ".dropped-link-notice"
# A new server's first run loads the data and simplifies the boundaries: slow on a busy CI box.
FIRST_RUN_TIMEOUT_MS = 90_000
SETTLE_MS = 3_000  # a further idle wait: nothing may change the view after the run


def choose_initiative(page: Page, name: str) -> None:
    page.get_by_role("combobox", name="Initiative type").click()
    page.get_by_role("option", name=name).click()
    page.keyboard.press("Escape")


def assert_view(page: Page, dataset, query: str, initiatives: tuple[str, ...]) -> None:
    """Widget, address bar, counts and map all hold these initiatives (and view); the address
    ends with the language shown (the browser's, English)."""
    expect(page).to_have_url(
        re.compile(rf"/\?{re.escape(query)}&lang=en$"), timeout=FIRST_RUN_TIMEOUT_MS
    )
    expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    labels = {"skilling": "Skilling", "startups": "Startups", "infrastructure": "Infrastructure"}
    for key in initiatives:
        expect(chips).to_contain_text(labels[key])
    expected = located_count(dataset, initiatives=initiatives)
    expect(
        page.get_by_test_id("stMarkdownContainer").filter(has_text="Sites on the map:")
    ).to_contain_text(re.compile(rf"Sites on the map: {expected} "))
    frame = map_frame(page)
    if "view=paris" in query:  # zoomed in: the markers outside Paris are not drawn
        frame.wait_for_function("() => map_div.getZoom() >= 9", timeout=TIMEOUT_MS)
    else:
        wait_represented(frame, expected)


def choose_view(page: Page, label: str) -> None:
    page.get_by_role("combobox", name="View").click()
    page.get_by_role("option", name=label).click()


TWO = "initiative=skilling&initiative=startups"
# One change after the restart: a filter (drawn before the view is read) and a map option
# (read before it is drawn); both must hold.
CHANGES = {
    "filter": (
        lambda page: choose_initiative(page, "Infrastructure"),
        f"{TWO}&initiative=infrastructure",
        ("skilling", "startups", "infrastructure"),
        "Metropolitan France",
    ),
    "view": (
        lambda page: choose_view(page, "Paris region"),
        f"{TWO}&view=paris",
        ("skilling", "startups"),
        "Paris region",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_first_change_after_a_server_restart_is_kept(page, dataset, output_dir, change):
    act, query, initiatives, view_label = CHANGES[change]
    port = free_port()
    with running_app(log_name="streamlit-restart-before.log", port=port) as url:
        page.goto(f"{url}/?initiative=skilling")
        expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
        map_frame(page)
        choose_initiative(page, "Startups")
        assert_view(page, dataset, TWO, ("skilling", "startups"))
    expect(page.locator(STATUS)).to_contain_text("Connecting", timeout=FIRST_RUN_TIMEOUT_MS)
    with running_app(log_name="streamlit-restart-after.log", port=port):
        expect(page.locator(STATUS)).to_have_count(0, timeout=FIRST_RUN_TIMEOUT_MS)  # reconnected
        expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
        expect(
            page.frame_locator(MAP_IFRAME).last.locator("path.leaflet-interactive")
        ).to_have_count(18, timeout=FIRST_RUN_TIMEOUT_MS)
        act(page)
        for _ in range(2):  # after the run, and again after a further idle wait
            assert_view(page, dataset, query, initiatives)
            expect(page.get_by_role("combobox", name="View")).to_have_value(view_label)
            page.wait_for_timeout(SETTLE_MS)
        page.screenshot(path=output_dir / f"09-after-restart-{change}.png", full_page=True)


def open_long_link(page: Page, url: str, count: int) -> None:
    """A link of ``count`` distinct invalid region values."""
    page.goto(f"{url}/?" + "&".join(f"region=z{n}" for n in range(count)))
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    map_frame(page)


def test_the_longest_accepted_link_gives_capped_notices(page, app_url):
    open_long_link(page, app_url, QUERY_MAX_FIELDS)
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warnings).to_have_count(MAX_NOTICES + 1)
    expect(warnings.last.locator('[data-testid="stMarkdownContainer"]')).to_have_text(
        f"{QUERY_MAX_FIELDS - MAX_NOTICES} more values from the link were ignored."
    )
    expect(page.locator(DROPPED)).to_be_hidden()


def test_a_link_streamlit_drops_gives_one_notice(page, app_url, output_dir):
    open_long_link(page, app_url, QUERY_MAX_FIELDS + 1)
    expect(page.locator(DROPPED)).to_have_count(1)
    expect(page.locator(DROPPED)).to_be_visible()
    expect(page.locator(DROPPED)).to_have_text(
        "This link was not applied. Its address has more than 1,000 parameters or 512 KiB, "
        "more than the server reads, so the map shows the default view. Open a shorter link."
    )
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_have_count(0)
    page.screenshot(path=output_dir / "10-dropped-link.png")
    # The first change gives a view of its own; the notice goes with the dropped link.
    choose_initiative(page, "Startups")
    expect(page).to_have_url(re.compile(r"/\?initiative=startups&lang=en$"), timeout=TIMEOUT_MS)
    expect(page.locator(IDLE)).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(DROPPED)).to_have_count(0)


def test_a_plain_address_shows_no_dropped_link_notice(page, app_url):
    open_long_link(page, app_url, 0)
    expect(page.locator(DROPPED)).to_be_hidden()
