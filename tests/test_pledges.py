"""Pledge status is computed from value, progress, deadline and date, never typed."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import copy_data, edit_csv

from geo.core.dataset import load_dataset
from geo.core.errors import DataError
from geo.core.pledges import Status, pledge_status, track_pledges

START = date(2024, 1, 1)
DEADLINE = date(2025, 1, 1)  # 366 days after START (2024 is a leap year)
MIDDLE = date(2024, 7, 2)  # day 183 of 366: exactly half the time

STATUS_TABLE = [
    # (value, progress, deadline, today) -> status
    (100, 100, DEADLINE, MIDDLE, Status.MET),
    (100, 150, DEADLINE, MIDDLE, Status.MET),
    (100, 100, DEADLINE, date(2026, 1, 1), Status.MET),  # met, even read after the deadline
    (100, 50, DEADLINE, MIDDLE, Status.ON_TRACK),  # progress share == time share: on track
    (100, 49.9, DEADLINE, MIDDLE, Status.BEHIND),
    (100, 0, DEADLINE, START, Status.ON_TRACK),  # no time elapsed yet
    (100, 99, DEADLINE, DEADLINE, Status.BEHIND),  # the deadline day itself has not passed
    (100, 99, DEADLINE, date(2025, 1, 2), Status.DEADLINE_PASSED),
    (100, None, DEADLINE, date(2025, 1, 2), Status.DEADLINE_PASSED),
    (100, None, DEADLINE, DEADLINE, Status.NO_PROGRESS),
    (100, None, None, MIDDLE, Status.NO_PROGRESS),
    (100, 10, None, MIDDLE, Status.NO_DEADLINE),
]


@pytest.mark.parametrize(("value", "progress", "deadline", "today", "status"), STATUS_TABLE)
def test_status_table(value, progress, deadline, today, status):
    assert pledge_status(value, progress, deadline, today, START) is status


def test_status_words_are_the_ones_readers_see():
    assert Status.DEADLINE_PASSED.value == "deadline passed with no report of delivery"
    assert [s.value for s in Status][:3] == ["met", "on track", "behind"]


def test_shipped_pledges_on_the_data_date(dataset):
    tracks = {t.pledge["id"]: t for t in track_pledges(dataset.commitments, date(2026, 12, 1))}
    assert tracks["gpus"].status is Status.DEADLINE_PASSED
    assert tracks["gpus"].progress is None
    assert tracks["gpus"].wording == (
        "Deadline passed with no report of delivery: 25,000 GPUs pledged, due by 2025-12-31; "
        "no source we read reports delivery or progress."
    )
    assert tracks["renewables-france"].status is Status.DEADLINE_PASSED
    # 700,000 of 1 million (70 %) against 70.2 % of the time from 13 May 2024 to end 2027.
    assert tracks["skilling-1m"].status is Status.BEHIND
    assert tracks["skilling-1m"].progress["id"] == "skilling-progress-2025-started"
    assert tracks["startups-2500"].progress["id"] == "startups-progress-2025"
    assert tracks["total-investment"].status is Status.NO_PROGRESS
    assert "dc-expansion-paris" not in tracks  # no figure, nothing to compute


def test_on_the_progress_report_date_the_skilling_pledge_was_on_track(dataset):
    tracks = {t.pledge["id"]: t for t in track_pledges(dataset.commitments, date(2025, 11, 4))}
    assert tracks["skilling-1m"].status is Status.ON_TRACK
    assert tracks["gpus"].status is Status.NO_PROGRESS


def test_latest_progress_row_wins(dataset):
    commitments = dataset.commitments.copy()
    commitments.loc["skilling-progress-2025-completed", "as_of"] = "2026-01"
    tracks = {t.pledge["id"]: t for t in track_pledges(commitments, date(2026, 12, 1))}
    assert tracks["skilling-1m"].progress["id"] == "skilling-progress-2025-completed"


PROGRESS_CASES = [
    (
        "skilling-progress-2025-started",
        {"progress_of": "no-such-pledge"},
        "field 'progress_of': expected the id of a pledge in this file, got 'no-such-pledge'",
    ),
    (
        "skilling-progress-2025-started",
        {"progress_of": "alsace-campus-jobs"},
        "field 'progress_of': expected the id of a pledge in this file, "
        "got \"alsace-campus-jobs (kind 'press_figure')\"",
    ),
    (
        "skilling-progress-2025-started",
        {"progress_of": "startups-2500"},
        "field 'progress_of': expected a pledge in the same unit as this row ('people'), "
        "got \"startups-2500 (unit 'startups')\"",
    ),
    (
        "skilling-progress-2025-started",
        {"progress_of": ""},
        "field 'progress_of': expected the id of the pledge this progress row reports on, got ''",
    ),
    (
        "gpus",
        {"progress_of": "skilling-1m"},
        "field 'progress_of': expected no progress_of for kind 'pledge', got 'skilling-1m'",
    ),
    (
        "gpus",
        {"as_of": "2025-13"},
        "field 'as_of': expected a date as YYYY, YYYY-MM or YYYY-MM-DD (a real date), "
        "got '2025-13'",
    ),
    (
        "gpus",
        {"as_of": ""},
        "field 'as_of': expected the date the pledge was stated (as_of) for kind 'pledge', got ''",
    ),
    (
        "gpus",
        {"as_of": "2026-01"},
        "field 'as_of': expected an as_of not after the deadline (2025-12-31), got '2026-01'",
    ),
    (
        "startups-progress-2025",
        {"deadline": "2027"},
        "field 'deadline': expected no deadline for kind 'progress', got '2027'",
    ),
]


@pytest.mark.parametrize(("row_id", "changes", "message"), PROGRESS_CASES)
def test_broken_pledge_dates_and_progress_links(tmp_path, row_id, changes, message):
    data = copy_data(tmp_path)
    line = edit_csv(data / "commitments.csv", row_id, **changes)
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert [str(p) for p in caught.value.problems] == [
        f"data/commitments.csv, line {line}, {message}"
    ]


def test_headline_cards_carry_latest_progress_and_status(dataset):
    from geo import presentation

    cards = {c.id: c for c in presentation.headline_cards(dataset.commitments, date(2026, 12, 1))}
    skilling = cards["skilling-1m"]
    assert (skilling.progress, skilling.progress_as_of) == ("700,000 people", "4 November 2025")
    assert skilling.progress_sources
    assert skilling.progress_sources[0][1].startswith("https://")
    assert skilling.status == "behind"
    assert cards["startups-2500"].progress_as_of == "November 2025"
    gpus = cards["gpus"]
    assert (gpus.progress, gpus.progress_sources) == ("", ())
    assert gpus.status == "deadline passed with no report of delivery"
    assert cards["renewables-france"].status == "deadline passed with no report of delivery"
    assert cards["total-investment"].status == "no progress reported"
