"""Streamlit face of the map: page, widgets, layout, caching and errors; geo/ does the work.

Run with `make run` (or `python -m streamlit run app.py`; installed: `france-ai-map run`). The
data directory is the data/ beside this file unless the environment variable
FRANCE_AI_MAP_DATA_DIR names another one; Streamlit serves the static/ beside this file.
"""

from __future__ import annotations

import functools
import json
import logging
import numbers
import os
import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st
from babel.lists import format_list
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS as QUERY_MAX_FIELDS,
)
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH as QUERY_MAX_LENGTH,
)
from streamlit_folium import st_folium

from geo import i18n, presentation, webmap
from geo.core import vocabulary as voc
from geo.core.dataset import FILES, Dataset, load_dataset
from geo.core.errors import DataError
from geo.core.filters import FILTER_FIELDS, MAX_TEXT_QUERY, SiteFilter
from geo.core.landscape import INVESTMENT_QUERY_KEYS, InvestmentFilter, investment_options
from geo.core.regions import INVESTMENT_METRICS, METRICS, USER_SITES, USER_VALUES
from geo.core.state import DEFAULT_METRIC, VIEWS, ViewState, state_from_query
from geo.core.userdata import columns as user_columns
from geo.core.userdata import read as user_read
from geo.core.userdata import sites as user_sites
from geo.core.userdata import summary as userdata_summary
from geo.core.userdata import values as user_values
from geo.core.userdata.load import merge_user_data
from geo.core.userdata.model import (
    MAX_UPLOAD_BYTES,
    ROLES,
    SITES,
    VALUES,
    ColumnMapping,
    RawTable,
    UserData,
)
from geo.core.userdata.view import UserFilter, UserView, filter_options
from geo.core.view import ViewData, compute_view
from geo.export import (
    DEFAULT_DPI,
    FORMATS,
    LAYOUTS,
    MAX_TITLE,
    ExportError,
    ExportRequest,
    export_file_name,
    render_export,
    safe_csv,
    title_warning,
)
from geo.i18n import N_, _, ngettext, pgettext
from geo.report.render import default_title

HERE = Path(__file__).resolve().parent
DATA_DIR_ENV = "FRANCE_AI_MAP_DATA_DIR"
DEFAULT_DATA_DIR = HERE / "data"
# What Streamlit serves at /app/static/ (server.enableStaticServing): the folder beside the
# script, in a checkout as in an installed copy (geo/bundle/); Leaflet & co. in its vendor/.
STATIC_DIR = HERE / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
MAP_KEY = "map"
# The language selector's key; its value (a code of i18n.LANGUAGES) is the page's language,
# set on a session's first run from the link's lang=, else the browser's locale.
LANG_KEY = "lang"
LANGUAGE_LABEL = "🌐 Langue · Language · Sprache"  # read by everyone, whatever is shown
# Only what the app reads back from the map: a click on a region. Anything more (bounds,
# zoom, ...) would rerun the script on every pan. Both keys start equal to st_folium's
# defaults (null), so the map posts nothing when it mounts: no extra rerun on page load
# (its click counter starts at 0 against a default of None, which cost one full rerun).
# last_object_clicked (where on the region the click was) changes with every click, so a
# second click on a region whose panel was switched away opens it again.
MAP_RETURNS = ["last_active_drawing", "last_object_clicked"]
# Widget keys of the multi-selects are the SiteFilter fields (geo.core.filters.FILTER_FIELDS);
# their values are the ViewState, initialised from the link on first run.
FILTER_KEYS = tuple(field.attr for field in FILTER_FIELDS)
PANEL_KEY = "panel_region"
SHOWN_LANG_KEY = "lang_shown"  # the language of the last run, to see a switch
# The investment section: its switch (link investments=1) and one multi-select per
# InvestmentFilter field (widget key, link key), shown with the switch or an investment metric.
LAYER_KEY = "layer_investments"
INVESTMENT_WIDGETS: dict[str, tuple[str, str]] = {
    attr: (f"inv_{attr}", query_key) for attr, query_key in INVESTMENT_QUERY_KEYS.items()
}
# Choice widgets shown through a translated format_func and made without a default (a
# widget given both a default and a Session State value warns): reseeded after a switch.
# The others (export format, layout, dpi; a reader's column roles) fall back to their
# defaults when a switch leaves their old label unknown.
LABELLED_WIDGET_KEYS = frozenset(
    {*FILTER_KEYS, *(key for key, _query in INVESTMENT_WIDGETS.values()), "metric", "view"}
    | {PANEL_KEY}
)
LABELLED_WIDGET_PREFIXES = ("user_filter_",)
PANEL_LIST_ROWS, PANEL_LIST_HEIGHT = 4, 480  # a region list longer than this scrolls (px)
EXPORT_OPEN_KEY, EXPORT_BUTTON_KEY = "export_open", "export_download"
TIMELINE_OPEN_KEY, TABLES_OPEN_KEY = "timeline_open", "tables_open"
DEFAULT_EXPORT_FORMAT = "pdf"  # the print-ready report
DPI_CHOICES = (150, 300, 600)
PREVIEW_DPI = 72  # A4 landscape: 842 x 595 px, drawn in about 0.4 s
DOWNLOAD_NAMES = {".geojson": "GeoJSON"}  # other extensions are named in capitals
EXPORT_CACHE_ENTRIES = 16  # made files and previews; a 600 dpi PNG is a few MB
# Data caches: one entry per data version; older versions are dropped, so editing a data
# file again and again does not grow the server's memory.
DATA_VERSIONS_KEPT = 2
# Views (filter, metric, départements) kept per process: a view is a few hundred rows, so a
# full cache stays at a few MB, and a rerun on a view seen before computes nothing.
VIEWS_KEPT = 64
# An error page lists at most this many problems (a browser tab chokes on thousands); the
# whole list is a download.
MAX_PROBLEMS_SHOWN = 200
LOG = logging.getLogger("france_ai_map")
# Characters Markdown (or Streamlit's $...$ maths) could read as markup.
MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|~$:]")


def main() -> None:
    lang = choose_language()  # before any text: every string below is in this language
    st.set_page_config(page_title=_("Microsoft's EUR 4 bn AI investment in France"), layout="wide")
    language_widget()
    st.title(_("Microsoft's EUR 4 bn AI investment in France"))
    st.caption(
        _(
            "Announced at the Choose France summit, {date}: cloud and AI infrastructure, "
            "AI skilling and support for French startups. Every site and figure links to its "
            "public source; what is not disclosed is marked as such."
        ).format(date=i18n.format_date("2024-05-13"))
    )
    dataset, version = load_or_stop()
    init_widgets_from_link(dataset)
    select_clicked_region(dataset)
    map_options = st.sidebar.container()  # shown first, filled once the filter is known
    state = sidebar_state(dataset)
    user = user_data_section(dataset)
    if st.session_state.pop(SHOW_FIGURES_KEY, False) and user is not None:
        state = replace(state, metric=USER_VALUES)
    if user is None:
        view = cached_view(dataset, version, state)
    else:
        view = user_view(dataset, version, state, user)
    state = replace(state, metric=view.metric.key)  # a metric the filter cannot offer falls back
    map_option_widgets(map_options, view)
    sync_link(state, user)
    # A container always there, notices or none: an element appearing or leaving above the
    # map would shift the map's place in the page, and Streamlit would then mount a new map
    # frame (a full reload of the map, ~0.7 s) instead of updating its layers.
    with st.container():
        show_link_notices(state)
    show_headlines(dataset, version)
    # The map comes right after the headline strip, so it starts on the first screen; what
    # is heavy to load (charts, data grids) waits below until asked for.
    map_column, panel_column = st.columns([3, 1.1], gap="medium")
    with map_column:
        view = show_map(dataset, version, view)
        show_counts(view)
        show_investment_totals(view)
    with panel_column:
        show_region_panel(dataset, view)
    show_timeline(dataset, version)
    show_export_panel(dataset, version, view, user)
    show_tables(view)
    set_document_language(lang)


# --- data ----------------------------------------------------------------------------


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


class DataVersion(NamedTuple):
    """Which data a run shows: the folder and its files' signature, taken once per run, so
    every cache of the run is keyed on the same version (and the files are stat'ed once)."""

    folder: str
    signature: tuple


def data_signature(folder: Path) -> tuple:
    """Size and mtime of each data file, so an edited file is reloaded."""
    stats = []
    for name in FILES.values():
        path = folder / name
        stat = path.stat() if path.exists() else None
        stats.append((name, stat.st_mtime_ns if stat else None, stat.st_size if stat else None))
    return tuple(stats)


@st.cache_resource(show_spinner=False, max_entries=DATA_VERSIONS_KEPT)
def cached_dataset(folder: str, signature: tuple) -> Dataset:
    """The dataset: its problems are Text, shown in the reader's language."""
    return load_dataset(Path(folder))


@st.cache_resource(show_spinner=False, max_entries=DATA_VERSIONS_KEPT)
def cached_geometry(folder: str, signature: tuple, _dataset: Dataset) -> dict[str, str | dict]:
    """Boundary files under static/geo/, written once per data version (they hold codes and
    shapes, no text a reader sees, so every language shares them); their URLs.

    When static/ is read-only, the simplified polygons themselves: the map then embeds them
    (heavier reruns), still simplified once per data version.
    """
    try:
        return webmap.publish_geometry(_dataset, STATIC_DIR)
    except OSError:
        return webmap.web_layers(_dataset)


