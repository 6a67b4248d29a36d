"""Report images and exports in the view's language: French and German texts, numbers and
dates on the page, in PDF and SVG metadata, in file names and export messages."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET
from datetime import date

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pypdf
import pytest
import user_samples as us
from matplotlib.figure import Figure

from geo import export
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.export import ExportError, ExportRequest
from geo.i18n import use_language
from geo.report import footer, header
from geo.report import render as static
from geo.report.layouts import LAYOUTS
from geo.report.sheet import Sheet
from geo.report.text import clean_text, localized_texts, undrawable

DAY = date(2024, 5, 13)
NBSP, NNBSP = "\u00a0", "\u202f"
LAYER = ViewState(layer_investments=True)


def figure(dataset, lang: str, state: ViewState = LAYER) -> Figure:
    with use_language(lang):
        view = compute_view(dataset, state)
        return static.build_figure(dataset, view, made_on=DAY)


def texts(fig: Figure, gid: str | None = None) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts if gid is None or t.get_gid() == gid]


def test_french_page_has_french_title_legend_money_and_date(dataset):
    fig = figure(dataset, "fr")
    title = " ".join(texts(fig, "title"))
    assert title.startswith(f"Les 4{NBSP}Md{NBSP}€ de Microsoft pour l'IA en France{NBSP}:")
    assert title.endswith("par région")
    legend = texts(fig, "legend")
    assert any(t.endswith(" par région") for t in legend)  # the choropleth's heading
    assert "Investissements annoncés dans l'IA" in " ".join(legend)
    assert any(t.endswith(f"{NBSP}Md{NBSP}€") for t in legend)  # the circles' size key
    assert not any("EUR" in t or " bn" in t for t in legend)
    foot = " ".join(texts(fig, "footer"))
    assert "communiqué de Microsoft du 13 mai 2024" in foot
    assert "Carte réalisée le 13 mai 2024." in foot
    assert "Map made" not in foot


def test_german_page_says_mrd_euro_and_a_german_date(dataset):
    fig = figure(dataset, "de")
    assert " ".join(texts(fig, "title")).startswith(f"Microsofts 4{NBSP}Mrd.{NBSP}€ für KI")
    assert any(t.endswith(f"{NBSP}Mrd.{NBSP}€") for t in texts(fig, "legend"))
    assert "Karte erstellt am 13. Mai 2024." in " ".join(texts(fig, "footer"))


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_text_of_a_translated_page_has_a_glyph(dataset, lang):
    fig = figure(dataset, lang)
    drawn = texts(fig)
    assert any(NBSP in t for t in drawn)
    assert [t for t in drawn if undrawable(t)] == []
    with warnings.catch_warnings(record=True) as caught:  # Agg warns of each missing glyph
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def test_french_thousands_keep_their_narrow_no_break_space_on_the_page():
    with use_language("fr"):
        note = footer.label_note(1200)
    assert note == f"1{NNBSP}200 étiquettes de site omises là où elles se chevaucheraient."
    fig = Figure(figsize=LAYOUTS["square"].figsize())
    sheet = Sheet.on(fig, LAYOUTS["square"])
    assert sheet.put(0.5, 0.5, note, 8).get_text() == note
    assert clean_text(f"25{NNBSP}000\t{NBSP}%\n") == f"25{NNBSP}000 {NBSP}%"


def test_french_pdf_has_french_text_and_metadata(dataset):
    with use_language("fr"):
        view = compute_view(dataset, ViewState())
        data = static.render_image(dataset, view, "pdf", made_on=DAY)
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Carte réalisée le 13 mai 2024" in text
    assert "de Microsoft pour l'IA en France" in text
    meta = reader.metadata
    assert meta.title.startswith("Les 4")
    assert "Limites" in meta.subject
    assert "intelligence artificielle" in meta["/Keywords"]


@pytest.mark.parametrize(("lang", "expected"), [("fr", "fr"), ("en", "en")])
def test_svg_root_says_its_language(dataset, lang, expected):
    with use_language(lang):
        view = compute_view(dataset, ViewState())
        data = static.render_image(dataset, view, "svg", layout="square", made_on=DAY)
    root = ET.fromstring(data)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == expected


@pytest.mark.parametrize(
    ("lang", "fmt", "name"),
    [
        ("en", "pdf", "france-ai-investment_all_a4-landscape.pdf"),
        ("fr", "pdf", "france-ai-investment_all_a4-landscape-fr.pdf"),
        ("de", "png", "france-ai-investment_all_a4-landscape-de.png"),
        ("fr", "csv", "france-ai-investment_all_sites-fr.csv"),
        ("de", "html", "france-ai-investment_all_interactive-map-de.html"),
    ],
)
def test_file_names_say_a_language_other_than_english(lang, fmt, name):
    with use_language(lang):
        assert export.export_file_name(ExportRequest(ViewState(), fmt)) == name


def test_export_messages_and_sizes_in_french():
    with use_language("fr"):
        with pytest.raises(ExportError) as err:
            export.check_dpi("dpi", 9)
        assert str(err.value) == f"dpi{NBSP}: nombre entier de 50 à 600 attendu, reçu 9"
        assert export.format_size(48_300) == f"48,3{NBSP}Ko"
        assert export.format_size(812) == f"812{NBSP}octets"
    with pytest.raises(ExportError) as err:
        export.check_dpi("dpi", 9)
    assert str(err.value) == "dpi expected a whole number from 50 to 600, got 9"
    assert export.format_size(48_000) == "48.0 KB"


def test_labels_take_our_own_names_in_the_language_when_the_data_holds_them():
    table = pd.DataFrame(
        {"name": ["Paris region campus", "SKEMA"], "name_fr": ["Campus francilien", ""]}
    )
    with use_language("fr"):
        assert list(localized_texts(table, "name")) == ["Campus francilien", "SKEMA"]
    with use_language("de"):  # no German column: as written
        assert list(localized_texts(table, "name")) == ["Paris region campus", "SKEMA"]


def test_programme_title_in_english_is_the_title_prefix():
    with use_language("en"):
        assert header.programme_title() == header.TITLE_PREFIX


def test_inset_and_footer_name_overseas_regions_as_insee_does_in_french(dataset):
    state = ViewState(filter=SiteFilter(regions=("04", "11")))
    fig = figure(dataset, "fr", state)
    assert "La Réunion" in texts(fig, "inset-title")
    assert "Non représentées\u00a0: Guadeloupe, Martinique, Guyane, Mayotte" in " ".join(
        texts(fig, "footer")
    )


@pytest.mark.parametrize("fmt", ["csv", "metrics-csv", "investments-csv"])
def test_data_exports_keep_their_headers_and_numbers_in_french(dataset, fmt):
    request = ExportRequest(ViewState(), fmt)
    english = export.render_export(dataset, request).decode().splitlines()
    with use_language("fr"):
        french = export.render_export(dataset, request).decode().splitlines()
    assert french[0] == english[0]
    assert len(french) == len(english)
    if fmt == "csv":
        assert french == english  # no text of ours in the sites' cells


def test_a_readers_metric_title_reads_as_one_french_sentence(dataset):
    values = us.region_values(level="region", values={"84": 7.0})
    user = us.user_data(None, values)
    with use_language("fr"):
        view = compute_view(dataset, ViewState(metric="user_values"), user=user)
        title = header.default_title(view)
    assert title == (
        f"Emplois <b>IA</b> (postes) par région, avec les sites des 4{NBSP}Md{NBSP}€ de "
        "Microsoft pour l'IA en France"
    )
