"""Where each pledge stands: computed from its latest progress report, never typed.

The rule, for a pledge of ``value`` stated on ``as_of`` with a ``deadline``, judged on
``today`` with the latest reported ``progress`` (a progress row whose ``progress_of`` names
the pledge; the latest by ``as_of``, ties going to the row listed first in the file):

1. progress >= value: **met** (whatever the date).
2. the deadline has passed (today is after the last day the deadline covers; on the day
   itself it has not) and progress < value or nothing is reported: **deadline passed with no
   report of delivery**. No source reports that the pledge was delivered, so we say exactly
   that, not that it failed.
3. nothing reported: **no progress reported**.
4. no deadline: **progress reported, no deadline to compare**.
5. otherwise compare two shares: progress / value, and the share of time elapsed from the
   pledge's ``as_of`` (its first day) to today, over the time from ``as_of`` to the deadline
   (its last day). Progress share >= time share: **on track**; below: **behind**. The time
   share is measured on ``today``, not on the report's date: a report that has not been
   renewed does not keep a pledge on track.

Only pledges with a figure (``value``) are tracked: without one there is nothing to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import pandas as pd

from geo import style
from geo.core.dates import first_day, last_day
from geo.i18n import N_, _


class Status(StrEnum):
    """Where a pledge stands; the value is the English wording (shown as ``_(status.value)``)."""

    MET = N_("met")
    ON_TRACK = N_("on track")
    BEHIND = N_("behind")
    DEADLINE_PASSED = N_("deadline passed with no report of delivery")
    NO_PROGRESS = N_("no progress reported")
    NO_DEADLINE = N_("progress reported, no deadline to compare")


@dataclass(frozen=True)
class PledgeTrack:
    """One pledge, its latest progress row (or None), its computed status and its wording."""

    pledge: pd.Series
    progress: pd.Series | None
    status: Status
    wording: str


def pledge_status(
    value: float,
    progress: float | None,
    deadline: date | None,
    today: date,
    start: date | None = None,
) -> Status:
    """The status of a pledge of ``value`` by ``deadline``, stated on ``start`` (see module).

    Without ``start`` a pledge that is neither met nor past its deadline cannot be compared
    with the time elapsed, and reads as if it had no deadline.
    """
    if progress is not None and progress >= value:
        return Status.MET
    if deadline is not None and today > deadline:
        return Status.DEADLINE_PASSED
    if progress is None:
        return Status.NO_PROGRESS
    if deadline is None or start is None or deadline <= start:
        return Status.NO_DEADLINE
    time_share = max((today - start).days, 0) / (deadline - start).days
    return Status.ON_TRACK if progress / value >= time_share else Status.BEHIND


def track_pledges(commitments: pd.DataFrame, today: date) -> list[PledgeTrack]:
    """Every pledge with a figure, in file order, with its latest progress and status."""
    tracks = []
    progress_rows = commitments[commitments["kind"] == "progress"]
    for _index, pledge in commitments[commitments["kind"] == "pledge"].iterrows():
        if pd.isna(pledge["value"]):
            continue
        latest = latest_progress(progress_rows, pledge["id"])
        deadline = last_day(pledge["deadline"]) if pledge["deadline"] else None
        start = first_day(pledge["as_of"]) if pledge["as_of"] else None
        reported = None if latest is None else float(latest["value"])
        status = pledge_status(float(pledge["value"]), reported, deadline, today, start)
        tracks.append(PledgeTrack(pledge, latest, status, _wording(pledge, latest, status)))
    return tracks


def latest_progress(progress_rows: pd.DataFrame, pledge_id: str) -> pd.Series | None:
    """The latest progress row reporting on ``pledge_id`` (ties: first listed), or None."""
    rows = progress_rows[
        (progress_rows["progress_of"] == pledge_id) & progress_rows["value"].notna()
    ]
    if rows.empty:
        return None
    order = rows["as_of"].map(last_day)
    return rows.loc[order[order == order.max()].index[0]]


def _wording(pledge: pd.Series, latest: pd.Series | None, status: Status) -> str:
    """One sentence for readers, in the current language: the status and what it rests on."""
    if latest is None and status is Status.DEADLINE_PASSED:
        reported = _("no source we read reports delivery or progress")
    elif latest is None:
        reported = _("no source we read reports progress")
    else:
        reported = _("{amount} reported as of {date}").format(
            amount=_amount(latest["value"], latest["unit"]), date=latest["as_of"]
        )
    values = {
        "status": _capitalized(_(status.value)),
        "pledged": _amount(pledge["value"], pledge["unit"]),
        "reported": reported,
    }
    if pledge["deadline"]:
        return _("{status}: {pledged} pledged, due by {deadline}; {reported}.").format(
            deadline=pledge["deadline"], **values
        )
    return _("{status}: {pledged} pledged, no deadline stated; {reported}.").format(**values)


def _amount(value: float, unit: str) -> str:
    """'EUR 4 bn', '25,000 GPUs': the wording of geo.style.format_value."""
    if unit == "EUR":
        return style.format_value(value, "EUR")
    return f"{style.format_value(value)} {unit}".strip()


def _capitalized(text: str) -> str:
    """The first letter upper-case, the rest as written ("im Plan" -> "Im Plan")."""
    return text[:1].upper() + text[1:]