@st.cache_resource(show_spinner=False, max_entries=DATA_VERSIONS_KEPT)
def cached_marker_rows(
    folder: str, signature: tuple, lang: str, _dataset: Dataset
) -> dict[str, list]:
    """Every site's marker (icon, tooltip, popup), rendered once per data version and language."""
    return webmap.marker_rows(_dataset.sites)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def cached_investment_parts(
    folder: str,
    signature: tuple,
    lang: str,
    flt: InvestmentFilter,
    regions: tuple,
    _view: ViewData,
    _dataset: Dataset,
) -> webmap.InvestmentLayerParts:
    """The investment layer's markers and legend, once per investment filter, language and
    data version (they depend on the investment filter and the region filter only)."""
    return webmap.investment_parts(_view, _dataset.regions)


@st.cache_resource(show_spinner=False)
def cached_map_files() -> dict[str, str] | None:
    """The map's own script and styles under static/geo/; None (then inlined) if read-only."""
    try:
        return webmap.publish_map_files(STATIC_DIR)
    except OSError:
        return None


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def cached_view_of(folder: str, signature: tuple, state: ViewState, _dataset: Dataset) -> ViewData:
    """One view's data, once per view (its language too) and data version; shared by
    sessions, so read-only."""
    return compute_view(_dataset, state)


def cached_view(dataset: Dataset, version: DataVersion, state: ViewState) -> ViewData:
    """The view of ``state`` (the open region panel does not change it)."""
    return cached_view_of(*version, replace(state, panel=""), dataset)


def load_or_stop() -> tuple[Dataset, DataVersion]:
    """The dataset and its version, or one st.error with the validator's message and a stop."""
    folder = data_dir()
    version = DataVersion(str(folder), data_signature(folder))
    try:
        # A spinner of our own, in the reader's language (the cache's would be English); it
        # shows only if the load takes over half a second, so not on a cached rerun.
        with st.spinner(_("Loading the data…")):
            return cached_dataset(*version), version
    except DataError as err:
        # The widgets are not drawn on this run, so Streamlit forgets their values: once the
        # data is fixed, the next run sets them again from the link (which still holds them).
        st.session_state.pop("link_state", None)
        show_data_error(err)
        st.stop()


def show_data_error(err: DataError) -> None:
    """The validator's problems: the first MAX_PROBLEMS_SHOWN, counts per file, all as a file."""
    problems = err.problems
    shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        per_file: dict[str, int] = {}
        for problem in problems:
            per_file[problem.path] = per_file.get(problem.path, 0) + 1
        counts = ", ".join(
            f"{path}: {i18n.format_number(count)}" for path, count in per_file.items()
        )
        shown += "\n" + _("... and {more} more problems ({total} in all; {counts}).").format(
            more=i18n.format_number(len(problems) - MAX_PROBLEMS_SHOWN),
            total=i18n.format_number(len(problems)),
            counts=counts,
        )
    st.error(verbatim(shown), icon=":material/error:")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        st.download_button(
            _("Download the full list of problems"),
            data=str(err) + "\n",
            file_name="data-problems.txt",
            mime="text/plain",
            on_click="ignore",
        )


def markdown_link(text: str, url: str) -> str:
    """A Markdown link whose text shows as is and whose address cannot end early."""
    return f"[{verbatim(text)}](<{presentation.link_target(url)}>)"


def verbatim(text: str | i18n.Text) -> str:
    """Markdown that renders ``text`` as is: one line per line, no markup from the data (a
    Text is worded in the current language first)."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\g<0>", str(text))
    return "  \n".join(escaped.splitlines())


# --- language --------------------------------------------------------------------------


def choose_language() -> str:
    """The page's language, made current for this run.

    On a session's first run: the language the page shows (a page reconnecting to a new
    session), else the link's lang=, else the browser's locale, else English. Then the
    reader's choice in the selector, which keeps every other widget as it is.
    """
    if LANG_KEY not in st.session_state:
        shown = page_widget_states().get(LANG_KEY, ())
        page = _by_label(dict(i18n.LANGUAGE_NAMES)).get(shown[0]) if shown else None
        st.session_state[LANG_KEY] = page or i18n.pick_language(
            st.query_params.get("lang"), st.context.locale
        )
    lang = apply_language()
    if st.session_state.get(SHOWN_LANG_KEY, lang) != lang:
        reseed_labelled_widgets()
    st.session_state[SHOWN_LANG_KEY] = lang
    return lang


def reseed_labelled_widgets() -> None:
    """After a language switch, give each choice widget its value again as a Python value.

    Streamlit sends a select box's or multi-select's choice back as the label it showed; the
    labels were in the previous language, so this run could not find them among the new
    ones (a multi-select then fails). Read now, with the previous run's labels, each value is
    the option's code; set again, it is what the widget shows in the new language.
    """
    for key in list(st.session_state):
        if key in LABELLED_WIDGET_KEYS or str(key).startswith(LABELLED_WIDGET_PREFIXES):
            value = st.session_state[key]
            del st.session_state[key]
            st.session_state[key] = value


def apply_language() -> str:
    """Make the selector's language current; a fragment's rerun (which skips main) calls it
    too, so its text is in the page's language."""
    lang = i18n.parse_language(st.session_state.get(LANG_KEY)) or i18n.DEFAULT_LANGUAGE
    i18n.set_language(lang)
    return lang


def language_widget() -> None:
    """The language selector, first in the sidebar: its options are codes, shown by name."""
    st.sidebar.selectbox(
        LANGUAGE_LABEL, i18n.LANGUAGES, key=LANG_KEY, format_func=i18n.LANGUAGE_NAMES.get
    )


def deferred(make, *args):
    """What a download button calls on click, in the language of the page now: Streamlit
    runs it outside the script's run, where the language would be the default."""
    return functools.partial(_in_language, i18n.language(), make, *args)


def _in_language(lang: str, make, *args):
    with i18n.use_language(lang):
        return make(*args)


def set_document_language(lang: str) -> None:
    """Say the page's language in <html lang> (Streamlit's page says "en"): a one-line script,
    the last element of the page, so it moves nothing above it."""
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(lang)};</script>",
        unsafe_allow_javascript=True,
    )


# --- state: link <-> widgets -----------------------------------------------------------


def init_widgets_from_link(dataset: Dataset) -> None:
    """On a session's first run, set every widget from the page, or else from the URL.

    The page's widgets win over the link: when the server restarts, the page reconnects to
    a new session whose first run is the reader's next change, and the address bar (written
    at the end of each run) does not hold that change yet.
    """
    if "link_state" in st.session_state:
        return
    shown = page_view_params(dataset)
    params = shown or {key: st.query_params.get_all(key) for key in st.query_params}
    state, notices = state_from_query(
        params, dataset.regions.index, investment_options(dataset.investments)
    )
    for key in FILTER_KEYS:
        st.session_state[key] = list(getattr(state.filter, key))
    st.session_state["text"] = state.filter.text
    st.session_state["metric"] = state.metric
    st.session_state["view"] = state.view
    st.session_state["departements"] = state.departements
    st.session_state[PANEL_KEY] = state.panel or None
    st.session_state[LAYER_KEY] = state.layer_investments
    for attr, (key, _query_key) in INVESTMENT_WIDGETS.items():
        st.session_state[key] = list(getattr(state.investments, attr))
    # The language is the page's (chosen before the link is read), so the notices stay until
    # the view changes, not at once because lang= was missing or wrong.
    st.session_state["link_state"] = replace(state, lang=i18n.language())
    # The link's notices were shown when the page first opened it, not again.
    st.session_state["link_notices"] = [] if shown else notices


def page_view_params(dataset: Dataset) -> dict[str, list[str]] | None:
    """The view the page's widgets show, as link parameters; None if the page shows none.

    The widgets send the labels they show (in the page's language, current by now); each
    maps back to its value through the same vocabulary the widget is drawn from.
    """
    states = page_widget_states()
    names = dataset.region_names()
    options = investment_choices(dataset)
    decoders = [
        *((key, field.query_key, _by_label(vocab)) for (key, _label, vocab, _hint), field in zip(
            filter_widgets(dataset), FILTER_FIELDS, strict=True
        )),
        ("text", "q", None),
        ("metric", "metric", _by_label({k: _(m.label) for k, m in METRICS.items()})),
        ("view", "view", _by_label({k: _(v.label) for k, v in VIEWS.items()})),
        ("departements", "departements", None),
        (PANEL_KEY, "panel", _by_label(names)),
        (LAYER_KEY, "investments", None),
        *((key, query_key, _by_label(options[attr]))
          for attr, (key, query_key) in INVESTMENT_WIDGETS.items()),
    ]  # fmt: skip
    if not any(key in states for key, _query_key, _codes in decoders):
        return None
    params: dict[str, list[str]] = {}
    for key, query_key, codes in decoders:
        shown = states.get(key, ())
        params[query_key] = [codes.get(label, label) if codes else label for label in shown]
    return params


