"""branca's rendered macros skip a Jinja compile (geo/webmap/verbatim.py), with the same HTML."""

from __future__ import annotations

import itertools
from pathlib import Path

import jinja2
import pytest
from branca.element import Element

from geo.core.filters import SiteFilter
from geo.core.state import ViewState
from geo.core.view import compute_view
from geo.webmap import build_map, verbatim

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"


@pytest.mark.parametrize(
    "source",
    [
        "",
        "plain text",
        "one line\n",
        "two newlines\n\n",
        "windows\r\nline ends\r\n",
        "old mac\rline end\r",
        "  spaces kept  \n\t",
        "var x = {a: 1}; if (a) { b(); } // }} alone, {- not a tag",
        "<script>L.marker([48.8, 2.3]);</script>\n",
    ],
)
def test_verbatim_renders_what_jinja_renders(source):
    assert verbatim.template(source).render(this=None, kwargs={}) == jinja2.Template(source).render(
        this=None, kwargs={}
    )


@pytest.mark.parametrize("source", ["{{ 1 + 1 }}", "{% if true %}x{% endif %}", "a{# c #}b"])
def test_text_with_template_syntax_is_still_compiled(source):
    assert isinstance(verbatim.template(source), jinja2.Template)


def test_a_whole_map_renders_to_the_same_html_with_and_without_the_shortcut(dataset, monkeypatch):
    view = compute_view(dataset, ViewState(filter=SiteFilter(initiatives=("skilling",))))

    def rendered() -> str:
        ids = itertools.count()  # element ids are random: number them, the same both times
        monkeypatch.setattr(Element, "_generate_id", classmethod(lambda cls: f"{next(ids):032x}"))
        return build_map(dataset, view, tiles=False, vendor_dir=VENDOR_DIR).get_root().render()

    try:
        verbatim.uninstall()
        compiled = rendered()
    finally:
        verbatim.install()
    assert verbatim.template("x").render() == "x"  # installed again
    assert rendered() == compiled
    assert "skilling" in compiled.lower()
