"""Every export of one view: report images, the standalone interactive map, data files.

The app (download buttons) and the CLI (``python -m geo export``) both call
``render_export`` / ``write_export``, so an export is the same file from either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from geo import bundle, i18n
from geo.core import files
from geo.core.dataset import Dataset
from geo.core.errors import display_path
from geo.core.state import DEFAULT_METRIC, ViewState
from geo.core.userdata.model import UserData
from geo.core.userdata.view import SITE_COLUMNS, UserFilter
from geo.core.view import ViewData, compute_view
from geo.i18n import N_, _, ngettext
from geo.report import layouts

# The report renderer (matplotlib) is imported only to draw an image or clean a title, so the
# CLI's `validate` and `--help`, and data exports, load no matplotlib.


@dataclass(frozen=True)
class ExportFormat:
    """One output format: what it holds, its file extension and media type."""

    key: str
    label: str  # English, marked: shown as _(label)
    extension: str
    media_type: str
    kind: str  # "image", "map" or "data"
    name_part: str = ""  # what the file name says it holds, for data files


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("png", N_("Report map (PNG image)"), ".png", "image/png", "image"),
        ExportFormat(
            "svg", N_("Report map (SVG, editable vector)"), ".svg", "image/svg+xml", "image"
        ),
        ExportFormat("pdf", N_("Report map (PDF, vector)"), ".pdf", "application/pdf", "image"),
        ExportFormat(
            "html",
            N_("Interactive map (HTML, works offline)"),
            ".html",
            "text/html",
            "map",
            "interactive-map",
        ),
        ExportFormat("csv", N_("Sites (CSV)"), ".csv", "text/csv", "data", "sites"),
        ExportFormat(
            "geojson", N_("Sites (GeoJSON)"), ".geojson", "application/geo+json", "data", "sites"
        ),
        ExportFormat(
            "metrics-csv", N_("Region metrics (CSV)"), ".csv", "text/csv", "data", "region-metrics"
        ),
        ExportFormat(
            "investments-csv",
            N_("Announced investments (CSV)"),
            ".csv",
            "text/csv",
            "data",
            "investments",
        ),
        ExportFormat(
            "investments-geojson",
            N_("Announced investments (GeoJSON)"),
            ".geojson",
            "application/geo+json",
            "data",
            "investments",
        ),
    )
}
# Other endings accepted for an output path, besides each format's own extension.
EXTRA_SUFFIXES: dict[str, tuple[str, ...]] = {
    "geojson": (".json",),
    "investments-geojson": (".json",),
    "html": (".htm",),
}
LAYOUTS = layouts.LAYOUTS
DEFAULT_LAYOUT = layouts.DEFAULT_LAYOUT
DEFAULT_DPI = layouts.DEFAULT_DPI
MIN_DPI, MAX_DPI = layouts.MIN_DPI, layouts.MAX_DPI
MAX_TITLE = 200
MAX_NAME_BYTES = 240
FILE_PREFIX = "france-ai-investment"
ENGLISH_NAMES = "en"  # the language whose file names carry no language part
LIST_SEPARATOR = "; "
URL_SEPARATOR = " "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Columns of the sites export, in order; lists are joined, booleans written yes/no.
SITE_EXPORT_COLUMNS = (
    "id", "name", "organisation", "category", "initiatives", "programmes", "audiences", "city",
    "insee_commune", "lat", "lon", "precision", "coord_basis", "location_confirmed", "status",
    "insee_reg", "region_name", "insee_dep", "departement_name", "join_note", "commune_note",
    "source_urls", "source_note", "notes",
)  # fmt: skip
LIST_COLUMNS = ("initiatives", "programmes", "audiences")
# Filled by the spatial join and the commune reference: empty, not missing, for unlocated sites.
JOIN_COLUMNS = (
    "insee_reg", "region_name", "insee_dep", "departement_name", "join_note", "commune_note",
)  # fmt: skip
METRIC_EXPORT_DROP = ("geometry",)
# The investments export: the table's columns, where the row is, then how it is counted
# (geo.core.landscape.count_investments) and whether it is Microsoft's, the map's focus.
INVESTMENT_PLACE_COLUMNS = ("insee_dep", "region_name")
INVESTMENT_LIST_COLUMNS = {"partners": LIST_SEPARATOR, "source_urls": URL_SEPARATOR}
INVESTMENT_FLAG_COLUMNS = ("counted", "focus")
INVESTMENT_NUMBER_COLUMNS = (
    "amount", "amount_max", "capacity_mw", "gpus", "lat", "lon", "counted_eur",
    "counted_eur_high", "counted_mw",
)  # fmt: skip
INVESTMENTS_PART = "investments"  # in file names: the layer drawn, or the investments' table
# The metrics export says, per region, what its announced figures include and exclude.
TERMS_COLUMN = "announced_terms"
# With a reader's data the sites export is one table of everything the map shows: a `source`
# column first says whose row it is, their extra columns (amount, date, attributes) follow.
SOURCE_COLUMN = "source"
# Human text cells: written in the export's language (N_ marks them, _() words them).
OUR_SOURCE = N_("France AI investment map")
YOUR_SOURCE = N_("your data: {file}")
USER_EXTRA_COLUMNS = ("amount", "date")
NUMBER_COLUMNS = ("lat", "lon", "amount")
USER_ID_PREFIX = "your-data-line-"
# A reader's column -> ours; the rest of theirs keep their names.
USER_TO_EXPORT = {
    "name": "name",
    "category": "category",
    "initiative": "initiatives",
    "insee_commune": "insee_commune",
    "lat": "lat",
    "lon": "lon",
    "insee_reg": "insee_reg",
    "insee_dep": "insee_dep",
    "url": "source_urls",
    "amount": "amount",
    "date": "date",
}


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says what to change."""