def _by_label(vocabulary: dict[str, str]) -> dict[str, str]:
    return {label: code for code, label in vocabulary.items()}


def page_widget_states() -> dict[str, list[str]]:
    """Keyed widget values the browser sent with this run, as strings ("1"/"0" for a switch).

    Streamlit reads a widget's value only once the widget is drawn; before that, on a new
    session's first run, only the run's raw widget states hold what the page shows.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return {}
    values: dict[str, list[str]] = {}
    for widget in ctx.session_state.get_widget_states():
        key = user_key_from_element_id(widget.id)
        kind = widget.WhichOneof("value")
        if key is None or kind is None:
            continue
        if kind == "string_array_value":
            values[key] = list(widget.string_array_value.data)
        elif kind == "string_value":
            values[key] = [widget.string_value]
        elif kind == "bool_value":
            values[key] = ["1" if widget.bool_value else "0"]
    return values


def select_clicked_region(dataset: Dataset) -> None:
    """A click on a region (the map's last value) opens its panel; other clicks do nothing."""
    value = st.session_state.get(MAP_KEY) or {}
    code = webmap.clicked_region(value.get("last_active_drawing"), dataset.regions.index)
    click = (str(value.get("last_object_clicked")), code)
    if code and click != st.session_state.get("last_click"):
        st.session_state[PANEL_KEY] = code
    st.session_state["last_click"] = click


def sidebar_state(dataset: Dataset) -> ViewState:
    """The filter widgets (and the map options read from session state) as a ViewState."""
    with st.sidebar:
        st.header(_("Filters"))
        for key, label, vocabulary, placeholder in filter_widgets(dataset):
            st.multiselect(
                label,
                list(vocabulary),
                key=key,
                format_func=vocabulary.get,
                placeholder=placeholder,
            )
        st.text_input(
            _("Search names, towns and notes"),
            key="text",
            max_chars=MAX_TEXT_QUERY,
            placeholder=_("e.g. Lille, Simplon"),
        )
        st.button(_("Clear filters"), on_click=clear_filters, width="stretch")
        investments = investment_widgets(dataset)
    flt = SiteFilter(
        text=" ".join(st.session_state["text"].split()),
        **{key: tuple(st.session_state[key]) for key in FILTER_KEYS},
    )
    return ViewState(
        filter=flt,
        metric=st.session_state["metric"],
        view=st.session_state["view"],
        departements=st.session_state["departements"],
        panel=st.session_state.get(PANEL_KEY) or "",
        investments=investments,
        layer_investments=bool(st.session_state.get(LAYER_KEY)),
        lang=i18n.language(),  # the link always says the language it shows
    )


def investment_widgets(dataset: Dataset) -> InvestmentFilter:
    """The sidebar's "AI investment in France": the layer switch, and its filters once the
    layer or an investment metric is on (Microsoft's programme alone stays the default)."""
    st.header(_("AI investment in France"))
    st.toggle(
        _("Show all announced AI investments"),
        key=LAYER_KEY,
        help=_(
            "Every announced AI and data-centre investment in France 2024-2026, beside "
            "Microsoft's programme: on the map, in the totals, the region panel and the tables."
        ),
    )
    if not investments_shown(st.session_state.get("metric")):
        # Streamlit forgets the state of a widget it did not draw: keep the choices, so
        # switching the layer off and on again brings them back.
        for key, _query_key in INVESTMENT_WIDGETS.values():
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
        return InvestmentFilter()
    options, allowed = investment_choices(dataset), investment_options(dataset.investments)
    for attr, (key, _query_key) in INVESTMENT_WIDGETS.items():
        # What the data holds, and a value a link chose that the vocabulary allows (an event
        # without rows yet): kept and shown. Others (an edited file) are dropped.
        chosen = [v for v in st.session_state.get(key, []) if v in allowed[attr]]
        choices = {**options[attr], **{v: allowed[attr][v] for v in chosen}}
        st.session_state[key] = chosen
        label, placeholder = presentation.INVESTMENT_FILTER_LABELS[attr]
        st.multiselect(
            _(label), list(choices), key=key, format_func=choices.get, placeholder=_(placeholder)
        )
    return InvestmentFilter(
        **{
            attr: tuple(st.session_state[key])
            for attr, (key, _query_key) in INVESTMENT_WIDGETS.items()
        }
    )


def investments_shown(metric: str | None) -> bool:
    """Whether the page shows the investments: the switch is on or the map colours by them."""
    return bool(st.session_state.get(LAYER_KEY)) or metric in INVESTMENT_METRICS


def investment_choices(dataset: Dataset) -> dict[str, dict[str, str]]:
    """Each investment filter's choices (key -> label): what the data holds, so no choice
    gives an empty map (a link may still name any value the vocabularies allow)."""
    return presentation.investment_filter_options(dataset.investments)


def filter_widgets(dataset: Dataset) -> tuple[tuple[str, str, dict[str, str], str], ...]:
    """(key, label, vocabulary, placeholder) of each multi-select filter, in sidebar order,
    in the current language (region names are place names: the language's column)."""
    names = dataset.region_names()
    regions = {code: names[code] for code in sorted(names, key=names.get)}
    return tuple(
        (
            field.attr,
            _(field.label),
            {code: _(label) for code, label in field.vocabulary.items()}
            if field.vocabulary
            else regions,
            _(field.placeholder),
        )
        for field in FILTER_FIELDS
    )


def clear_filters() -> None:
    for key in (*FILTER_KEYS, *(key for key, _query_key in INVESTMENT_WIDGETS.values())):
        st.session_state[key] = []
    st.session_state["text"] = ""


def map_option_widgets(container, view: ViewData) -> None:
    """Map options at the top of the sidebar; the metrics offered depend on the filter."""
    st.session_state["metric"] = view.metric.key
    with container:
        st.header(_("Map"))
        st.selectbox(
            _("Colour regions by"),
            list(view.metrics_offered),
            key="metric",
            format_func=lambda k: metric_label(view.metrics_offered[k]),
            help=verbatim(metric_description(view.metric)),  # a reader's metric names their file
        )
        st.selectbox(
            pgettext("map option", "View"),
            list(VIEWS),
            key="view",
            format_func=lambda k: _(VIEWS[k].label),
            help=_("Reach Corsica and the overseas regions from here."),
        )
        st.toggle(_("Show départements"), key="departements")


def metric_label(metric) -> str:
    """A metric's name in the current language; a reader's metric is named as their file."""
    return metric.label if metric.key in USER_METRICS else _(metric.label)


def metric_description(metric) -> str:
    return metric.description if metric.key in USER_METRICS else _(metric.description)


def sync_link(state: ViewState, user: UserInput | None = None) -> None:
    """Keep the address bar equal to the view, so copying it shares exactly this view.

    A link cannot carry a reader's files: with them loaded, it shows our data only, and
    the page says so and offers their checked rows as a download. The link names the
    language shown: the share link below always, the address bar too once it holds
    anything (see keeps_bare_address).
    """
    query = link_state(state).to_query()
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != query and not keeps_bare_address(state, current):
        st.query_params.from_dict(query)
    with st.sidebar:
        st.header(_("Share"))
        link = presentation.share_link(st.context.url or "", query)
        # A plain link (right-click to copy, or select its text): st.code would pull in a
        # 1.5 MB syntax highlighter for one line.
        st.markdown(markdown_link(link, link))
        st.caption(_("The address bar always holds the current view: copy it to share."))
        if user is not None:
            show_user_link_notice(user.data)


def keeps_bare_address(state: ViewState, current: dict) -> bool:
    """Whether this run leaves an address without a query string as it is: a session that
    got none, still on the default view in the language it opened with. Streamlit drops a
    link past its limits without a word, and only the page, reading its own address, can
    tell (show_link_notices); the first change writes the view and its language."""
    return (
        not current
        and state == st.session_state.get("link_state")
        and replace(state, lang="") == ViewState()
    )


def show_user_link_notice(user: UserData) -> None:
    """Next to the share link: it holds our data only; the reader's rows as files."""
    st.caption(
        _(
            "This link shows our data only: your files stay in this browser tab and go when "
            "it closes. Keep your checked rows with the download below; exports include them."
        )
    )
    parts = [
        ("sites", _("Download your checked sites (CSV)"), user.sites),
        ("figures", _("Download your checked figures (CSV)"), user.values),
    ]
    for label, button, part in parts:
        if part is not None:
            st.download_button(
                button,
                data=deferred(safe_csv, part.frame),
                file_name=f"your-{label}-checked.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"user_download_{label}",
                icon=":material/download:",
            )


def show_link_notices(state: ViewState) -> None:
    """Warn about values of the opened link that were ignored (until the view changes)."""
    if state != st.session_state.get("link_state"):
        return
    for notice in st.session_state.get("link_notices", []):
        st.warning(verbatim(notice), icon=":material/link_off:")  # the link's text, as is
    if replace(state, lang="") == ViewState() and not st.query_params:
        # Streamlit drops a query string past its limits and tells only its log; the page,
        # which knows its own address, shows this notice if it has parameters we never got.
        st.html(dropped_link_notice(i18n.language()), unsafe_allow_javascript=True)


@functools.cache
def dropped_link_notice(lang: str) -> str:
    """The page-side notice for a link Streamlit dropped, with Streamlit's own limits, worded
    in ``lang`` (the cache key; the current language is ``lang`` when it is made)."""
    return webmap.dropped_link_notice_html(QUERY_MAX_FIELDS, QUERY_MAX_LENGTH // 1024)


# --- a reader's own data ---------------------------------------------------------------
#
# Kept in st.session_state only: st.cache_data / st.cache_resource are shared by every
# session, so a reader's file must never pass through them. A file is read once per upload
# and checked once per column mapping; the view with it is computed in the session.


class UploadSlot(NamedTuple):
    """One uploader of the "Your data" section: what it takes and what its file must hold."""

    kind: str
    label: str
    types: tuple[str, ...]
    help: str
    # The file can be checked once every role of one of these sets has a column.
    required: tuple[tuple[str, ...], ...]


UPLOADS = (
    UploadSlot(
        SITES,
        N_("Your sites"),
        ("csv", "txt", "xlsx", "geojson", "json"),
        N_(
            "One row per place: a name, and latitude and longitude or an INSEE commune code (a "
            "row with a commune code only is counted in its région and listed, not drawn). "
            "Optional: category, initiative, amount, date, source URL; other columns are shown "
            "as they are. CSV (, ; or tab), Excel or GeoJSON points."
        ),
        (("name", "lat", "lon"), ("name", "insee_commune")),
    ),
    UploadSlot(
        VALUES,
        N_("Your figures per région or département"),
        ("csv", "txt", "xlsx"),
        N_(
            "One row per région or per département: its INSEE code or its name, a value and, "
            "optionally, a unit. CSV (, ; or tab) or Excel."
        ),
        (("area", "value"),),
    ),
)
# English here (extracted by N_), translated where shown.
ROLE_LABELS = {
    "name": N_("Name"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "insee_commune": N_("INSEE commune code"),
    "category": N_("Category"),
    "initiative": N_("Initiative"),
    "amount": N_("Amount"),
    "date": N_("Date"),
    "url": N_("Source URL"),
    "area": N_("Région or département (code or name)"),
    "value": N_("Value"),
    "unit": N_("Unit"),
}
NO_COLUMN = N_("(none)")  # the option for "no column": a value, shown translated
UPLOADS_KEY = "user_uploads"  # kind -> Upload
UPLOAD_GENERATION_KEY = "user_upload_generation"  # bumped to empty the uploaders
SHOW_FIGURES_KEY = "user_show_figures"  # set when a figures file is first checked
USER_VIEW_KEY = "user_view"  # (what it was computed from, ViewData): the last view only
USER_PREVIEW_KEY = "user_preview"  # (request and data, PNG bytes): the last preview only
USER_FILE_PART = "with-your-data"  # in the name of every export that holds the reader's data
USER_TABLE_FIRST = ("line", "name", "category", "initiative", "amount", "date", "url")
# Metrics that exist only with a reader's data: a shared link cannot carry them.
USER_METRICS = (USER_SITES, USER_VALUES)
UPLOAD_LIMIT_MB = MAX_UPLOAD_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class Upload:
    """One uploaded file as read and checked, kept in its reader's session."""

    file_id: str  # Streamlit's id of this upload: a new file, a new id
    name: str
    raw: RawTable | None = None
    error: DataError | None = None  # file-level problems: what could not be read or checked
    failure: str = ""  # the log reference of an unexpected error
    mapping: ColumnMapping | None = None
    swap: tuple[int | str, ...] = ()  # lines whose latitude and longitude the reader swapped
    checked: tuple | None = None  # the mapping and swap that ``data`` was checked with
    data: UserData | None = None
    options: dict[str, list[str]] = field(default_factory=dict)  # user filter choices


class UserInput(NamedTuple):
    """What the reader brought, merged, with their filter; ``key`` says what it came from."""

    key: tuple
    data: UserData
    filter: UserFilter


def user_data_section(dataset: Dataset) -> UserInput | None:
    """The sidebar's "Your data": uploaders, what was read, columns, problems and filters."""
    with st.sidebar.expander(_("Your data"), icon=":material/upload_file:"):
        st.caption(
            _(
                "**Sites**: a name, and latitude and longitude or an INSEE commune code. "
                "**Figures**: a région or département (code or name) and a value. CSV, Excel "
                "or GeoJSON; column names in French or English."
            )
        )
        st.caption(
            _(
                "Your files stay in this browser tab: nothing is stored on the server, and no "
                "one else sees them."
            )
        )
        for slot in UPLOADS:
            upload_section(slot, dataset)
        uploads = st.session_state.get(UPLOADS_KEY, {})
        user = merged_user_data(uploads)
        if user is not None and SITES in uploads:
            user = user._replace(filter=user_filter_widgets(uploads[SITES]))
        if uploads:
            st.button(_("Remove my data"), on_click=remove_user_data, icon=":material/delete:")
    return user


def upload_section(slot: UploadSlot, dataset: Dataset) -> None:
    """One uploader and its file: read once, mapped, checked once per mapping, reported."""
    generation = st.session_state.get(UPLOAD_GENERATION_KEY, 0)
    file = st.file_uploader(
        _(slot.label),
        type=list(slot.types),
        key=f"user_file_{slot.kind}_{generation}",
        help=_(slot.help),
        max_upload_size=UPLOAD_LIMIT_MB,
    )
    uploads = st.session_state.setdefault(UPLOADS_KEY, {})
    if file is None:
        uploads.pop(slot.kind, None)
        return
    upload = uploads.get(slot.kind)
    if upload is None or upload.file_id != file.file_id:
        upload = guarded(slot, Upload(file.file_id, file.name), read_upload, file.getvalue())
    if upload.raw is not None and not upload.failure:
        mapping = mapping_widgets(slot, upload)
        had_figures = upload.data is not None and upload.data.values is not None
        upload = guarded(slot, upload, check_upload, mapping, dataset)
        if not had_figures and upload.data is not None and upload.data.values is not None:
            # Figures just arrived: the map shows them (the reader can switch back).
            st.session_state[SHOW_FIGURES_KEY] = True
    uploads[slot.kind] = upload
    show_upload(slot, upload)


def guarded(slot: UploadSlot, upload: Upload, step, *args) -> Upload:
    """``step(slot, upload, *args)``, with an unexpected error logged and kept on the upload:
    the page then says which file failed and goes on with our data."""
    try:
        return step(slot, upload, *args)
    except Exception:
        reference = uuid.uuid4().hex[:8]
        LOG.exception("unexpected error with an uploaded file, reference %s", reference)
        return replace(upload, failure=reference, data=None)


def read_upload(slot: UploadSlot, upload: Upload, data: bytes) -> Upload:
    """The file as a table and its guessed columns, or its file-level problems."""
    try:
        raw = user_read.read_upload(upload.name, data)
    except DataError as err:
        return replace(upload, error=err)
    mapping = user_columns.guess_mapping(list(raw.frame.columns), slot.kind)
    return replace(upload, raw=raw, mapping=mapping)


def check_upload(
    slot: UploadSlot, upload: Upload, mapping: ColumnMapping, dataset: Dataset
) -> Upload:
    """The upload checked with ``mapping``, unless it was checked with it (and swap) before."""
    upload = replace(upload, mapping=mapping)
    if not has_required_roles(slot, mapping):
        return replace(upload, checked=None, data=None, error=None)
    key = (tuple(sorted(mapping.roles.items())), upload.swap)
    if upload.checked == key:
        return upload
    try:
        if slot.kind == SITES:
            data = user_sites.validate_sites(upload.raw, mapping, dataset, swap_lines=upload.swap)
        else:
            data = user_values.validate_values(upload.raw, mapping, dataset)
    except DataError as err:
        return replace(upload, checked=key, data=None, error=err)
    options = filter_options(data.sites) if data.sites is not None else {}
    return replace(upload, checked=key, data=data, error=None, options=options)


def has_required_roles(slot: UploadSlot, mapping: ColumnMapping | None) -> bool:
    return mapping is not None and any(
        all(role in mapping.roles for role in roles) for roles in slot.required
    )


def mapping_widgets(slot: UploadSlot, upload: Upload) -> ColumnMapping:
    """A column per role: guessed, and shown when a required one is missing or on demand."""
    columns = list(upload.raw.frame.columns)
    options = [NO_COLUMN, *columns]
    keys = {role: f"user_role_{slot.kind}_{upload.file_id}_{role}" for role in ROLES[slot.kind]}
    # Whether to ask is decided on the choices as they are now (a widget's new value is in
    # session state before it is drawn), so the question goes as soon as it is answered.
    chosen = {role: st.session_state.get(key) for role, key in keys.items()}
    pending = {r: c for r, c in chosen.items() if c and c != NO_COLUMN}
    if not any(key in st.session_state for key in keys.values()):
        pending = upload.mapping.roles
    if has_required_roles(slot, ColumnMapping(slot.kind, pending)):
        box = st.popover(
            _("Columns"), icon=":material/view_column:", help=_("Which column holds what")
        )
    else:
        box = st.container(border=True)
        box.warning(verbatim(missing_roles_text(slot, upload)), icon=":material/view_column:")
    roles = {}
    with box:
        for role in ROLES[slot.kind]:
            current = upload.mapping.roles.get(role, NO_COLUMN)
            choice = st.selectbox(
                _(ROLE_LABELS[role]),
                options,
                index=options.index(current) if current in options else 0,
                key=keys[role],
                format_func=column_choice,
            )
            if choice != NO_COLUMN:
                roles[role] = choice
    return ColumnMapping(slot.kind, roles)


def column_choice(column: str) -> str:
    """A column of the reader's file as written; "no column" in the reader's language."""
    return _(NO_COLUMN) if column == NO_COLUMN else column


def missing_roles_text(slot: UploadSlot, upload: Upload) -> str:
    needed = format_list(
        [", ".join(_(ROLE_LABELS[r]) for r in roles) for roles in slot.required],
        style="or",
        locale=i18n.babel_locale(),
    )
    return _("{file}: choose the columns that hold {columns}.").format(
        file=upload.name, columns=needed
    )


def show_upload(slot: UploadSlot, upload: Upload) -> None:
    """What became of the file: counts, problems (the first ones, all as CSV), a swap offer."""
    if upload.failure:
        st.error(
            verbatim(
                _(
                    "{file} could not be used: something went wrong on our side "
                    "(reference {reference}). The map shows our data without it."
                ).format(file=upload.name, reference=upload.failure)
            ),
            icon=":material/error:",
        )
        return
    if upload.error is not None:
        show_problems(slot, upload.error.problems, error=True)
        return
    data = upload.data
    if data is None:
        return
    st.caption(verbatim(f"{upload.name}: {upload_counts(slot, upload)}"))
    if data.notes:  # what the reader decided (encoding, delimiter, codes read as ...)
        notes = "; ".join(str(note) for note in data.notes)
        st.caption(verbatim(_("Read with: {notes}.").format(notes=notes)))
    if data.swapped_lines:
        count = len(data.swapped_lines)
        st.button(
            ngettext(
                "Swap latitude and longitude in {n} row",
                "Swap latitude and longitude in {n} rows",
                count,
            ).format(n=i18n.format_number(count)),
            key=f"user_swap_{slot.kind}",
            on_click=swap_coordinates,
            args=(slot.kind, data.swapped_lines),
            icon=":material/swap_horiz:",
            help=_("Their coordinates fall in France once exchanged."),
        )
    if data.problems:
        show_problems(slot, data.problems)


def upload_counts(slot: UploadSlot, upload: Upload) -> str:
    """'120 rows read, 110 mapped, 6 listed only (commune code), 4 rejected'."""
    return userdata_summary.read_summary(slot.kind, upload.raw, upload.data)


def show_problems(slot: UploadSlot, problems, *, error: bool = False) -> None:
    """The first MAX_PROBLEMS_SHOWN problems as plain text, and all of them as a CSV file."""
    shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown += "\n" + _("... and {more} more ({total} in all).").format(
            more=i18n.format_number(len(problems) - MAX_PROBLEMS_SHOWN),
            total=i18n.format_number(len(problems)),
        )
    if error:
        st.error(verbatim(shown), icon=":material/error:")
    else:
        heading = _("Problems ({n})").format(n=i18n.format_number(len(problems)))
        st.markdown(f"**{heading}**")
        with st.container(height=220 if len(problems) > 4 else "content", border=True):
            st.caption(verbatim(shown))
    st.download_button(
        _("Download the problems (CSV)"),
        data=deferred(problems_csv, tuple(problems)),
        file_name=f"problems-{slot.kind}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"user_problems_{slot.kind}",
        icon=":material/download:",
    )


def problems_csv(problems) -> bytes:
    """Every problem as a row (file, line, field, expected, got); formulas neutralised."""
    return safe_csv(userdata_summary.problems_table(problems))


def swap_coordinates(kind: str, lines: tuple) -> None:
    uploads = st.session_state.get(UPLOADS_KEY, {})
    if kind in uploads:
        upload = uploads[kind]
        uploads[kind] = replace(upload, swap=tuple(dict.fromkeys((*upload.swap, *lines))))


def remove_user_data() -> None:
    """Forget the reader's files: a new uploader key empties the widgets too (Streamlit does
    not let a script set an uploader's value)."""
    st.session_state.pop(UPLOADS_KEY, None)
    st.session_state.pop(USER_VIEW_KEY, None)
    st.session_state.pop(USER_PREVIEW_KEY, None)
    st.session_state[UPLOAD_GENERATION_KEY] = st.session_state.get(UPLOAD_GENERATION_KEY, 0) + 1


def merged_user_data(uploads: dict[str, Upload]) -> UserInput | None:
    """The checked uploads as one UserData (None when none has a good row), kept in the
    session while the uploads do not change, so the view memo below can recognise it."""
    key = tuple((kind, u.file_id, u.checked) for kind, u in sorted(uploads.items()) if u.data)
    memo = st.session_state.get("user_merged")
    if memo is not None and memo[0] == key:
        return memo[1]
    checked = {kind: u.data for kind, u in uploads.items() if u.data is not None}
    data = merge_user_data(checked.get(SITES), checked.get(VALUES))
    user = None if data.empty else UserInput(key, data, UserFilter())
    st.session_state["user_merged"] = (key, user)
    return user


def user_filter_widgets(upload: Upload) -> UserFilter:
    """Multi-selects over the reader's own columns (those with a few values) and a search."""
    if upload.data is None or upload.data.sites is None:
        return UserFilter()
    kept = []
    for number, (column, values) in enumerate(upload.options.items()):
        label = upload.mapping.roles.get(column, column)  # the column's name in the file
        chosen = st.multiselect(
            verbatim(label),  # a widget label reads Markdown: the name shown as written
            values,
            key=f"user_filter_{upload.file_id}_{number}",
            placeholder=_("All"),
        )
        if chosen:
            kept.append((column, tuple(chosen)))
    text = st.text_input(
        _("Search your sites"),
        key=f"user_text_{upload.file_id}",
        max_chars=MAX_TEXT_QUERY,
    )
    return UserFilter(tuple(kept), " ".join(text.split()))


def user_view(
    dataset: Dataset, version: DataVersion, state: ViewState, user: UserInput
) -> ViewData:
    """The view with the reader's data, computed in their session (never in a shared cache).

    The last one is kept, so a rerun that changes neither view nor data computes nothing.
    If it fails, the page says so and shows our data alone.
    """
    key = (version, replace(state, panel=""), user.key, user.filter)
    memo = st.session_state.get(USER_VIEW_KEY)
    if memo is not None and memo[0] == key:
        return memo[1]
    try:
        view = compute_view(dataset, key[1], user=user.data, user_filter=user.filter)
    except Exception:
        show_user_failure(user_sources(user.data), "mapped", N_("The map shows our data alone."))
        return cached_view(dataset, version, link_state(state))
    st.session_state[USER_VIEW_KEY] = (key, view)
    return view


FAILURES = {  # what could not be done with the reader's data: the whole sentence each
    "mapped": N_(
        "Your data ({sources}) could not be mapped: something went wrong on our side "
        "(reference {reference})."
    ),
    "drawn": N_(
        "Your data ({sources}) could not be drawn: something went wrong on our side "
        "(reference {reference})."
    ),
    "drawn in the report": N_(
        "Your data ({sources}) could not be drawn in the report: something went wrong on our "
        "side (reference {reference})."
    ),
}


def show_user_failure(sources: str, what: str, outcome: str) -> None:
    """An unexpected error with the reader's data: logged with a reference; the page names
    their file and what still works, never the error itself. ``what`` is a key of FAILURES,
    ``outcome`` an English sentence (both marked with N_)."""
    reference = uuid.uuid4().hex[:8]
    LOG.exception("unexpected error with an uploaded file, reference %s", reference)
    sentence = _(FAILURES[what]).format(sources=sources, reference=reference)
    st.error(verbatim(f"{sentence} {_(outcome)}"), icon=":material/error:")


def user_sources(user: UserData) -> str:
    return ", ".join(part.source for part in (user.sites, user.values) if part is not None)


def link_state(state: ViewState) -> ViewState:
    """The state a link can carry: a metric of the reader's data falls back to ours."""
    return replace(state, metric=DEFAULT_METRIC) if state.metric in USER_METRICS else state


# --- page sections ---------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=DATA_VERSIONS_KEPT)
def cached_headlines(folder: str, signature: tuple, lang: str, _dataset: Dataset) -> list:
    """The headline cards depend on the data and the language: built once per data version
    and language."""
    return presentation.headline_cards(_dataset.commitments)


def show_headlines(dataset: Dataset, version: DataVersion) -> None:
    """The headline figures as one compact strip: each figure links to its source, with its
    pillar and its pledge status as a badge.

    The commitment's wording, deadline, computed status and latest progress (with its
    source) are in each figure's help tooltip.
    """
    cards = cached_headlines(*version, i18n.language(), dataset)
    if not cards:
        return
    for column, card in zip(st.columns(len(cards), gap="small"), cards, strict=True):
        column.markdown(headline_text(card), help=headline_details(card))


def headline_text(card: presentation.HeadlineCard) -> str:
    """The figure as a link to its first source, over its pillar and its status badge."""
    figure = f"**{verbatim(card.figure)}**"
    if card.sources:
        figure = f"[{figure}](<{presentation.link_target(card.sources[0][1])}>)"
    line = f":small[{verbatim(card.pillar)}]"
    short, colour = card.badge
    if short:
        line += f" :{colour}-badge[{verbatim(short)}]"
    return f"{figure}  \n{line}"


def headline_details(card: presentation.HeadlineCard) -> str:
    """The tooltip: what was committed, by when, where it stands and what that rests on."""
    parts = [
        verbatim(
            _("{commitment}, {deadline}.").format(commitment=card.label, deadline=card.deadline)
        )
    ]
    if card.status:
        parts.append(verbatim(card.status_wording))
    if card.progress:
        source = ""
        if card.progress_sources:
            label, url = card.progress_sources[0]
            source = f" ({markdown_link(label, url)})"
        parts.append(
            _("Latest progress: {progress} as of {date}{source}.").format(
                progress=verbatim(card.progress), date=verbatim(card.progress_as_of), source=source
            )
        )
    if card.sources:
        links = ", ".join(markdown_link(label, url) for label, url in card.sources)
        parts.append(_("Sources: {links}").format(links=links))
    return "\n\n".join(parts)


@st.cache_resource(show_spinner=False, max_entries=DATA_VERSIONS_KEPT)
def cached_timeline(folder: str, signature: tuple, lang: str, _dataset: Dataset):
    """The dated events as a table ready for the chart, once per data version and language."""
    return presentation.timeline_table(_dataset.events, _dataset.region_names())


@st.fragment
def show_timeline(dataset: Dataset, version: DataVersion) -> None:
    """Announcements, meetings, permits, openings and progress reports on a dated chart.

    A fragment whose popover draws its content only once opened: the chart library (a
    large download) is fetched by those who ask for it, and opening it reruns only this.
    """
    apply_language()  # a fragment rerun starts here, not in main
    table = cached_timeline(*version, i18n.language(), dataset)
    if table.empty:
        return
    popover = st.popover(
        ngettext("Timeline: {n} dated event", "Timeline: {n} dated events", len(table)).format(
            n=i18n.format_number(len(table))
        ),
        icon=":material/timeline:",
        key=TIMELINE_OPEN_KEY,
        on_change="rerun",
    )
    if not popover.open:
        return
    with popover:
        st.vega_lite_chart(presentation.timeline_chart_spec(table), width="stretch")
        st.markdown(event_list(table))


def event_list(table) -> str:
    """Dated events as a Markdown list, each with its source link (the table's columns are
    presentation's stable names; their cells are in the reader's language)."""
    source = pgettext("link", "source")
    return "\n".join(
        f"- **{verbatim(row.When)}**: {verbatim(row.Event)} ({verbatim(row.Scope)}) "
        + (f"[{source}](<{presentation.link_target(row.Source)}>)" if row.Source else "")
        for row in table.itertuples()
    )


def show_counts(view: ViewData) -> None:
    """The counts of the current filter in one line under the map (st.metric would add a
    number-formatting library to the first load for three integers)."""
    st.markdown(
        " · ".join(
            _("{field}: {values}").format(field=verbatim(label), values=f"**{shown_count(count)}**")
            for label, count in presentation.view_counts(view).items()
        )
    )
    if view.user is not None and USER_SITES in view.metrics_offered:
        st.markdown(user_counts_line(view.user))


def shown_count(value) -> str:
    """A count as the reader's language writes numbers (anything else as it is)."""
    return i18n.format_number(value) if isinstance(value, numbers.Integral) else str(value)


def show_investment_totals(view: ViewData) -> None:
    """The announced investment of the shown rows, counted once per pledge chain, with
    Microsoft's share, and what the sum includes and excludes (when the page shows them)."""
    if not investments_shown(view.metric.key):
        return
    head, *terms = presentation.totals_lines(view.investments.totals)
    focus = _("Mission focus: {investor}").format(investor=voc.FOCUS_INVESTOR)
    st.markdown(f":blue-badge[{verbatim(focus)}] **{verbatim(head)}**")
    if terms:
        st.caption("\n".join(f"- {verbatim(term)}" for term in terms))


def user_counts_line(user: UserView) -> str:
    """'Your sites on the map: **4** · listed only (commune code): **1**', as Markdown."""
    line = _("Your sites on the map: {mapped} · {listed_label}: {listed}").format(
        mapped=f"**{i18n.format_number(len(user.sites))}**",
        listed_label=verbatim(_("listed only (commune code)")),
        listed=f"**{i18n.format_number(len(user.listed))}**",
    )
    if user.aggregated and user.grid is not None:
        cells = f"**{i18n.format_number(len(user.grid))}**"
        line += " · " + _("drawn as {n} grid cells").format(n=cells)
    return line


def show_map(dataset: Dataset, version: DataVersion, view: ViewData) -> ViewData:
    """The map of ``view``; the view it shows (ours alone if the reader's could not be drawn)."""
    missing = webmap.missing_assets(VENDOR_DIR)
    if missing:
        st.error(_("The map cannot be drawn: {reason}").format(reason=missing_assets_text(missing)))
        return view
    urls = cached_geometry(*version, dataset)

    def layers(view: ViewData) -> list:
        return webmap.build_layers(
            dataset,
            view,
            geometry=urls,
            selected_region=st.session_state.get(PANEL_KEY),
            markers=cached_marker_rows(*version, i18n.language(), dataset),
            investment_parts=(
                cached_investment_parts(
                    *version,
                    i18n.language(),
                    view.state.investments,
                    view.state.filter.regions,
                    view,
                    dataset,
                )
                if view.state.layer_investments
                else None
            ),
        )

    try:
        groups = layers(view)
    except Exception:
        if view.user is None:
            raise
        show_user_failure(view.user.source, "drawn", N_("The map shows our data alone."))
        view = cached_view(dataset, version, link_state(view.state))
        groups = layers(view)
    st_folium(
        webmap.build_base_map(dataset, geometry=urls, map_files=cached_map_files()),
        key=MAP_KEY,
        feature_group_to_add=groups,
        layer_control=webmap.build_layer_control(),
        returned_objects=MAP_RETURNS,
        height=webmap.MAP_HEIGHT,
        use_container_width=True,
    )
    sentences = [
        _(
            "Filter: {filter}. Colour: initiative · shape: category · dashed outline: the "
            "point stands for a region, not a building. Hover for names, click a marker for "
            "details and sources, click a region for its panel."
        ).format(filter=verbatim(str(view.subtitle)))
    ]
    if view.user is not None and USER_SITES in view.metrics_offered:
        sentences.append(
            _("Your sites are the small dots, coloured by their category; click one for its row.")
        )
    if view.state.layer_investments:
        sentences.append(
            _(
                "Investments: one mark per located row; rows known only by their region are "
                "counted there, not drawn."
            )
        )
    st.caption(" ".join(sentences))
    return view


def missing_assets_text(missing: list[str]) -> str:
    return _(
        "its front-end files are missing from static/vendor/ ({files}). Run `make assets`."
    ).format(files=", ".join(missing))


def show_region_panel(dataset: Dataset, view: ViewData) -> None:
    names = dataset.region_names()
    st.selectbox(
        _("Region panel"),
        sorted(names, key=names.get),
        key=PANEL_KEY,
        index=None,
        format_func=names.get,
        placeholder=_("Click a region on the map, or pick one"),
    )
    code = st.session_state.get(PANEL_KEY)
    if not code:
        st.info(
            _(
                "Click a region on the map (or pick one above) to see its sites, "
                "commitments and figures."
            ),
            icon=":material/ads_click:",
        )
        return
    panel = presentation.region_panel(view, code)
    st.subheader(panel.name, anchor=False)
    st.caption(_("Filter: {filter}").format(filter=verbatim(str(view.subtitle))))
    values = [*panel.values, *user_panel_values(view, code)]
    st.table(
        {"Measure": [k for k, _value in values], "Value": [v for _measure, v in values]},
        hide_index=True,
        hide_header=True,
        border="horizontal",
    )
    # Lists rather than data grids: they fit the narrow column, keep the source links and
    # need no extra download. The investments come first when the page shows them.
    if investments_shown(view.metric.key):
        show_region_investments(view, code)
    if panel.sites_by_initiative:
        st.markdown(bold(_("Sites by initiative")))
        for label, table in panel.sites_by_initiative.items():
            st.caption(f"{verbatim(str(label))} ({i18n.format_number(len(table))})")
            st.markdown(table_list(table))
    else:
        st.caption(_("No mapped site matches the filter in this region."))
    st.markdown(bold(_("Commitments scoped to this region")))
    if len(panel.commitments):
        st.markdown(table_list(panel.commitments))
    else:
        st.caption(_("None: the national commitments above apply."))
    if not investments_shown(view.metric.key):
        st.caption(
            _(
                "Turn on “{switch}” in the sidebar to list every announced AI investment in "
                "this region."
            ).format(switch=_("Show all announced AI investments"))
        )
    events = presentation.timeline_table(
        presentation.region_events(dataset, code), dataset.region_names()
    )
    st.markdown(bold(_("Dated events in this region ({n})").format(n=count(events))))
    if len(events):
        st.markdown(table_list(events[["When", "Event", "Kind", "Source"]]))
    else:
        st.caption(_("None recorded."))


def bold(text: str) -> str:
    """Our own heading text in bold (it holds no Markdown of its own)."""
    return f"**{text}**"


def count(rows) -> str:
    """How many rows, as a number in the reader's language."""
    return i18n.format_number(len(rows))


def show_region_investments(view: ViewData, code: str) -> None:
    """The region's announced investments (Microsoft's first) and its counted total."""
    table = presentation.region_investments_table(view, code)
    st.markdown(bold(_("Announced AI investment in this region ({n})").format(n=count(table))))
    if not len(table):
        st.caption(_("None among the investments shown."))
        return
    head, *terms = presentation.region_totals_lines(view, code)
    st.markdown(f"**{verbatim(head)}**")
    if terms:
        st.caption("\n".join(f"- {verbatim(term)}" for term in terms))
    # A region with many pledges scrolls in its own box: the dated events stay in reach.
    long = len(table) > PANEL_LIST_ROWS
    with st.container(height=PANEL_LIST_HEIGHT if long else "content", border=long):
        st.markdown(table_list(table))


def user_panel_values(view: ViewData, code: str) -> list[tuple[str, str]]:
    """The region panel's rows of the reader's data: their sites here and their figure.

    A table cell reads Markdown, so a name from their file is shown as written.
    """
    # Figures per département have no value per région: the map colours départements.
    keys = (USER_SITES,) if view.departement_values is not None else (USER_SITES, USER_VALUES)
    rows = []
    for key in keys:
        metric = view.metrics_offered.get(key)
        if metric is None or key not in view.metrics:
            continue
        value = presentation.number_or_none(view.metrics.loc[code, key])
        shown = (
            _("not in your file")
            if value is None
            else presentation.format_metric_value(value, metric)
        )
        rows.append((verbatim(metric.label), verbatim(shown)))  # the unit is theirs too
    return rows


def table_list(table) -> str:
    """A table as a Markdown list, a row an item: the first cell bold, the others after it,
    the Source column as a link; every cell escaped."""
    items = []
    for row in table.to_dict("records"):
        url = row.pop("Source", None)
        cells = [verbatim(" ".join(str(v).split())) for v in row.values() if not pd.isna(v)]
        text = " · ".join([f"**{cells[0]}**", *cells[1:]] if cells else [])
        if presentation.is_web_url(url):
            text += " · " + markdown_link(presentation.source_label(url), url)
        items.append(f"- {text}")
    return "\n".join(items)


@st.fragment
def show_tables(view: ViewData) -> None:
    """Every site and partner of the view as sortable tables, drawn only once opened.

    The data grid is a large download, so it is fetched by those who open the tables; a
    fragment, so opening them reruns only this part.
    """
    apply_language()  # a fragment rerun starts here, not in main
    label = _(
        "Tables: {sites} sites on the map, {partners} partners without a mapped location"
    ).format(sites=count(view.sites), partners=count(view.unlocated))
    user = view.user if view.user is not None and USER_SITES in view.metrics_offered else None
    if user is not None:
        label += ", " + _("{n} of your rows").format(n=i18n.format_number(user.matched))
    shown = investments_shown(view.metric.key)
    if shown:
        label += ", " + _("{n} announced investments").format(n=count(view.investments.rows))
    tables = st.expander(
        label,
        icon=":material/table:",
        key=TABLES_OPEN_KEY,
        on_change="rerun",
    )
    if not tables.open:
        return
    with tables:
        st.subheader(_("Sites on the map ({n})").format(n=count(view.sites)), anchor=False)
        st.dataframe(
            shown_table(presentation.site_table(view.sites)),
            hide_index=True,
            column_config=_link_column(),
        )
        st.subheader(
            _("Partners without a mapped location ({n})").format(n=count(view.unlocated)),
            anchor=False,
        )
        if len(view.unlocated):
            st.dataframe(
                shown_table(presentation.unlocated_table(view.unlocated)),
                hide_index=True,
                column_config=_link_column(),
            )
        else:
            st.caption(_("None for this filter."))
        if shown:
            show_investment_tables(view)
        if user is not None:
            st.subheader(
                _("Your rows ({n})").format(n=i18n.format_number(user.matched)), anchor=False
            )
            st.caption(
                _(
                    "The rows of your file that match the filters, as written: with "
                    "coordinates first, then those with a commune code only (counted, not drawn)."
                )
            )
            # Plain text cells (a data grid reads no Markdown or HTML); links stay text.
            st.dataframe(user_rows_table(user), hide_index=True)


def show_investment_tables(view: ViewData) -> None:
    """Every shown investment row, then those with no region (counted as 'not located')."""
    table = presentation.investment_table(view)
    st.subheader(_("Announced AI investments ({n})").format(n=count(table)), anchor=False)
    st.caption(
        _(
            "One row per announced pledge, site or phase, Microsoft's first; '{counted}' says "
            "what each adds to the totals, or why it adds nothing."
        ).format(counted=_("Counted"))
    )
    st.dataframe(shown_table(table), hide_index=True, column_config=_link_column())
    unlocated = presentation.not_located_investments(view)
    st.subheader(
        _("Investments without a known region ({n})").format(n=count(unlocated)), anchor=False
    )
    if len(unlocated):
        st.dataframe(shown_table(unlocated), hide_index=True, column_config=_link_column())
    else:
        st.caption(_("None for this filter."))


def user_rows_table(user: UserView) -> pd.DataFrame:
    """The reader's matching rows, their line and name first, then the rest as checked."""
    rows = pd.concat([user.sites, user.listed], ignore_index=True)
    first = [c for c in USER_TABLE_FIRST if c in rows]
    return rows[[*first, *(c for c in rows.columns if c not in first)]]


def shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table as a data grid shows it: presentation's stable column keys renamed to the
    headers readers see, in their language."""
    return presentation.with_headers(table)


def _link_column() -> dict:
    header = presentation.column_header("Source")
    return {
        header: st.column_config.LinkColumn(
            header,
            display_text=r"https?://(?:www\.)?([^/]+)",
            help=_("Opens the source in a new tab"),
        )
    }


# --- export ----------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=EXPORT_CACHE_ENTRIES)
def cached_export(
    folder: str, signature: tuple, request: ExportRequest, _dataset: Dataset
) -> bytes:
    """The export's bytes, made once per request and data version."""
    return render_export(_dataset, request, vendor_dir=VENDOR_DIR)


def user_export(dataset: Dataset, request: ExportRequest, user: UserInput) -> bytes:
    """The export's bytes with the reader's data: made in their session, never cached (the
    export caches are shared by every session)."""
    return render_export(
        dataset, request, vendor_dir=VENDOR_DIR, user=user.data, user_filter=user.filter
    )


def export_bytes(
    dataset: Dataset, version: DataVersion, request: ExportRequest, user: UserInput | None
):
    """What makes the export's bytes on demand: the shared cache for our data alone."""
    if user is None:
        return deferred(cached_export, *version, request, dataset)
    return deferred(user_export, dataset, request, user)


def user_preview(dataset: Dataset, request: ExportRequest, user: UserInput) -> bytes:
    """A preview with the reader's data; the last one is kept in their session."""
    key = (request, user.key, user.filter)
    memo = st.session_state.get(USER_PREVIEW_KEY)
    if memo is None or memo[0] != key:
        memo = (key, user_export(dataset, request, user))
        st.session_state[USER_PREVIEW_KEY] = memo
    return memo[1]


def with_user_data_name(name: str) -> str:
    """'france-ai-investment_all_a4-landscape.pdf' -> '..._a4-landscape_with-your-data.pdf'."""
    if USER_FILE_PART in name:
        return name
    stem, dot, extension = name.rpartition(".")
    return f"{stem}_{USER_FILE_PART}{dot}{extension}" if dot else f"{name}_{USER_FILE_PART}"


@st.fragment
def show_export_panel(
    dataset: Dataset, version: DataVersion, view: ViewData, user: UserInput | None = None
) -> None:
    """Download this view as a report image, the interactive map or data (same as the CLI).

    A fragment, so choosing a format or a page reruns only this panel, not the map; the
    expander runs its content only while open. The file is made when the button is clicked.
    With the reader's data, every format includes it and the file name says so.
    """
    apply_language()  # a fragment rerun starts here, not in main
    panel = st.expander(
        _("Export this view: PDF, PNG, SVG, interactive map, data"),
        icon=":material/download:",
        key=EXPORT_OPEN_KEY,
        on_change="rerun",
    )
    if not panel.open:
        return
    # The request follows the map: its filters, its metric (after any fallback), departements.
    state = replace(view.state, metric=view.metric.key, panel="")  # the file ignores the panel
    with panel:
        # A reader's metric is named as their file names it: that part is shown as is.
        st.caption(
            _("Filter: {filter} · regions coloured by: {metric}").format(
                filter=view.subtitle, metric=verbatim(metric_label(view.metric))
            )
        )
        if user is not None:
            st.caption(
                verbatim(_("With your data: {sources}").format(sources=user_sources(user.data)))
            )
        options, preview = st.columns([1, 1.7], gap="large")
        with options:
            fmt = export_options(view)
        try:
            request = export_request(state, fmt)
            with preview:
                show_export_preview(dataset, version, view, request, user)
        except ExportError as err:
            options.error(str(err), icon=":material/error:")
            return
        with options:
            name = export_file_name(request)
            if user is not None:
                name = with_user_data_name(name)
            st.download_button(
                _("Download {format}").format(format=download_name(FORMATS[fmt].extension)),
                data=export_bytes(dataset, version, request, user),
                file_name=name,
                mime=FORMATS[fmt].media_type,
                on_click="ignore",  # the page stays as it is: no rerun, no lost click
                icon=":material/download:",
                type="primary",
                key=EXPORT_BUTTON_KEY,
            )
            st.caption(_("File: {name}").format(name=f"`{name}`"))


def download_name(extension: str) -> str:
    """What the button says it downloads: 'PDF', 'CSV', 'GeoJSON'."""
    return DOWNLOAD_NAMES.get(extension, extension.lstrip(".").upper())


def export_options(view: ViewData) -> str:
    """The format widget and, for report images, page, resolution, title and labels."""
    fmt = st.selectbox(
        _("Format"),
        list(FORMATS),
        index=list(FORMATS).index(DEFAULT_EXPORT_FORMAT),
        key="export_format",
        format_func=lambda k: _(FORMATS[k].label),
    )
    if FORMATS[fmt].kind != "image":
        return fmt
    # persist_state: the choices survive a detour through a data format.
    st.selectbox(
        _("Page"),
        list(LAYOUTS),
        key="export_layout",
        format_func=lambda k: _(LAYOUTS[k].label),
        persist_state="page",
    )
    if fmt == "png":
        st.segmented_control(
            _("Resolution"),
            DPI_CHOICES,
            default=DEFAULT_DPI,
            required=True,
            key="export_dpi",
            format_func=lambda dpi: _("{dpi} dpi").format(dpi=i18n.format_number(dpi)),
            help=_("300 dpi for print, 150 dpi for screens and slides, 600 dpi for posters."),
            persist_state="page",
        )
    st.text_input(
        _("Title"),
        key="export_title",
        max_chars=MAX_TITLE,
        placeholder=str(default_title(view)),
        help=_("Leave empty for the default title, which names the metric."),
        persist_state="page",
    )
    warning = title_warning(st.session_state.get("export_title"))
    if warning:
        st.warning(str(warning), icon=":material/font_download_off:")
    st.toggle(
        _("Label sites"),
        key="export_labels",
        help=_("Names beside the markers; a label that would overlap another is left out."),
        persist_state="page",
    )
    st.toggle(
        _("Headline pledges"),
        key="export_pledges",
        help=_("Each headline pledge's status, computed from its latest reported progress."),
        persist_state="page",
    )
    st.toggle(
        _("Timeline strip"),
        key="export_timeline",
        help=_("The dated events (of the chosen regions, and national ones) on a time axis."),
        persist_state="page",
    )
    return fmt


def export_request(state: ViewState, fmt: str) -> ExportRequest:
    """The request for this view and the panel's choices (ExportError if one is invalid)."""
    if FORMATS[fmt].kind != "image":
        return ExportRequest(state, fmt)
    return ExportRequest(
        state,
        fmt,
        layout=st.session_state["export_layout"],
        dpi=st.session_state["export_dpi"] if fmt == "png" else DEFAULT_DPI,
        title=st.session_state["export_title"] or None,
        labels=st.session_state["export_labels"],
        timeline=st.session_state["export_timeline"],
        pledges=st.session_state["export_pledges"],
    )


def show_export_preview(
    dataset: Dataset,
    version: DataVersion,
    view: ViewData,
    request: ExportRequest,
    user: UserInput | None = None,
) -> None:
    """A small PNG of a report image (same request, low dpi), or what a file holds.

    Raises ExportError for what would make the file fail, so it is said before the click.
    """
    kind = request.format.kind
    if kind == "image":
        small = replace(request, fmt="png", dpi=PREVIEW_DPI)
        with st.spinner(_("Drawing the preview…")):
            if user is None:
                image = cached_export(*version, small, dataset)
            else:
                try:
                    image = user_preview(dataset, small, user)
                except Exception:
                    show_user_failure(
                        user_sources(user.data), "drawn in the report", N_("The map above works.")
                    )
                    return
        layout = LAYOUTS[request.layout]
        if request.fmt == "png":
            width, height = layout.pixel_size(request.dpi)
            size = _("{width} x {height} px").format(width=width, height=height)  # technical
        else:
            size = _("vector, text stays text")
        # Drawn at its own pixel size (a width here would resample it); the border shows
        # the page's edge.
        with st.container(border=True, horizontal_alignment="center"):
            caption = _("Preview · {page} · {size}").format(page=_(layout.label), size=size)
            st.image(image, caption=caption, width="content")
    else:
        missing = webmap.missing_assets(VENDOR_DIR) if kind == "map" else []
        if missing:  # said now: a failure on click shows only a generic message
            raise ExportError(
                _("The interactive map cannot be made: {reason}").format(
                    reason=missing_assets_text(missing)
                )
            )
        st.info(export_contents(view, request.fmt), icon=":material/description:")


def export_contents(view: ViewData, fmt: str) -> str:
    """What a map or data export holds, in one sentence."""
    located, unlocated = len(view.sites), len(view.unlocated)
    numbers = {
        "total": i18n.format_number(located + unlocated),
        "located": i18n.format_number(located),
        "unlocated": i18n.format_number(unlocated),
    }
    ours = {
        "html": _(
            "The interactive map of this view in one file: {located} mapped sites, region "
            "colours, popups and sources. Leaflet is inside, so it opens in any browser, offline."
        ),
        "csv": _(
            "{total} matching sites ({located} mapped, {unlocated} without a location): one "
            "row each with region, precision and source URLs."
        ),
        "geojson": _(
            "{total} matching sites ({located} mapped, {unlocated} without a location) as "
            "GeoJSON points (WGS84); sites without a location have no geometry."
        ),
        "metrics-csv": _("All {regions} regions, one row each, with every metric for this filter."),
        **investment_export_contents(),
    }
    rows, with_point = len(view.investments.rows), len(view.investments.located)
    text = ours[fmt].format(
        **numbers,
        regions=i18n.format_number(len(view.metrics)),
        rows=i18n.format_number(rows),
        with_point=i18n.format_number(with_point),
        without_point=i18n.format_number(rows - with_point),
    )
    return text + investment_map_contents(view, fmt) + user_export_contents(view, fmt)


def investment_export_contents() -> dict[str, str]:
    """What the investment exports hold, by format (the formats' own sentences, to fill with
    rows, with_point and without_point)."""
    return {
        "investments-csv": _(
            "{rows} announced investments ({with_point} with a point, {without_point} known "
            "by region only or not located): one row each with the amount as announced, how "
            "it is counted and its source URLs."
        ),
        "investments-geojson": _(
            "{rows} announced investments ({with_point} with a point, {without_point} known "
            "by region only or not located) as GeoJSON points (WGS84); rows without a point "
            "have no geometry."
        ),
    }


def investment_map_contents(view: ViewData, fmt: str) -> str:
    """The interactive map's investments, when the view shows them ('' otherwise)."""
    if fmt != "html" or not view.state.layer_investments:
        return ""
    return " " + _("Also the {n} announced investments with a point.").format(
        n=i18n.format_number(len(view.investments.located))
    )


def user_export_contents(view: ViewData, fmt: str) -> str:
    """What the export holds of the reader's data, as a sentence after ours ('' if none)."""
    user = view.user
    if user is None:
        return ""
    if fmt == "metrics-csv":
        columns = [c for c in (USER_SITES, USER_VALUES) if c in view.metrics]
        # Column names are machine names: the list is worded, the names stay as they are.
        names = format_list(columns, locale=i18n.babel_locale())
        return " " + _("Your data in the columns {columns} (per région).").format(columns=names)
    if USER_SITES not in view.metrics_offered:
        return ""
    if fmt == "html":
        return " " + _("Also {n} of your sites, as dots.").format(
            n=i18n.format_number(len(user.sites))
        )
    return " " + _(
        "Then your {matched} matching rows ({located} with coordinates, {listed} with a "
        "commune code only); a source column says whose each row is."
    ).format(
        matched=i18n.format_number(user.matched),
        located=i18n.format_number(len(user.sites)),
        listed=i18n.format_number(len(user.listed)),
    )


def run() -> None:
    """main(), with any unexpected error shown as a short message and a reference.

    The traceback goes to the server log under that reference; visitors never see it
    (client.showErrorDetails is off as well). Streamlit's own stop/rerun signals are
    BaseExceptions and pass through.
    """
    try:
        main()
    except Exception:
        reference = uuid.uuid4().hex[:8]
        LOG.exception("unexpected error, reference %s", reference)
        st.error(
            _(
                "Something went wrong while drawing this page. Reload it; if it happens again, "
                "tell the maintainers the reference {reference}."
            ).format(reference=reference),
            icon=":material/error:",
        )


run()
