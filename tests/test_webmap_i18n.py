"""The web map in French and German: render the page, grep its words (issue 14).

Each test renders inside ``i18n.use_language`` and checks the words the map itself writes
(popups, tooltips, legends, layer names, control titles, the script's words), its numbers in
the language's format, ``<html lang>``, and that the English page keeps its words.
"""

from __future__ import annotations

import json
import re

import pytest
from test_mapping import decoded, marker_data, render, view_of
from test_webmap_investments import ANCHORS, NAMES, counted_rows, investments, layer_script

from geo import i18n
from geo.webmap import fragments, layers
from geo.webmap import investments as inv

NBSP, NNBSP = "\u00a0", "\u202f"
# Words the page holds in each language: the control titles and the script's words.
CONTROL_WORDS = {
    "en": (
        '"title": "Full screen"',
        '"zoomIn": "Zoom in"',
        '"layers": "Layers"',
        '"label": "Table"',
    ),
    "fr": (
        '"title": "Plein écran"',
        '"zoomIn": "Zoom avant"',
        '"layers": "Couches"',
        '"label": "Tableau"',
    ),
    "de": (
        '"title": "Vollbild"',
        '"zoomIn": "Vergrößern"',
        '"layers": "Ebenen"',
        '"label": "Tabelle"',
    ),
}


def page_in(dataset, lang: str, **view) -> str:
    with i18n.use_language(lang):
        return render(dataset, view_of(dataset, **view))


def setup_config(page: str) -> dict:
    found = re.search(r"FranceAiMap\.setupMap\(\w+, (\{.*?\})\);", page)
    assert found, "the page calls FranceAiMap.setupMap"
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_page_says_its_language_and_titles_its_controls_in_it(dataset, lang):
    page = page_in(dataset, lang)
    assert f'<html lang="{lang}">' in page
    text = decoded(page)
    for words in CONTROL_WORDS[lang]:
        assert words in text
    config = setup_config(page)
    assert config["lang"] == lang
    assert set(config["strings"]) == {
        "zoomIn",
        "zoomOut",
        "layers",
        "clusterHidden",
        "regionValues",
        "closePopup",
    }
    others = [w for other, words in CONTROL_WORDS.items() if other != lang for w in words]
    assert not [w for w in others if w in text]


def test_french_page_title_layers_tooltips_and_legend(dataset):
    page = decoded(page_in(dataset, "fr"))
    assert f"<title>Carte des investissements IA en France{NBSP}: les sites IA de Microsoft" in page
    assert f"Régions{NBSP}: " in page  # the choropleth's layer name
    assert "Départements (contours)" not in page  # outlines only when asked
    assert "Fond de carte" in page
    # A region's tooltip: INSEE's French name, the metric head with its no-break space.
    assert f"<strong>Guyane</strong><br>Sites{NBSP}: <b>" in page
    assert "Cliquer pour le panneau de la région" in page
    assert '<div class="title">Sites par région</div>' in page
    assert "limites <a href=" in page  # the boundaries' attribution, around its link
    assert "Click for the region panel" not in page


def test_german_region_names_stay_insee_french_and_outlines_are_named(dataset):
    page = decoded(page_in(dataset, "de", departements=True))
    assert "<strong>Guyane</strong>" in page
    assert "French Guiana" not in page
    assert "Départements (Umrisse)" in page
    assert '<div class="title">Standorte je Region</div>' in page
    assert "Klicken für die Regionsübersicht" in page


def test_english_region_names_are_the_english_ones(dataset):
    page = decoded(page_in(dataset, "en"))
    assert "<strong>French Guiana</strong>" in page
    assert "<strong>Guyane</strong>" not in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ("<th>Catégorie</th>", "<th>Localisation</th>", f"Sources{NBSP}: <a ", "Point")),
        ("de", ("<th>Kategorie</th>", "<th>Verortung</th>", "Quellen: <a ", "Punkt: ")),
        ("en", ("<th>Category</th>", "<th>Location</th>", "Sources: <a ", "Point: ")),
    ],
)
def test_site_popups_are_worded_in_the_language(dataset, lang, words):
    sites = {site["id"]: site for site in marker_data(page_in(dataset, lang))}
    popup = sites["dc-petit-landau"]["popup"]
    for word in words:
        assert word in popup
    # The precision sentence loses its "location:" head (the row says it already).
    assert "<td>location:" not in popup.lower()