class OutputExistsError(ExportError):
    """The output file exists and overwriting was not asked for."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the view (filters, metric), the format and, for images, page and dpi."""

    state: ViewState
    fmt: str
    layout: str = DEFAULT_LAYOUT
    dpi: int = DEFAULT_DPI
    title: str | None = None
    labels: bool = False
    made_on: date | None = None  # the date printed on images (and the pledges' status day)
    timeline: bool = False  # images: a timeline strip of the dated events under the map
    pledges: bool = False  # images: the headline pledges' computed status under the map

    def __post_init__(self) -> None:
        check_choice("format", self.fmt, FORMATS)
        check_choice("layout", self.layout, LAYOUTS)
        check_dpi("dpi", self.dpi)
        if self.title is not None:
            check_title("title", self.title)

    @property
    def format(self) -> ExportFormat:
        """The format's description."""
        return FORMATS[self.fmt]


# --- checks (shared with the CLI, which names its options in the messages) ------------------


def check_choice(
    name: str, value: str, allowed: Iterable[str], labels: Mapping[str, str] | None = None
) -> str:
    """Return value if it is allowed; else ExportError listing the valid values."""
    allowed = list(allowed)
    if value in allowed:
        return value
    shown = [f"{key} ({_(labels[key])})" if labels and labels.get(key) else key for key in allowed]
    raise ExportError(
        _("{name} {value} is not one of: {allowed}").format(
            name=name, value=repr(value), allowed=", ".join(shown)
        )
    )


def check_dpi(name: str, dpi: object) -> int:
    """Return the dpi if it is a whole number in MIN_DPI..MAX_DPI."""
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(
            _("{name} expected a whole number from {low} to {high}, got {value}").format(
                name=name, low=MIN_DPI, high=MAX_DPI, value=repr(dpi)
            )
        )
    return dpi


def check_title(name: str, title: object) -> str:
    """Return the title if it is text of at most MAX_TITLE characters once cleaned."""
    if not isinstance(title, str):
        raise ExportError(
            _("{name} expected text, got {type}").format(name=name, type=type(title).__name__)
        )
    from geo.report import render as static

    length = len(static.clean_text(title))
    if length > MAX_TITLE:
        raise ExportError(
            _("{name} expected at most {limit} characters, got {length}").format(
                name=name, limit=MAX_TITLE, length=length
            )
        )
    return title


