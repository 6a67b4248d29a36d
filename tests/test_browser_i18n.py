"""The page's language in Debian's headless Chromium: the browser's locale picks it when the
link does not; the page says it in <html lang>; screenshots under tests/output/ in French and
German at two laptop sizes and a phone size."""

from __future__ import annotations

import re

import pytest
from conftest import LOCAL_PREFIXES
from playwright.sync_api import expect
from test_browser import IDLE, MAP_IFRAME, TIMEOUT_MS

from geo.i18n import _, use_language

pytestmark = pytest.mark.browser

TITLES = {
    "fr": "Les 4\u00a0Md\u00a0€ de Microsoft pour l’IA en France",
    "de": "Microsofts 4\u00a0Mrd.\u00a0€ für KI in Frankreich",
    "en": "Microsoft's EUR 4 bn AI investment in France",
}
SIZES = {"1366x768": (1366, 768), "1440x900": (1440, 900), "390x844": (390, 844)}


def local_page(browser, locale: str, size: tuple[int, int]):
    """A page in a browser context with ``locale`` that can reach only the local app."""
    width, height = size
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    page = context.new_page()

    def route(route):
        if route.request.url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    return context, page


def open_page(page, url: str, lang: str) -> None:
    page.goto(url)
    expect(page.locator(IDLE)).to_have_count(1, timeout=2 * TIMEOUT_MS)
    expect(page.locator("h1")).to_have_text(TITLES[lang], timeout=TIMEOUT_MS)


def test_french_browser_without_lang_in_the_link_gets_the_french_page(browser, app_url):
    context, page = local_page(browser, "fr-FR", SIZES["1366x768"])
    try:
        open_page(page, app_url, "fr")
        expect(page).to_have_title(TITLES["fr"], timeout=TIMEOUT_MS)
        page.wait_for_function("document.documentElement.lang === 'fr'", timeout=TIMEOUT_MS)
        # The share link names the language shown, so sharing it keeps French; the address
        # bar, bare as typed, gets it with the first change.
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_role("link", name=re.compile(r"\?lang=fr$"))).to_have_count(1)
        sidebar.get_by_text("Afficher les départements").click()
        page.wait_for_function("location.search === '?departements=1&lang=fr'", timeout=TIMEOUT_MS)
    finally:
        context.close()


def test_link_language_wins_over_the_browser_locale(browser, app_url):
    context, page = local_page(browser, "fr-FR", SIZES["1366x768"])
    try:
        open_page(page, app_url + "?lang=de", "de")
        page.wait_for_function("document.documentElement.lang === 'de'", timeout=TIMEOUT_MS)
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "de"])
def test_screenshots_in_french_and_german(browser, app_url, output_dir, lang, size):
    context, page = local_page(browser, "en-GB", SIZES[size])
    try:
        open_page(page, f"{app_url}?lang={lang}", lang)
        # Everything drawn: the map's regions, and the widgets (not their placeholders).
        regions = page.frame_locator(MAP_IFRAME).last.locator("path.leaflet-interactive")
        expect(regions).to_have_count(18, timeout=TIMEOUT_MS)
        expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)  # the last widgets' fade-in
        page.screenshot(path=output_dir / f"i18n-{lang}-{size}.png")
    finally:
        context.close()


def pick_language(page, name: str) -> None:
    """Open the sidebar's language selector (the first select box) and choose ``name``."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=name, exact=True).click()


def counts_line(page, lang: str) -> str:
    """The counts line under the map ('Sites on the map: 24 · Regions covered: 9 · ...')."""
    with use_language(lang):
        label = _("Sites on the map")
    for _attempt in range(40):  # the rerun after a switch redraws the page in a moment
        texts = page.locator('[data-testid="stMarkdownContainer"] p').all_inner_texts()
        lines = [t for t in texts if t.startswith(label) and " · " in t]
        if lines:
            return lines[0]
        page.wait_for_timeout(500)
    raise AssertionError(f"no counts line starting {label!r}: {texts}")


def test_switching_language_keeps_the_view_and_its_counts(browser, app_url):
    context, page = local_page(browser, "en-GB", SIZES["1366x768"])
    try:
        open_page(page, app_url + "?initiative=skilling&metric=partners&lang=en", "en")
        english = counts_line(page, "en")
        pick_language(page, "Deutsch")
        expect(page.locator("h1")).to_have_text(TITLES["de"], timeout=TIMEOUT_MS)
        page.wait_for_function(
            "location.search.includes('lang=de') && location.search.includes('metric=partners')"
            " && location.search.includes('initiative=skilling')",
            timeout=TIMEOUT_MS,
        )
        expect(page.locator(IDLE)).to_have_count(1, timeout=2 * TIMEOUT_MS)
        german = counts_line(page, "de")
        assert german != english
        assert re.findall(r"\d+", german) == re.findall(r"\d+", english)  # the same counts
        pick_language(page, "English")
        expect(page.locator("h1")).to_have_text(TITLES["en"], timeout=TIMEOUT_MS)
        expect(page.locator(IDLE)).to_have_count(1, timeout=2 * TIMEOUT_MS)
        assert counts_line(page, "en") == english
        assert "initiative=skilling" in page.evaluate("location.search")
    finally:
        context.close()
