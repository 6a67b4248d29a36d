"""Validation messages in the reader's language: the same broken files worded in English,
French and German, and a DataError worded when shown, not when raised."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from helpers import DATA_DIR, copy_data, edit_csv, write_csv

from geo.core.dataset import load_dataset, summarize
from geo.core.errors import DataError
from geo.core.investments import INVESTMENT_COLUMNS, load_investments
from geo.core.pledges import track_pledges
from geo.core.sites import load_commitments, load_sites
from geo.i18n import use_language

NB = "\u00a0"  # French puts a no-break space inside « » and before ":" and ";"


def fr(text: str) -> str:
    """Write French expectations readably: ' :' and '« x »' get their no-break spaces."""
    for plain, typeset in ((" :", NB + ":"), (" ;", NB + ";"), ("« ", "«" + NB), (" »", NB + "»")):
        text = text.replace(plain, typeset)
    return text


def worded(err: DataError) -> dict[str, list[str]]:
    """Each problem of ``err`` as each language words it."""
    result = {}
    for lang in ("en", "fr", "de"):
        with use_language(lang):
            result[lang] = [str(problem) for problem in err.problems]
    return result


SITE_CASES = [
    (
        "station-f",
        {"lat": "N/A"},
        "line {line}, field 'lat': expected a number between -90 and 90, got 'N/A'",
        "ligne {line}, champ « lat » : attendu un nombre entre -90 et 90, reçu « N/A »",
        "Zeile {line}, Feld „lat“: erwartet eine Zahl zwischen -90 und 90, erhalten „N/A“",
    ),
    (
        "station-f",
        {"lat": "60.1"},
        "line {line}, field 'lat': expected a coordinate in France (metropolitan France: "
        "lat 41.0 to 51.5, lon -5.8 to 10.0, or an overseas region), got 'lat 60.1, lon 2.3713'",
        "ligne {line}, champ « lat » : attendu une coordonnée en France (France métropolitaine : "
        "lat 41,0 à 51,5, lon -5,8 à 10,0, ou une région d'outre-mer), "
        "reçu « lat 60.1, lon 2.3713 »",
        "Zeile {line}, Feld „lat“: erwartet eine Koordinate in Frankreich (Kontinentalfrankreich: "
        "lat 41,0 bis 51,5, lon -5,8 bis 10,0, oder eine Überseeregion), "
        "erhalten „lat 60.1, lon 2.3713“",
    ),
    (
        "fast-lane",
        {"lat": "48.85", "lon": "2.35"},
        "line {line}, field 'lat': expected no coordinate for precision 'not_located', "
        "got '48.85, 2.35'",
        "ligne {line}, champ « lat » : attendu aucune coordonnée pour la précision "
        "« not_located », reçu « 48.85, 2.35 »",
        "Zeile {line}, Feld „lat“: erwartet keine Koordinate für die Genauigkeit „not_located“, "
        "erhalten „48.85, 2.35“",
    ),
    (
        "station-f",
        {"category": "school"},
        "line {line}, field 'category': expected one of data_centre, microsoft_office, "
        "higher_education, training_partner, inclusion_partner, public_partner, startup_hub, "
        "event_venue, got 'school'",
        "ligne {line}, champ « category » : attendu une valeur parmi data_centre, "
        "microsoft_office, higher_education, training_partner, inclusion_partner, "
        "public_partner, startup_hub, event_venue, reçu « school »",
        "Zeile {line}, Feld „category“: erwartet einen Wert aus data_centre, microsoft_office, "
        "higher_education, training_partner, inclusion_partner, public_partner, startup_hub, "
        "event_venue, erhalten „school“",
    ),
]


@pytest.mark.parametrize(("row_id", "changes", "en", "fr_text", "de"), SITE_CASES)
def test_a_broken_site_row_in_three_languages(tmp_path, row_id, changes, en, fr_text, de):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", row_id, **changes)
    with pytest.raises(DataError) as caught:
        load_sites(data / "sites.csv")
    path = data / "sites.csv"
    assert worded(caught.value) == {
        "en": [f"{path}, {en.format(line=line)}"],
        "fr": [f"{path}, {fr(fr_text).format(line=line)}"],
        "de": [f"{path}, {de.format(line=line)}"],
    }


def test_an_unknown_commune_in_english_and_french(tmp_path):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", "station-f", insee_commune="99999")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    messages = worded(caught.value)
    assert messages["en"] == [
        f"data/sites.csv, line {line}, field 'insee_commune': expected a commune code of "
        "communes.csv (COG 2026), got '99999'"
    ]
    assert messages["fr"] == [
        fr(
            f"data/sites.csv, ligne {line}, champ « insee_commune » : attendu un code commune "
            "de communes.csv (COG 2026), reçu « 99999 »"
        )
    ]


def test_a_city_that_is_not_its_commune_quotes_the_name_per_language(tmp_path):
    data = copy_data(tmp_path)
    line = edit_csv(data / "sites.csv", "station-f", city="Lyon")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    messages = worded(caught.value)
    assert messages["en"] == [
        f"data/sites.csv, line {line}, field 'city': expected the name of commune 75056, "
        "'Paris' (optionally followed by ' (...)'), got 'Lyon'"
    ]
    assert messages["fr"] == [
        fr(
            f"data/sites.csv, ligne {line}, champ « city » : attendu le nom de la commune 75056, "
            "« Paris » (éventuellement suivi de « (...) »), reçu « Lyon »"
        )
    ]


INVESTMENT = {
    "id": "prog",
    "investor": "Example",
    "project": "A national programme",
    "amount": "20000000000",
    "currency": "EUR",
    "precision": "not_located",
    "announced": "2025-02-10",
    "status": "announced",
    "stated_by": "investor",
    "source_urls": "https://example.org/source",
    "source_note": "Example release",
}


@pytest.mark.parametrize(
    ("change", "en", "fr_text", "de"),
    [
        (
            {"part_of": "nowhere"},
            "field 'part_of': expected the id of another row of this file, got 'nowhere'",
            "champ « part_of » : attendu l'identifiant d'une autre ligne de ce fichier, "
            "reçu « nowhere »",
            "Feld „part_of“: erwartet die ID einer anderen Zeile dieser Datei, erhalten „nowhere“",
        ),
        (
            {"currency": ""},
            "field 'currency': expected the currency of the amount (EUR, USD), got ''",
            "champ « currency » : attendu la devise du montant (EUR, USD), reçu «  »",
            "Feld „currency“: erwartet die Währung des Betrags (EUR, USD), erhalten „“",
        ),
        (
            {"amount": "lots"},
            "field 'amount': expected a number of at least 0, got 'lots'",
            "champ « amount » : attendu un nombre d'au moins 0, reçu « lots »",
            "Feld „amount“: erwartet eine Zahl von mindestens 0, erhalten „lots“",
        ),
    ],
)
def test_a_broken_investment_row_in_three_languages(tmp_path, change, en, fr_text, de):
    path = tmp_path / "investments.csv"
    fields = [c.name for c in INVESTMENT_COLUMNS]
    write_csv(path, fields, [{f: {**INVESTMENT, **change}.get(f, "") for f in fields}])
    with pytest.raises(DataError) as caught:
        load_investments(path, None, None, None)
    assert worded(caught.value) == {
        "en": [f"{path}, line 2, {en}"],
        "fr": [f"{path}, {fr('ligne 2, ' + fr_text)}"],
        "de": [f"{path}, Zeile 2, {de}"],
    }


def test_a_file_that_is_not_comma_separated(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text((DATA_DIR / "sites.csv").read_text(encoding="utf-8").replace(",", ";"))
    with pytest.raises(DataError) as caught:
        load_sites(path)
    messages = worded(caught.value)
    assert messages["en"] == [
        f"{path}, line 1: expected comma-separated values (save the file with ',' between "
        "fields), got \"a header separated by ';'\""
    ]
    assert messages["fr"] == [
        f"{path}, "
        + fr(
            "ligne 1 : attendu des valeurs séparées par des virgules (enregistrez le fichier "
            "avec « , » entre les champs), reçu « un en-tête séparé par « ; » »"
        )
    ]
    assert messages["de"] == [
        f"{path}, Zeile 1: erwartet kommagetrennte Werte (speichern Sie die Datei mit „,“ "
        "zwischen den Feldern), erhalten „eine durch „;“ getrennte Kopfzeile“"
    ]


def test_a_missing_column_and_a_missing_file(tmp_path):
    path = tmp_path / "sites.csv"
    with (DATA_DIR / "sites.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [name for name in rows[0] if name != "precision"]
    write_csv(path, fields, [{f: row[f] for f in fields} for row in rows])
    with pytest.raises(DataError) as caught:
        load_sites(path)
    assert worded(caught.value)["fr"] == [
        f"{path}, " + fr("ligne 1, champ « precision » : attendu cette colonne dans l'en-tête")
    ]
    with pytest.raises(DataError) as caught:
        load_sites(tmp_path / "nothing.csv")
    assert worded(caught.value) == {
        "en": [f"{tmp_path / 'nothing.csv'}: expected an existing file, got 'no such file'"],
        "fr": [
            f"{tmp_path / 'nothing.csv'}"
            + fr(" : attendu un fichier existant, ")
            + fr("reçu « fichier introuvable »")
        ],
        "de": [
            f"{tmp_path / 'nothing.csv'}: erwartet eine vorhandene Datei, "
            "erhalten „Datei nicht gefunden“"
        ],
    }


def test_a_broken_event_in_english_and_french(tmp_path):
    data = copy_data(tmp_path)
    line = edit_csv(data / "events.csv", "alsace-public-meeting-2025-06-26", date_precision="month")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    messages = worded(caught.value)
    assert messages["en"] == [
        f"data/events.csv, line {line}, field 'date_precision': expected the precision of date "
        "'2025-06-26' (day), got 'month'"
    ]
    assert messages["fr"] == [
        fr(
            f"data/events.csv, ligne {line}, champ « date_precision » : attendu la précision de "
            "la date « 2025-06-26 » (day), reçu « month »"
        )
    ]


def test_a_broken_commitment_in_english_and_french(tmp_path):
    data = copy_data(tmp_path)
    line = edit_csv(data / "commitments.csv", "gpus", deadline="end of 2025")
    with pytest.raises(DataError) as caught:
        load_commitments(data / "commitments.csv")
    path = data / "commitments.csv"
    messages = worded(caught.value)
    assert messages["en"] == [
        f"{path}, line {line}, field 'deadline': expected a date as YYYY or YYYY-MM-DD, "
        "or nothing, got 'end of 2025'"
    ]
    assert messages["fr"] == [
        f"{path}, "
        + fr(
            f"ligne {line}, champ « deadline » : attendu une date AAAA ou AAAA-MM-JJ, ou rien, "
            "reçu « end of 2025 »"
        )
    ]


def test_a_data_error_raised_in_english_reads_in_french_when_shown_in_french(tmp_path):
    with use_language("en"), pytest.raises(DataError) as caught:
        load_sites(tmp_path / "sites.csv")
    err = caught.value  # as a cached dataset's error would be kept, across requests
    with use_language("fr"):
        assert str(err) == f"{tmp_path / 'sites.csv'}" + fr(
            " : attendu un fichier existant, reçu « fichier introuvable »"
        )
    assert str(err) == f"{tmp_path / 'sites.csv'}: expected an existing file, got 'no such file'"


def test_the_summary_counts_and_region_names_follow_the_language():
    dataset = load_dataset(DATA_DIR)
    english = summarize(dataset)
    with use_language("fr"):
        french = summarize(dataset)
    with use_language("de"):
        german = summarize(dataset)
    communes = len(dataset.communes)
    assert f"communes.csv: {communes:,} communes (INSEE reference)" in english
    assert (
        fr(f"communes.csv : {communes:,} communes (référentiel INSEE)").replace(",", "\u202f")
        in french
    )
    assert "Sites per region:" in english
    assert fr("Sites par région :") in french
    assert "Standorte nach Region:" in german
    assert " Brittany: " in english
    assert fr("  53 Bretagne : ") in french
    assert "  53 Bretagne: " in german


def test_a_pledge_is_worded_in_the_current_language():
    commitments = load_commitments(DATA_DIR / "commitments.csv")
    with use_language("fr"):
        french = [track.wording for track in track_pledges(commitments, date(2026, 1, 1))]
    english = [track.wording for track in track_pledges(commitments, date(2026, 1, 1))]
    assert french
    assert len(french) == len(english)
    assert all(" pledged, " in text for text in english)
    assert all(fr(" : engagement de ") in text for text in french), french
    assert not any("pledged" in text for text in french)