def test_marker_rows_follow_the_language_they_are_made_in(dataset):
    """marker_rows (the app caches them) hold the language they were made in."""
    with i18n.use_language("fr"):
        french = layers.marker_rows(dataset.sites)
    english = layers.marker_rows(dataset.sites)
    site = "dc-petit-landau"
    assert "<th>Catégorie</th>" in french[site][2]["popup"]
    assert "<th>Category</th>" in english[site][2]["popup"]
    assert "<th>Catégorie</th>" not in english[site][2]["popup"]


def test_french_investment_popup_tooltip_and_numbers():
    with i18n.use_language("fr"):
        rows, script = layer_script()
    by_id = {row["id"]: row for row in rows}
    popup = by_id["hostile"]["popup"]
    assert "<th>Compté ici</th>" in popup
    assert "<th>Capacité</th>" in popup
    assert "28,8 MW" in popup  # a decimal comma
    assert f"Localisation{NBSP}: commune seulement" in popup
    assert "&lt;b&gt;x&lt;/b&gt;" in popup  # data text stays escaped around the French words
    tooltip = by_id["hostile"]["tooltip"]
    assert f"Lieu approximatif{NBSP}: ville ou commune seulement" in tooltip
    region = next(row for row in rows if row["id"].startswith("region-"))
    assert "investissements connus seulement par leur région" in region["tooltip"]
    assert f"Compté{NBSP}: " in region["tooltip"]
    assert f"{NBSP}: 2 investissements connus" in region["popup"]
    # A translated word is text like any other: its apostrophe escaped in the HTML.
    assert "rien n&#x27;est dessiné" in region["popup"]
    assert "Investissements annoncés dans l&#x27;IA (7)" in decoded(script)  # the legend


def test_french_and_german_investment_legends_use_their_money_words():
    rows = counted_rows()
    with i18n.use_language("fr"):
        french = inv.investment_legend_html(rows, rows)
    with i18n.use_language("de"):
        german = inv.investment_legend_html(rows, rows)
    assert "Statut (couleur)" in french
    assert "Euros comptés (surface du cercle)" in french
    assert f"1{NBSP}Md{NBSP}€ ou moins" in french  # Babel's French money, no-break spaces
    assert f"non localisé{NBSP}: listé, non dessiné." in french
    assert "Status (Farbe)" in german
    assert f"10{NBSP}Mrd.{NBSP}€" in german
    assert "oder weniger" in german
    assert "Gestrichelt: nur Region" in german


def test_the_investment_layer_is_named_in_the_language():
    with i18n.use_language("de"):
        group = inv.investment_group(investments(), ANCHORS, NAMES)
    assert group.layer_name.startswith("Angekündigte KI-Investitionen (")
    group = inv.investment_group(investments(), ANCHORS, NAMES)
    assert group.layer_name.startswith("Announced AI investments (")


def test_standalone_french_export_is_french(dataset):
    """The exported HTML (inline assets) is the same page: French words and lang="fr"."""
    page = page_in(dataset, "fr")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert '"titleCancel": "Quitter le plein écran"' in decoded(page)


@pytest.mark.parametrize(
    ("lang", "title", "number"),
    [
        ("en", "This link was not applied.", "more than 1,000 parameters or 8 KiB"),
        ("fr", "Ce lien n&#x27;a pas été appliqué.", f"plus de 1{NNBSP}000 paramètres ou 8 Kio"),
        ("de", "Dieser Link wurde nicht angewendet.", "mehr als 1.000 Parameter oder 8 KiB"),
    ],
)
def test_dropped_link_notice_is_worded_in_the_language(lang, title, number):
    with i18n.use_language(lang):
        notice = fragments.dropped_link_notice_html(1000, 8)
    assert f"<strong>{title}</strong>" in notice
    assert number in notice
    assert 'role="alert" hidden' in notice  # the page's script shows it, never the server
    assert "URLSearchParams(window.location.search)" in notice
