"""Skip branca's Jinja compile of text that is already rendered.

When folium renders a map, branca's MacroElement.render wraps each rendered macro (the
header, html and script of every layer, marker group and control) in a new
`Element(text)`, and Element.__init__ compiles that text as a Jinja template, only to
render it back unchanged. On our map that is about 32 compiles per render, a third of a
Streamlit rerun (profiled with cProfile around the script run: 0.72 s of 1.95 s over nine
filter changes).

`install()` makes branca build such elements with `Verbatim`, which renders what Jinja
renders for text without template syntax (one trailing newline dropped, line ends written
as "\\n"), without compiling. Text that does hold template syntax still gets a real
`jinja2.Template`. tests/test_webmap_verbatim.py checks that a whole map renders to the
same HTML either way.
"""

from __future__ import annotations

import re
from typing import Any

import branca.element
import jinja2

# Jinja's default delimiters (blocks, variables, comments); line statements are off.
TEMPLATE_SYNTAX = ("{%", "{{", "{#")
NEWLINE = re.compile(r"\r\n|\r|\n")


class Verbatim:
    """A template whose source holds no template syntax: it renders to that source."""

    def __init__(self, source: str) -> None:
        lines = NEWLINE.split(source)
        if lines[-1] == "":  # Jinja's keep_trailing_newline=False
            del lines[-1]
        self.text = "\n".join(lines)

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.text


def template(source: str) -> jinja2.Template | Verbatim:
    """What branca's Element gets for its `template` argument."""
    if any(mark in source for mark in TEMPLATE_SYNTAX):
        return jinja2.Template(source)
    return Verbatim(source)


def install() -> None:
    """Point branca.element's `Template` (used by Element.__init__ and its unpickling) at
    `template`. The class-level templates branca and folium compiled at import stay real
    Jinja templates."""
    branca.element.Template = template


def uninstall() -> None:
    branca.element.Template = jinja2.Template