def title_warning(title: str | None) -> str | None:
    """What of a report title no installed font can draw (it would print as boxes), or None."""
    if not title:
        return None
    from geo.report.text import undrawable  # matplotlib only when a title is checked

    missing = undrawable(title)
    if not missing:
        return None
    shown = " ".join(f"U+{ord(ch):04X}" for ch in missing[:10])
    return ngettext(
        "{n} character of the title cannot be drawn with the installed fonts and will show as "
        "an empty box: {codes}",
        "{n} characters of the title cannot be drawn with the installed fonts and will show "
        "as empty boxes: {codes}",
        len(missing),
    ).format(n=len(missing), codes=shown)


# --- names and bytes ------------------------------------------------------------------------


def export_file_name(request: ExportRequest) -> str:
    """A name that says what the file holds, e.g. 'france-ai-investment_skilling_a4-landscape.pdf'.

    Parts: the filter (SiteFilter.slug), the metric when not the default (maps only),
    'investments' when the layer is drawn (maps), the layout (images), the dpi when not 300
    (PNG), or what a data file holds ('filtered' before 'investments' when the investment
    filter keeps some rows only). A file in French or German (the current language) ends in
    '-fr' / '-de' before the extension; English names have no such part.
    """
    fmt = request.format
    state = request.state
    parts = [FILE_PREFIX, state.filter.slug()]
    if fmt.kind in ("image", "map") and state.metric != DEFAULT_METRIC:
        parts.append(state.metric.replace("_", "-"))
    if fmt.kind in ("image", "map") and state.layer_investments:
        parts.append(INVESTMENTS_PART)
    if fmt.name_part == INVESTMENTS_PART and not state.investments.is_empty():
        parts.append("filtered")  # some investors, events, years or statuses only
    if fmt.kind == "image":
        parts.append(request.layout)
        if fmt.key == "png" and request.dpi != DEFAULT_DPI:
            parts.append(f"{request.dpi}dpi")
    else:
        parts.append(fmt.name_part)
    return "_".join(parts) + language_suffix() + fmt.extension


def language_suffix(lang: str | None = None) -> str:
    """What a file name says of its language: '' for English, '-fr', '-de'."""
    lang = lang or i18n.language()
    return "" if lang == ENGLISH_NAMES else f"-{lang}"


def render_export(
    dataset: Dataset,
    request: ExportRequest,
    *,
    vendor_dir: Path | None = None,
    user: UserData | None = None,
    user_filter: UserFilter | None = None,
) -> bytes:
    """The export's bytes (nothing is written).

    ``vendor_dir`` is the folder of the vendored front-end files the interactive map copies
    in; None means the installed copy's, else static/vendor/ here (geo.bundle). ``user`` is
    the reader's own data (and ``user_filter`` what of it to keep): every format includes it.
    """
    view = compute_view(dataset, request.state, user=user, user_filter=user_filter)
    fmt = request.format
    if fmt.kind in ("image", "map") and request.state.metric not in view.metrics_offered:
        raise ExportError(
            _("metric {metric} has no values for these filters; choose one of: {offered}").format(
                metric=repr(request.state.metric), offered=", ".join(view.metrics_offered)
            )
        )
    if fmt.kind == "image":
        from geo.report import render as static

        return static.render_image(
            dataset,
            view,
            fmt.key,
            request.layout,
            dpi=request.dpi,
            title=request.title,
            labels=request.labels,
            made_on=request.made_on,
            bands=static.Bands(timeline=request.timeline, pledges=request.pledges),
        )
    if fmt.key == "html":
        return render_html(dataset, view, vendor_dir or bundle.default_vendor_dir())
    if fmt.key == "csv":
        return sites_csv(view, dataset)
    if fmt.key == "geojson":
        return sites_geojson(view, dataset)
    if fmt.key == "investments-csv":
        return investments_csv(view)
    if fmt.key == "investments-geojson":
        return investments_geojson(view)
    return metrics_csv(view)


def render_html(dataset: Dataset, view: ViewData, vendor_dir: Path) -> bytes:
    """The interactive map as one HTML file with its scripts and styles inside."""
    from geo import webmap  # folium is only needed for this format

    try:
        m = webmap.build_map(dataset, view, assets="inline", vendor_dir=vendor_dir)
    except webmap.AssetsMissingError as err:
        raise ExportError(
            _("cannot build the interactive map: {error}").format(error=err)
        ) from None
    return m.get_root().render().encode("utf-8")


