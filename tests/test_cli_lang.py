"""The CLI's language: --lang before or after the subcommand, the environment's locale as
gettext reads it, translated --help and argparse messages, French and German output."""

from __future__ import annotations

import argparse
import csv
import gettext
import io
import re
from pathlib import Path

import landscape_samples as ls
import pytest

from geo import i18n
from geo.cli import (
    ALL_ROW,
    ARGPARSE_MESSAGES,
    LANDSCAPE_HEADINGS,
    environment_language,
    main,
    requested_language,
)

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return ls.landscape_data(tmp_path_factory.mktemp("landscape-lang"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def exits(capsys, *args: str) -> tuple[int, str, str]:
    """Run an invocation argparse ends (help, bad option): (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_french_help_is_french_down_to_argparse_words(capsys):
    status, out, err = exits(capsys, "--lang", "fr", "--help")
    assert (status, err) == (0, "")
    assert out.startswith(f"utilisation{NBSP}: france-ai-map [-h] [--lang LANG] COMMAND")
    assert "arguments positionnels:" in out
    assert "afficher ce message d'aide et quitter" in out
    assert "vérifier chaque fichier de données et afficher un résumé" in " ".join(out.split())
    assert "usage:" not in out
    assert "show this help" not in out


def test_a_subcommand_help_takes_the_lang_given_after_it(capsys):
    status, out, _ = exits(capsys, "landscape", "--lang", "de", "--help")
    assert status == 0
    assert out.startswith("Aufruf: france-ai-map landscape")
    words = " ".join(out.split())  # argparse wraps the help lines
    assert "Investitionen in dieser Region behalten (INSEE-Code, wiederholbar)" in words
    assert "diese Hilfe anzeigen und beenden" in words


def test_an_unknown_language_is_refused_with_the_valid_list(capsys):
    status, out, err = exits(capsys, "--lang", "es", "validate")
    assert (status, out) == (2, "")
    assert "argument --lang: invalid choice: 'es' (choose from 'fr', 'en', 'de')" in err
    status, _, err = exits(capsys, "validate", "--lang", "es")
    assert status == 2
    assert "(choose from 'fr', 'en', 'de')" in err


def test_the_refusal_is_worded_in_the_environments_language(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    status, _, err = exits(capsys, "--lang", "es", "validate")
    assert status == 2
    assert "erreur\u00a0: argument --lang\u00a0: choix invalide\u00a0: 'es'" in err
    assert "(choisir parmi 'fr', 'en', 'de')" in err


def test_lang_from_the_environment_gives_french_messages(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    status, out, err = run(capsys, "landscape", "--format", "xlsx")
    assert (status, out) == (1, "")
    assert err.startswith(f"Erreur{NBSP}: --format 'xlsx'")
    assert "un tableau aligné" in err  # the choices' labels are ours, translated


def test_the_lang_option_wins_over_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    status, _, err = run(capsys, "--lang", "en", "landscape", "--format", "xlsx")
    assert status == 1
    assert err.startswith("Error: --format 'xlsx'")


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "de_AT.UTF-8"}, "de"),
        ({"LANG": "es_ES.UTF-8"}, "en"),
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "de"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),  # the first variable set decides
        ({"LANGUAGE": "es:de:fr", "LANG": "fr_FR.UTF-8"}, "de"),  # a list, first ours
        ({"LANGUAGE": "es", "LANG": "fr_FR.UTF-8"}, "fr"),  # none of ours: the locale's
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "de_DE"}, "de"),  # empty is unset
    ],
)
def test_environment_language_reads_the_variables_as_gettext_does(environ, lang):
    assert environment_language(environ) == lang


def test_requested_language_reads_the_last_valid_lang_before_a_double_dash():
    env = {"LANG": "de_DE.UTF-8"}
    assert requested_language(["export", "--lang", "fr"], env) == "fr"
    assert requested_language(["--lang=fr", "export", "--lang", "en"], env) == "en"
    assert requested_language(["--lang", "es", "export"], env) == "de"  # refused later
    assert requested_language(["run", "--", "--lang", "fr"], env) == "de"
    assert requested_language(["validate"], env) == "de"
    assert requested_language(["validate", "--lan", "fr"], env) == "fr"  # as argparse reads it
    assert requested_language(["export", "--labels", "--lang"], env) == "de"


def test_french_landscape_words_money_in_md_euros_and_names_its_rows(capsys, data_dir):
    status, out, err = run(capsys, "--lang", "fr", "landscape", "--data-dir", str(data_dir))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Code", "Région", "Annoncé"]
    total = next(line for line in lines if "Tous les investissements affichés" in line)
    assert f"64,35{NBSP}Md{NBSP}€" in total
    assert "EUR" not in total
    assert " bn" not in total


def test_german_landscape_words_money_in_mrd_euros(capsys, data_dir):
    status, out, _ = run(capsys, "landscape", "--lang", "de", "--data-dir", str(data_dir))
    assert status == 0
    assert out.splitlines()[0].split()[:3] == ["Code", "Region", "Angekündigt"]
    total = next(line for line in out.splitlines() if "Alle angezeigten Investitionen" in line)
    assert f"64,35{NBSP}Mrd.{NBSP}€" in total


def test_landscape_csv_keeps_its_header_and_raw_numbers_in_french(capsys, data_dir):
    status, english, _ = run(capsys, "landscape", "--format", "csv", "--data-dir", str(data_dir))
    status_fr, french, _ = run(
        capsys, "--lang", "fr", "landscape", "--format", "csv", "--data-dir", str(data_dir)
    )
    assert status == status_fr == 0
    assert french.splitlines()[0] == english.splitlines()[0]
    rows = {r["region"]: r for r in csv.DictReader(io.StringIO(french))}
    assert float(rows["Tous les investissements affichés"]["announced_eur"]) == ls.TOTAL_EUR
    assert ALL_ROW not in rows


def test_landscape_headings_are_translated_in_every_language():
    for lang in ("fr", "de"):
        with i18n.use_language(lang):
            translated = [i18n._(h) for h in LANDSCAPE_HEADINGS]
        assert all(translated), lang
    with i18n.use_language("fr"):
        assert i18n._("Undiscl.") != "Undiscl."


def test_argparse_is_given_back_its_own_gettext_after_a_run(capsys):
    exits(capsys, "--lang", "fr", "--help")
    assert argparse._ is gettext.gettext
    assert argparse.ngettext is gettext.ngettext
    assert i18n.language() == "en"


def test_the_marked_argparse_messages_are_argparses_own():
    """The block of argparse msgids in cli.py must match this Python's argparse: a renamed
    msgid there would silently come out in English."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r"""_\((['"])(.*?)\1\)""", source))
    used = {text.encode().decode("unicode_escape") for _, text in used}
    missing = [m for m in ARGPARSE_MESSAGES if m not in used]
    assert not missing, missing


def test_an_export_is_written_in_the_chosen_language(capsys, tmp_path, monkeypatch):
    import geo.export

    seen = []
    write = geo.export.write_export

    def recording_write(*args, **kwargs):
        seen.append(i18n.language())
        return write(*args, **kwargs)

    monkeypatch.setattr(geo.export, "write_export", recording_write)
    status, out, err = run(
        capsys, "export", "--lang", "de", "--format", "csv", "--out", f"{tmp_path}/"
    )
    assert (status, err) == (0, "")
    assert seen == ["de"]
    assert " geschrieben (" in out
    assert i18n.language() == "en"  # the run's language ends with the run
