"""The report legend draws the shared model's entries, in the model's order."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from datetime import date

import pytest

from geo.core import legend as model
from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.report import legend, render

VIEWS = {
    "all": ViewState(),
    "skilling": ViewState(filter=SiteFilter(initiatives=("skilling",))),
    "partners": ViewState(metric="partners", departements=True),
    "eur": ViewState(metric="disclosed_eur"),
    "empty": ViewState(filter=SiteFilter(text="no such site anywhere")),
}


@pytest.mark.parametrize("key", VIEWS)
def test_report_sections_are_the_model_sections(dataset, key):
    view = compute_view(dataset, VIEWS[key])
    ours, theirs = legend.legend_sections(view), model.view_legend(view)
    assert model.legend_rows(ours) == model.legend_rows(theirs)
    assert ours[0].title == theirs[0].title + " by region"
    assert [s.title for s in ours[1:]] == [s.title for s in theirs[1:]]


@pytest.mark.parametrize("key", VIEWS)
def test_drawn_legend_lists_every_entry_in_order(dataset, key):
    view = compute_view(dataset, VIEWS[key])
    fig = render.build_figure(dataset, view, made_on=date(2024, 5, 13))
    drawn = " ".join(t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "legend")
    position = 0
    for section in legend.legend_sections(view):
        for text in (section.title, *(e.label for e in section.entries)):
            found = drawn.find(text, position)
            assert found >= 0, text
            position = found + len(text)