def sites_table(view: ViewData, dataset: Dataset | None = None) -> pd.DataFrame:
    """The view's matching sites, mapped or not, as flat text-friendly columns in file order.

    With a reader's data their matching rows follow ours (see user_sites_table) and a
    `source` column comes first.
    """
    located = pd.DataFrame(view.sites.drop(columns="geometry"))
    rows = pd.concat([located, view.unlocated]).sort_values("line")
    table = rows.reindex(columns=SITE_EXPORT_COLUMNS)
    for column in LIST_COLUMNS:
        table[column] = table[column].map(LIST_SEPARATOR.join)
    table["source_urls"] = table["source_urls"].map(URL_SEPARATOR.join)
    table["location_confirmed"] = table["location_confirmed"].map({True: "yes", False: "no"})
    for column in JOIN_COLUMNS:
        table[column] = table[column].fillna("")
    table = table.reset_index(drop=True)
    theirs = user_sites_table(view, dataset)
    if theirs is None:
        return table
    table.insert(0, SOURCE_COLUMN, _(OUR_SOURCE))
    extra = [c for c in theirs.columns if c not in table.columns]
    table = table.reindex(columns=[*table.columns, *extra])
    for column in extra:
        if column not in NUMBER_COLUMNS:
            table[column] = table[column].astype(object).fillna("")
    theirs = theirs.reindex(columns=table.columns)
    text = [c for c in table.columns if c not in NUMBER_COLUMNS]
    theirs[text] = theirs[text].astype(object).fillna("")
    return pd.concat([table.astype(dict.fromkeys(text, object)), theirs], ignore_index=True)


def user_sites_table(view: ViewData, dataset: Dataset | None = None) -> pd.DataFrame | None:
    """The reader's matching rows (drawn, then commune-only) in the export's columns, or None.

    Their columns map onto ours (name, category, initiative -> initiatives, url ->
    source_urls, codes, coordinates); région and département names come from our boundaries;
    amount, date and their other columns follow, as written (a name ours already uses gets
    ' (your data)' added).
    """
    user = view.user
    if user is None or (user.sites.empty and user.listed.empty):
        return None
    rows = pd.concat([user.sites, user.listed]).sort_values("line", key=_line_order)
    source = _(YOUR_SOURCE).format(file=user.sites_source)
    table = pd.DataFrame(
        {SOURCE_COLUMN: source, "id": USER_ID_PREFIX + rows["line"].astype(str)}, index=rows.index
    )
    for theirs, ours in USER_TO_EXPORT.items():
        if theirs in rows:
            table[ours] = rows[theirs]
    names = view.metrics["name_fr"]
    table["region_name"] = rows["insee_reg"].map(names).fillna("")
    if dataset is not None:
        deps = dataset.departements["name_fr"]
        table["departement_name"] = rows["insee_dep"].map(deps).fillna("")
    taken = {SOURCE_COLUMN, *SITE_EXPORT_COLUMNS, *USER_EXTRA_COLUMNS}
    for column in rows.columns:
        if column not in USER_TO_EXPORT and column != "line" and column not in SITE_COLUMNS:
            table[f"{column} (your data)" if column in taken else column] = rows[column]
    for column in table.columns:
        if column not in NUMBER_COLUMNS:
            table[column] = table[column].fillna("").astype(str)
    return table.reset_index(drop=True)


def _line_order(lines: pd.Series) -> pd.Series:
    """CSV and XLSX lines sort as numbers, GeoJSON labels ('feature 3') by their number."""
    numbers = pd.to_numeric(lines, errors="coerce")
    labels = numbers.isna()
    if labels.any():  # the regex only where needed: 100,000 CSV lines are numbers already
        found = lines[labels].astype(str).str.extract(r"(\d+)$")[0]
        numbers[labels] = pd.to_numeric(found, errors="coerce")
    return numbers


def sites_csv(view: ViewData, dataset: Dataset | None = None) -> bytes:
    """The view's sites as UTF-8 CSV (lat/lon empty where not located), safe in spreadsheets."""
    return safe_csv(sites_table(view, dataset))


