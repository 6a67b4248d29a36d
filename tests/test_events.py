"""events.csv: the dated story is validated, counted and ready for a timeline."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import copy_data, edit_csv

from geo import presentation
from geo.core.dataset import load_dataset, summarize
from geo.core.errors import DataError


def test_shipped_events_load_sorted_by_date(dataset):
    events = dataset.events
    assert len(events) == 23
    assert events["day"].is_monotonic_increasing
    assert events.loc["ai-school-tours-opening", "day"] == pd.Timestamp("2022-01-01")
    assert events.loc["ai-school-tours-opening", "date_precision"] == "month"
    assert "events.csv: 23 events (2018 to 2026)" in summarize(dataset)


def test_region_events_and_timeline(dataset):
    grand_est = presentation.region_events(dataset, "44")
    assert list(grand_est["id"])[:2] == ["alsace-revealed-2023", "alsace-site-search-2023"]
    assert set(grand_est["scope"]) == {"44"}
    with_national = presentation.region_events(dataset.events, "44", include_national=True)
    assert "announcement-2024-05-12" in with_national.index
    table = presentation.timeline_table(grand_est, dataset.region_names())
    assert list(table.columns) == ["Date", "When", "Event", "Kind", "Scope", "Source"]
    assert pd.api.types.is_datetime64_any_dtype(table["Date"])
    row = table.loc["alsace-public-meeting-2025-06-26"]
    assert (row["When"], row["Kind"], row["Scope"]) == ("26 June 2025", "Meeting", "Grand Est")
    assert row["Source"].startswith("https://")
    national = presentation.timeline_table(dataset.events)
    assert national.loc["announcement-2024-05-12", "Scope"] == "France"


EVENT_CASES = [
    (
        {"date": "2025-02-30"},
        "field 'date': expected a date as YYYY, YYYY-MM or YYYY-MM-DD (a real date), "
        "got '2025-02-30'",
    ),
    (
        {"date": "26/06/2025"},
        "field 'date': expected a date as YYYY, YYYY-MM or YYYY-MM-DD (a real date), "
        "got '26/06/2025'",
    ),
    (
        {"date_precision": "month"},
        "field 'date_precision': expected the precision of date '2025-06-26' (day), got 'month'",
    ),
    (
        {"kind": "rumour"},
        "field 'kind': expected one of announcement, meeting, site_search, planning, permit, "
        "opening, progress, report, opposition, decision, got 'rumour'",
    ),
    (
        {"scope": "99"},
        "field 'scope': expected FR or a region code among 01, 02, 03, 04, 06, 11, 24, 27, "
        "28, 32, 44, 52, 53, 75, 76, 84, 93, 94, got '99'",
    ),
    ({"scope": "world"}, "field 'scope': expected FR or a 2-digit INSEE region code, got 'world'"),
    (
        {"insee_commune": "68999"},
        "field 'insee_commune': expected a commune code of communes.csv (COG 2026), got '68999'",
    ),
    (
        {"insee_commune": "75056"},
        "field 'insee_commune': expected a commune in the event's region 44, "
        "got '75056 (Paris, region 11)'",
    ),
    (
        {"site_id": "no-such-site"},
        "field 'site_id': expected the id of a row of sites.csv, got 'no-such-site'",
    ),
    (
        {"source_urls": "ftp://example.org"},
        "field 'source_urls': expected http(s) URLs separated by spaces, got 'ftp://example.org'",
    ),
    ({"title": ""}, "field 'title': expected a non-empty text, got ''"),
]


@pytest.mark.parametrize(("changes", "message"), EVENT_CASES)
def test_broken_event_row_names_file_line_field_and_value(tmp_path, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "events.csv", "alsace-public-meeting-2025-06-26", **changes)
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert [str(p) for p in caught.value.problems] == [f"data/events.csv, line {line}, {message}"]


def test_duplicate_event_id(tmp_path):
    data = copy_data(tmp_path)
    first = edit_csv(data / "events.csv", "alsace-opposition-2025")
    line = edit_csv(data / "events.csv", "alsace-permit-2025-11", id="alsace-opposition-2025")
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert str(caught.value) == (
        f"data/events.csv, line {line}, field 'id': expected a unique id (line {first} has it), "
        "got 'alsace-opposition-2025'"
    )
