"""The investment section in Debian's headless Chromium: its choices survive a server
restart (the page's widgets, sent as the labels they show, win over a link the new session
never saw), on the sample table (investment_samples)."""

from __future__ import annotations

import re

import pytest
from conftest import free_port, running_app
from investment_samples import write_sample_data
from playwright.sync_api import Page, expect
from test_browser import IDLE, map_frame
from test_browser_link import FIRST_RUN_TIMEOUT_MS, STATUS

pytestmark = pytest.mark.browser

EVENT = "choose-france-2025"


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")


def totals(page: Page):
    return page.get_by_test_id("stMarkdownContainer").filter(has_text="Mission focus")


def test_investment_choices_are_kept_across_a_server_restart(page, tmp_path, output_dir):
    data = write_sample_data(tmp_path)
    port = free_port()
    with running_app(data, log_name="streamlit-investments-before.log", port=port) as url:
        page.goto(f"{url}/?investments=1&inv_event={EVENT}")
        expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
        map_frame(page)  # the page fully loaded before its server goes
        # Cambrai's share (up to EUR 10 bn) and Meudon's restatement, shown alone: it counts.
        expect(totals(page)).to_contain_text("EUR 10.35 bn announced")
    expect(page.locator(STATUS)).to_contain_text("Connecting", timeout=FIRST_RUN_TIMEOUT_MS)
    with running_app(data, log_name="streamlit-investments-after.log", port=port):
        expect(page.locator(STATUS)).to_have_count(0, timeout=FIRST_RUN_TIMEOUT_MS)
        expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
        map_frame(page)
        choose(page, "Investor", "Equinix")
        query = f"investments=1&inv_investor=Equinix&inv_event={EVENT}"
        expect(page).to_have_url(re.compile(rf"/\?{re.escape(query)}&lang=en$"), timeout=60_000)
        expect(page.locator(IDLE)).to_have_count(1, timeout=FIRST_RUN_TIMEOUT_MS)
        # Equinix at Choose France 2025: the restatement alone.
        expect(totals(page)).to_contain_text("EUR 350 m announced")
        map_frame(page)
        page.screenshot(path=output_dir / "13-investments-after-restart.png")