def safe_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV whose text cells a spreadsheet will not run as formulas.

    A text cell starting with =, +, -, @, a tab or a carriage return gets a leading
    apostrophe (OWASP's advice for CSV injection); numbers stay numbers.
    """
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = neutralise_formulas(safe[column])
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def neutralise_formulas(values: pd.Series) -> pd.Series:
    """neutralise_formula over a column, as one vectorised test (100,000 rows of a reader's
    file would take seconds one cell at a time)."""
    try:
        risky = values.str.startswith(FORMULA_STARTS, na=False)
    except AttributeError:  # pandas: no text in this column at all
        return values
    if not risky.any():
        return values
    out = values.astype(object).copy()
    out[risky] = "'" + values[risky].astype(str)
    return out


def neutralise_formula(value: object) -> object:
    """'=1+1' -> "'=1+1"; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sites_geojson(view: ViewData, dataset: Dataset | None = None) -> bytes:
    """The view's sites as a GeoJSON FeatureCollection (RFC 7946, WGS84, lon/lat order).

    Sites without a known location keep a null geometry, as the RFC allows, so the file lists
    the same sites as the CSV. One feature per line keeps diffs readable.
    """
    return table_geojson(sites_table(view, dataset))


def table_geojson(table: pd.DataFrame) -> bytes:
    """A flat table with id, lat and lon columns as a GeoJSON FeatureCollection (null
    geometry where lat or lon is missing)."""
    # Column by column (NaN -> None), then rows: much faster than to_dict("records") per
    # cell when a reader's 100,000 rows are in the table.
    columns = [
        table[c].astype(object).where(table[c].notna(), None).tolist() for c in table.columns
    ]
    keys = [str(c) for c in table.columns]  # a plain list: an Index is slow to iterate
    features = []
    for values in zip(*columns, strict=True):
        props = dict(zip(keys, values, strict=True))
        lon, lat = props["lon"], props["lat"]
        geometry = (
            None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
        )
        feature = {"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props}
        features.append(json.dumps(feature, ensure_ascii=False, allow_nan=False))
    body = ",\n".join(features)
    text = '{"type": "FeatureCollection", "features": [\n' + body + ("\n" if body else "") + "]}\n"
    return text.encode("utf-8")


def metrics_csv(view: ViewData) -> bytes:
    """Per-region metrics of the view (all 18 regions, no geometry) as UTF-8 CSV; with the
    announced investment columns, what each region's figures include and exclude."""
    table = pd.DataFrame(view.metrics.drop(columns=list(METRIC_EXPORT_DROP)))
    if "has_data_centre" in table:
        table["has_data_centre"] = table["has_data_centre"].map({True: "yes", False: "no"})
    if "announced_eur" in table and getattr(view, "investments", None) is not None:
        table[TERMS_COLUMN] = region_terms(view.investments.rows, table.index)
    return safe_csv(table)


def region_terms(rows: pd.DataFrame, codes: Iterable[str]) -> list[str]:
    """Per region code, the terms of the counted rows there (geo.core.landscape), or ''."""
    from geo.core.landscape import landscape_totals

    regions = rows["insee_reg"].fillna("").astype(str)
    return [
        " ".join(str(t) for t in landscape_totals(rows[regions == code]).terms())
        if (regions == code).any()
        else ""
        for code in codes
    ]


def investments_table(view: ViewData) -> pd.DataFrame:
    """Every investment row the view shows, with where it is and how it is counted, as flat
    text-friendly columns (lists joined, flags yes/no, numbers kept, empty = not disclosed)."""
    from geo.core.investments import INVESTMENT_COLUMNS
    from geo.core.landscape import COUNT_COLUMNS

    rows = pd.DataFrame(view.investments.rows).drop(columns="geometry", errors="ignore")
    columns = [c.name for c in INVESTMENT_COLUMNS]
    columns = list(dict.fromkeys([*columns, *INVESTMENT_PLACE_COLUMNS, *COUNT_COLUMNS]))
    table = rows.reindex(columns=columns).reset_index(drop=True)
    for column, separator in INVESTMENT_LIST_COLUMNS.items():
        table[column] = table[column].map(lambda v, sep=separator: _joined(v, sep))
    for column in INVESTMENT_FLAG_COLUMNS:
        table[column] = table[column].map({True: "yes", False: "no"}).fillna("")
    for column in table.columns:
        if column in INVESTMENT_NUMBER_COLUMNS:
            table[column] = pd.to_numeric(table[column], errors="coerce")
        else:
            table[column] = table[column].astype(object).where(table[column].notna(), "")
            table[column] = table[column].astype(str)
    return table


def _joined(value: object, separator: str) -> str:
    """A list cell as text; text stays as it is."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return separator.join(str(v) for v in value)


def investments_csv(view: ViewData) -> bytes:
    """The view's investment rows as UTF-8 CSV, safe in spreadsheets."""
    return safe_csv(investments_table(view))


def investments_geojson(view: ViewData) -> bytes:
    """The view's investment rows as GeoJSON points; region-only and not-located rows keep a
    null geometry, so the file lists the same rows as the CSV."""
    return table_geojson(investments_table(view))


# --- writing --------------------------------------------------------------------------------


def output_path(request: ExportRequest, out: Path) -> Path:
    """Where the export goes: ``out`` itself, or the default file name inside a folder ``out``.

    The folder must exist and a file name must end in the format's extension.
    """
    out = Path(out)
    size = len(os.fsencode(out.name))
    if size > MAX_NAME_BYTES:  # the temporary sibling adds 15 bytes to the system's 255
        raise ExportError(
            _("file name expected at most {limit} bytes, got {size}").format(
                limit=MAX_NAME_BYTES, size=size
            )
        )
    if out.is_dir():
        return out / export_file_name(request)
    folder = out.parent
    if not folder.is_dir():
        raise ExportError(
            _("folder {folder} does not exist (create it first)").format(
                folder=repr(display_path(folder))
            )
        )
    fmt = request.format
    allowed = (fmt.extension, *EXTRA_SUFFIXES.get(fmt.key, ()))
    if out.suffix.lower() not in allowed:
        raise ExportError(
            _("file name {name} does not end in {endings} (format {format})").format(
                name=repr(out.name), endings=_(" or ").join(allowed), format=fmt.key
            )
        )
    return out


def write_export(
    dataset: Dataset,
    request: ExportRequest,
    out: Path,
    force: bool = False,
    *,
    vendor_dir: Path | None = None,
    user: UserData | None = None,
    user_filter: UserFilter | None = None,
) -> Path:
    """Render and write the export atomically; return the path written.

    Refuses to overwrite an existing file unless ``force``. The bytes are made before anything
    is written, then go to a temporary file in the same folder that replaces the target in one
    step: a failure leaves the old file (if any) untouched and no partial file behind.
    """
    path = output_path(request, out)
    if path.is_dir():
        raise ExportError(_("{path} is a folder, not a file").format(path=repr(display_path(path))))
    if path.exists() and not force:
        raise OutputExistsError(_("{path} already exists").format(path=repr(display_path(path))))
    data = render_export(
        dataset, request, vendor_dir=vendor_dir, user=user, user_filter=user_filter
    )
    write_atomic(path, data, overwrite=force)
    return path


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write bytes to path atomically (geo.core.files); a failure becomes an ExportError.

    Without ``overwrite`` a file that appeared meanwhile (another export) is kept: the
    no-overwrite promise holds under concurrency too.
    """
    if not os.access(path.parent, os.W_OK):
        raise ExportError(
            _("cannot write in {folder}: Permission denied").format(
                folder=repr(display_path(path.parent))
            )
        )
    try:
        files.write_atomic(path, data, overwrite=overwrite)
    except FileExistsError:
        raise OutputExistsError(
            _("{path} already exists").format(path=repr(display_path(path)))
        ) from None
    except OSError as err:
        raise ExportError(
            _("cannot write {path}: {reason}").format(
                path=repr(display_path(path)), reason=_reason(err)
            )
        ) from None


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def format_size(size: int) -> str:
    """A file size for people: '812 bytes', '48.3 KB', '2.1 MB' ('48,3 Ko' in French)."""
    if size < 1000:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    if size < 1_000_000:
        return _("{n} KB").format(n=_one_decimal(size / 1000))
    return _("{n} MB").format(n=_one_decimal(size / 1_000_000))


def _one_decimal(value: float) -> str:
    """'48.3' / '48,3': always one decimal, no grouping (as f'{value:.1f}')."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, 1), format="0.0", locale=i18n.locale_name())
