"""The app in French, English and German: the link's lang=, the selector, the link it writes."""

from __future__ import annotations

from test_app import metrics, run_app

from geo import i18n

NBSP = "\u00a0"


def sidebar_headers(at) -> list[str]:
    return [h.value for h in at.sidebar.header]


def test_link_in_french_shows_the_page_in_french_and_keeps_lang_in_the_link():
    at = run_app({"lang": "fr", "initiative": "skilling"})
    assert not at.exception
    assert at.title[0].value == "Les 4\u00a0Md\u00a0€ de Microsoft pour l’IA en France"
    assert "13 mai 2024" in at.caption[0].value
    assert sidebar_headers(at)[:3] == ["Carte", "Filtres", "Investissements dans l’IA en France"]
    assert at.selectbox(key="lang").value == "fr"
    assert at.selectbox(key="metric").label == "Colorer les régions selon"
    assert at.text_input(key="text").label == "Chercher dans les noms, villes et notes"
    assert at.toggle(key="departements").label == "Afficher les départements"
    assert at.button[0].label == "Effacer les filtres"
    # French typography: a no-break space before the colon.
    captions = [c.value for c in at.sidebar.caption]
    assert f"La barre d’adresse contient toujours la vue actuelle{NBSP}: copiez-la" in " ".join(
        captions
    )
    assert at.query_params["lang"] == "fr"
    assert at.query_params["initiative"] == "skilling"
    assert not at.warning  # a valid lang= is no notice


def test_link_in_german_shows_the_page_in_german():
    at = run_app({"lang": "de"})
    assert not at.exception
    assert at.title[0].value == "Microsofts 4\u00a0Mrd.\u00a0€ für KI in Frankreich"
    assert "13. Mai 2024" in at.caption[0].value
    assert "Teilen" in sidebar_headers(at)
    assert at.selectbox(key="view").label == "Ansicht"
    assert at.selectbox(key="panel_region").label == "Regionsbereich"
    assert at.query_params["lang"] == "de"


def test_unknown_language_in_the_link_says_so_and_shows_english():
    at = run_app({"lang": "es"})
    assert not at.exception
    assert any("lang='es'" in w.value for w in at.warning)
    assert at.title[0].value == "Microsoft's EUR 4 bn AI investment in France"
    assert at.selectbox(key="lang").value == "en"
    assert at.query_params["lang"] == "en"  # the link now says what the page shows


def test_selector_offers_the_three_languages_by_their_own_names():
    at = run_app()
    selector = at.selectbox(key="lang")
    assert selector.label == "🌐 Langue · Language · Sprache"
    assert selector.options == ["Français", "English", "Deutsch"]
    assert selector.value == i18n.DEFAULT_LANGUAGE  # AppTest has no browser locale
    # The sidebar's first widget: before the map options and the filters.
    assert at.sidebar.selectbox[0].key == "lang"


def test_switching_language_keeps_the_filters_and_the_counts():
    # One switch per AppTest: AppTest (unlike the browser, which sends indices) looks each
    # selectbox up by its shown label on the next rerun, which a switch has just changed.
    at = run_app({"initiative": "skilling", "q": "campus", "departements": "1"})
    english = metrics(at)
    at.selectbox(key="lang").set_value("fr").run()
    assert not at.exception
    assert at.multiselect(key="initiatives").value == ["skilling"]
    assert at.text_input(key="text").value == "campus"
    assert "Filtres" in sidebar_headers(at)
    assert at.query_params["lang"] == "fr"
    assert at.query_params["initiative"] == "skilling"
    assert at.query_params["departements"] == "1"
    # tests/test_browser_i18n.py switches English, German, English in Chromium
    assert english  # the English counts line was there to compare with


def test_french_page_writes_numbers_the_french_way():
    at = run_app({"lang": "fr"})
    # The tables' expander counts its rows; Markdown escapes aside, the words are French.
    (tables,) = [e for e in at.expander if e.label.startswith("Tableaux")]
    assert tables.label.startswith(f"Tableaux{NBSP}: ")
    assert "sites sur la carte" in tables.label
