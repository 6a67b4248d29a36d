"""Command line: ``france-ai-map run|validate|export`` (also ``python -m geo ...``).

Default folders (geo.bundle): $FRANCE_AI_MAP_DATA_DIR, else the data installed with the
package, else ./data; ``run`` starts the installed app, else ./app.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from geo import bundle
from geo.core.dataset import Dataset, load_dataset, summarize
from geo.core.errors import DataError, Problem, display_path
from geo.core.filters import FILTER_FIELDS
from geo.core.regions import METRICS, USER_SITES, USER_VALUES
from geo.core.userdata.model import ROLES, SITES, VALUES, UserData
from geo.report.layouts import DEFAULT_LAYOUT, LAYOUTS

PROG = "france-ai-map"
DATA_DIR_HELP = "$FRANCE_AI_MAP_DATA_DIR, else the installed data, else ./data"
MAX_LINES_SHOWN = 20  # of the swapped rows in a summary line (every problem is listed anyway)


@dataclass(frozen=True)
class UserFileOption:
    """One option naming a reader's own file: what it holds and the metric it offers."""

    flag: str
    dest: str
    kind: str  # geo.core.userdata.model.SITES or VALUES
    help: str
    metric: str


USER_FILE_OPTIONS = (
    UserFileOption(
        "--sites", "sites", SITES, "your own sites: CSV, XLSX or GeoJSON points", USER_SITES
    ),
    UserFileOption(
        "--region-values",
        "region_values",
        VALUES,
        "your own figures per région or département: CSV or XLSX",
        USER_VALUES,
    ),
)
USER_FILE_ERROR = 2  # exit status when a reader's file cannot be read at all
ROWS_REJECTED = 1  # exit status of `validate` when rows of a reader's file were rejected


class UserFileError(Exception):
    """A reader's file that cannot be read at all (the CLI exits USER_FILE_ERROR)."""

    def __init__(self, err: DataError):
        super().__init__(str(err))
        self.problems = err.problems


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="France AI investment map: the app, data checks and exports."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_run_parser(commands)
    validate = commands.add_parser("validate", help="check every data file and print a summary")
    validate.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        metavar="DATA_DIR",
        help=f"folder with the data files (default: {DATA_DIR_HELP})",
    )
    add_user_file_options(validate)
    validate.set_defaults(run=run_validate)
    add_export_parser(commands)
    add_landscape_parser(commands)
    return parser


def add_user_file_options(parser: argparse.ArgumentParser) -> None:
    """--sites FILE and --region-values FILE: a reader's own data, checked like ours."""
    for option in USER_FILE_OPTIONS:
        parser.add_argument(
            option.flag, dest=option.dest, type=Path, metavar="FILE", help=option.help
        )
    parser.add_argument(
        "--column",
        dest="columns",
        action="append",
        type=column_argument,
        default=[],
        metavar="ROLE=COLUMN",
        help="which column of your file plays a role its name did not say (repeatable); "
        f"roles: {', '.join(ALL_ROLES)}",
    )


ALL_ROLES = tuple(dict.fromkeys(role for roles in ROLES.values() for role in roles))


def column_argument(text: str) -> tuple[str, str]:
    """ROLE=COLUMN for --column: a known role and a column name as the file writes it."""
    role, sep, column = text.partition("=")
    if not sep or not column.strip():
        raise argparse.ArgumentTypeError(f"expected ROLE=COLUMN, got {text!r}")
    if role.strip() not in ALL_ROLES:
        raise argparse.ArgumentTypeError(
            f"role {role.strip()!r} is not one of: {', '.join(ALL_ROLES)}"
        )
    return role.strip(), column.strip()


def run_validate(args: argparse.Namespace) -> int:
    """Check the data directory (and the reader's files); print a summary and every problem.

    Exit 1 when a row of the reader's files was rejected, 2 when one of them cannot be read.
    """
    dataset = load_dataset(args.data_dir or bundle.default_data_dir())
    print(summarize(dataset))
    print("\nOK: every data file is valid.")
    user = load_user_files(args, dataset)
    if user is None:
        return 0
    print("\nYour data:")
    rejected = 0
    for kind, path in user_files(args):
        lines, count = user_file_summary(user, kind, path.name)
        rejected += count
        print("\n".join(f"  {line}" for line in lines))
    for note in user.notes:
        print(f"  note: {note}")
    if not user.problems:
        print("\nOK: every row of your data is valid.")
        return 0
    count = len(user.problems)
    kind = "Error" if rejected else "Warning"
    cost = (
        f"{rejected} row{'s' if rejected != 1 else ''} rejected" if rejected else "no row rejected"
    )
    heading = f"{kind}: {count} problem{'s' if count != 1 else ''} in your data ({cost}):"
    print(heading, file=sys.stderr)
    for problem in user.problems:
        print(f"  {problem}", file=sys.stderr)
    return ROWS_REJECTED if rejected else 0


def user_files(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(kind, path) of the reader's files named on the command line, sites first."""
    given = [(option.kind, getattr(args, option.dest, None)) for option in USER_FILE_OPTIONS]
    return [(kind, path) for kind, path in given if path is not None]


def load_user_files(args: argparse.Namespace, dataset: Dataset) -> UserData | None:
    """The reader's files read and checked against our reference data (None: none given)."""
    if not user_files(args):
        return None
    from geo.core.userdata.load import load_user_data

    try:
        return load_user_data(
            dataset, sites=args.sites, values=args.region_values, columns=dict(args.columns)
        )
    except DataError as err:
        raise UserFileError(err) from None


def user_file_summary(user: UserData, kind: str, name: str) -> tuple[list[str], int]:
    """What became of one of the reader's files, and how many of its rows were rejected.

    Rows read = rows kept + rows rejected (a row with a problem that was not kept).
    """
    problems = [p for p in user.problems if p.path == name]
    frame, kept_what = None, ""  # no good row at all
    if kind == SITES and user.sites is not None:
        frame, kept_what = user.sites.frame, _sites_kept(user)
    elif kind == VALUES and user.values is not None:
        per = "départements" if user.values.level == "departement" else "régions"
        frame, kept_what = user.values.frame, f" ({per})"
    kept = set() if frame is None else set(frame["line"])
    rejected = _rejected_lines(problems, kept)
    read = len(kept) + len(rejected)
    summary = f"{name}: {read} row{'s' if read != 1 else ''} read, {len(kept)} kept{kept_what}, "
    summary += f"{len(rejected)} rejected"
    lines = [summary]
    swapped = list(user.swapped_lines) if kind == SITES else []
    if swapped:
        shown = ", ".join(str(line) for line in swapped[:MAX_LINES_SHOWN])
        shown += ", ..." if len(swapped) > MAX_LINES_SHOWN else ""
        lines.append(
            f"{name}: {len(swapped)} row{'s' if len(swapped) != 1 else ''} with latitude and "
            f"longitude that look swapped (line{'s' if len(swapped) != 1 else ''} {shown})"
        )
    return lines, len(rejected)


def _sites_kept(user: UserData) -> str:
    frame = user.sites.frame
    listed = int(frame["lat"].isna().sum())
    return f" ({len(frame) - listed} with coordinates, {listed} commune-only: counted, not drawn)"


def _rejected_lines(problems: Sequence[Problem], kept: set) -> list:
    return list(
        dict.fromkeys(p.line for p in problems if p.line is not None and p.line not in kept)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: turns DataError into 'Error: ...' on stderr and exit status 1."""
    args, extra = build_parser().parse_known_args(argv)
    if extra and args.command != "run":  # only `run` passes unknown options on (to Streamlit)
        build_parser().parse_args(argv)  # exits 2 with argparse's usual message
    try:
        return args.run(args, extra) if args.command == "run" else args.run(args)
    except bundle.BundleError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    except DataError as err:
        _print_problems("the data", err.problems)
        return 1
    except UserFileError as err:
        _print_problems("your data", err.problems)
        return USER_FILE_ERROR


def _print_problems(whose: str, problems: Sequence[Problem]) -> None:
    count = len(problems)
    print(f"Error: {count} problem{'s' if count != 1 else ''} in {whose}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


# --- run ------------------------------------------------------------------------------------


def add_run_parser(commands: argparse._SubParsersAction) -> None:
    """The ``run`` subcommand: the installed app under Streamlit, with the project's settings."""
    run = commands.add_parser(
        "run",
        help="start the app with Streamlit (other options go to Streamlit, e.g. --server.port)",
        description="Start the installed app (else ./app.py) with `streamlit run`, passing the "
        "project's Streamlit settings (.streamlit/config.toml) as flags. Any other option is "
        "passed on to Streamlit, e.g. --server.port 8600 --server.address 127.0.0.1.",
    )
    run.set_defaults(run=run_app)


def run_app(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Replace this process by Streamlit running the app (so its pid is the server's)."""
    command = bundle.streamlit_command(
        sys.executable, bundle.app_script(), bundle.streamlit_config(), extra
    )
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached


# --- export ---------------------------------------------------------------------------------
# Choices are checked here rather than by argparse so that every bad value gets the same
# "Error: --option 'x' is not one of: ..." message and exit status 1. geo.export (and so
# matplotlib) is imported only when exporting; --help reads its format table, which is plain
# data (the report renderer is imported only to draw an image).


def add_export_parser(commands: argparse._SubParsersAction) -> None:
    """The ``export`` subcommand: the same exports as the app's download buttons."""
    from geo.export import FORMATS

    export = commands.add_parser(
        "export",
        help="write the current view as a report image, an interactive map or data",
        description="Export one view (filters + metric) as a report map (PNG, SVG, PDF), a "
        "standalone interactive map (HTML) or data (sites CSV / GeoJSON, region metrics CSV).",
    )
    export.add_argument(
        "--format",
        required=True,
        dest="fmt",
        metavar="FORMAT",
        help=f"one of: {', '.join(FORMATS)}",
    )
    export.add_argument(
        "--out",
        required=True,
        type=output_argument,
        metavar="PATH",
        help="output file, or a folder to use the default file name (a path ending in / is a "
        "folder, made if missing)",
    )
    add_image_options(export)
    add_filter_options(export)
    export.add_argument(
        "--text",
        default="",
        metavar="Q",
        help="keep sites whose name, organisation, town or notes contain Q",
    )
    export.add_argument(
        "--metric",
        default="sites",
        metavar="NAME",
        help=f"what colours the regions, one of: {', '.join(METRICS)}; with your data also "
        f"{USER_SITES} (with --sites) or {USER_VALUES} (with --region-values) (default: sites)",
    )
    export.add_argument(
        "--departements", action="store_true", help="draw departement boundaries on images"
    )
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"folder with the data files (default: {DATA_DIR_HELP})",
    )
    export.add_argument(
        "--investments",
        action="store_true",
        help="draw the announced AI investments layer on images and maps",
    )
    add_investment_filter_options(export)
    add_user_file_options(export)
    export.set_defaults(run=run_export)


def add_image_options(export: argparse.ArgumentParser) -> None:
    """Page, resolution, title and labels of report images."""
    export.add_argument(
        "--layout",
        default=DEFAULT_LAYOUT,
        metavar="LAYOUT",
        help=f"page for images, one of: {', '.join(LAYOUTS)} (default: {DEFAULT_LAYOUT})",
    )
    export.add_argument(
        "--dpi", default="300", metavar="N", help="PNG resolution, 50 to 600 (default: 300)"
    )
    export.add_argument("--title", help="image title (default: names the metric)")
    export.add_argument(
        "--labels",
        action="store_true",
        help="label sites on images (labels that would overlap are left out)",
    )
    export.add_argument(
        "--timeline",
        action="store_true",
        help="add a timeline strip of the dated events under the map on images (the chosen "
        "regions' and the national ones)",
    )
    export.add_argument(
        "--pledges",
        action="store_true",
        help="add the headline pledges' status (computed on the day the image is made) on images",
    )


def add_filter_options(export: argparse.ArgumentParser) -> None:
    """One repeatable option per filter field (geo.core.filters.FILTER_FIELDS)."""
    for field in FILTER_FIELDS:
        vocabulary = field.vocabulary
        values = ", ".join(vocabulary) if vocabulary else "INSEE codes, e.g. 11 Île-de-France"
        export.add_argument(
            f"--{field.query_key}",
            dest=field.query_key,
            action="extend",
            nargs="+",
            default=[],
            metavar=field.metavar,
            help=f"keep sites with any of these: {values}",
        )


def output_argument(text: str) -> Path:
    """--out as a Path; a path written with a trailing separator names a folder, made here,
    so `--out reports/` works on a fresh checkout as the README shows."""
    path = Path(text)
    if text.endswith(("/", os.sep)) and not path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            message = f"cannot make folder {text!r}: {err.strerror}"
            raise argparse.ArgumentTypeError(message) from None
    return path


def run_export(args: argparse.Namespace) -> int:
    """Check the options, build the request, write the file; print its path and size."""
    # Imported here so that `validate` does not pay for matplotlib.
    from geo.export import (
        ExportError,
        OutputExistsError,
        format_size,
        title_warning,
        write_export,
    )

    try:
        request = export_request(args)
        dataset = load_dataset(args.data_dir or bundle.default_data_dir())
        _check_regions(args.region, dataset.region_names())
        request = replace(
            request,
            state=replace(request.state, investments=investment_filter(args, dataset)),
        )
        user = load_user_files(args, dataset)
        _warn_rejected(args, user)
        path = write_export(dataset, request, args.out, force=args.force, user=user)
    except OutputExistsError as err:
        print(f"Error: {err}; use --force to overwrite it", file=sys.stderr)
        return 1
    except ExportError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    warning = title_warning(request.title) if request.format.kind == "image" else None
    if warning:
        print(f"Warning: {warning}", file=sys.stderr)
    print(f"Wrote {display_path(path)} ({format_size(path.stat().st_size)})")
    return 0


def export_request(args: argparse.Namespace):
    """An ExportRequest from the options (regions are checked once the data is loaded)."""
    from geo.core.filters import MAX_TEXT_QUERY, SiteFilter
    from geo.core.state import ViewState
    from geo.export import (
        FORMATS,
        LAYOUTS,
        ExportError,
        ExportRequest,
        check_choice,
        check_dpi,
        check_title,
    )

    check_choice("--format", args.fmt, FORMATS)
    check_choice("--layout", args.layout, LAYOUTS)
    try:
        dpi = int(args.dpi)
    except ValueError:
        dpi = args.dpi
    check_dpi("--dpi", dpi)
    if args.title is not None:
        check_title("--title", args.title)
    chosen = {}
    for field in FILTER_FIELDS:
        values = getattr(args, field.query_key)
        if field.vocabulary is not None:  # region codes are checked once the data is loaded
            for value in values:
                check_choice(f"--{field.query_key}", value, field.vocabulary)
        chosen[field.attr] = tuple(dict.fromkeys(values))
    text = " ".join(args.text.split())
    if len(text) > MAX_TEXT_QUERY:
        raise ExportError(f"--text expected at most {MAX_TEXT_QUERY} characters, got {len(text)}")
    check_metric(args)
    state = ViewState(
        filter=SiteFilter(text=text, **chosen),
        metric=args.metric,
        departements=args.departements,
        layer_investments=args.investments,
    )
    return ExportRequest(
        state,
        args.fmt,
        args.layout,
        dpi,
        args.title,
        args.labels,
        timeline=args.timeline,
        pledges=args.pledges,
    )


def check_metric(args: argparse.Namespace) -> None:
    """--metric is one of ours, or one of the reader's when their file is given."""
    from geo.export import ExportError, check_choice

    user_metrics = {option.metric: option.flag for option in USER_FILE_OPTIONS}
    given = {o.metric for o in USER_FILE_OPTIONS if getattr(args, o.dest, None) is not None}
    if args.metric in user_metrics and args.metric not in given:
        option = user_metrics[args.metric]
        raise ExportError(f"--metric {args.metric!r} needs your data: add {option} FILE")
    check_choice("--metric", args.metric, [*METRICS, *(m for m in user_metrics if m in given)])


def _warn_rejected(args: argparse.Namespace, user: UserData | None) -> None:
    """The export goes on with the good rows; say how many were left out and how to list them."""
    if user is None:
        return
    for kind, path in user_files(args):
        _, rejected = user_file_summary(user, kind, path.name)
        if rejected:
            print(
                f"Warning: {rejected} row{'s' if rejected != 1 else ''} of {path.name} rejected "
                f"and left out (`{PROG} validate` lists them)",
                file=sys.stderr,
            )


def _check_regions(regions: Sequence[str], names: dict[str, str]) -> None:
    """Region codes must be among the loaded boundaries'."""
    from geo.export import check_choice

    for code in regions:
        check_choice("--region", code, names, labels=names)


# --- investments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InvestmentOption:
    """One repeatable investment filter option: --inv-<name> VALUE, checked against ``values``."""

    name: str  # the option is --inv-<name>
    attr: str  # InvestmentFilter field
    metavar: str
    help: str


INVESTMENT_OPTIONS = (
    InvestmentOption("investor", "investors", "NAME", "keep investments filed under this investor"),
    InvestmentOption("event", "events", "KEY", "keep investments announced at this event"),
    InvestmentOption("year", "years", "YYYY", "keep investments first announced this year"),
    InvestmentOption("status", "statuses", "KEY", "keep investments with this status"),
)
LANDSCAPE_FORMATS = {"text": "an aligned table", "csv": "CSV (raw numbers)"}
NOT_LOCATED_ROW = "Not located (no known region)"
ALL_ROW = "All shown investments"


def add_investment_filter_options(parser: argparse.ArgumentParser) -> None:
    """--inv-investor, --inv-event, --inv-year, --inv-status (repeatable)."""
    for option in INVESTMENT_OPTIONS:
        parser.add_argument(
            f"--inv-{option.name}",
            dest=f"inv_{option.name}",
            action="append",
            default=[],
            metavar=option.metavar,
            help=f"{option.help} (repeatable; an unknown value lists the valid ones)",
        )


def investment_filter(args: argparse.Namespace, dataset: Dataset):
    """The InvestmentFilter the --inv-* options ask for; an unknown value is an ExportError
    that lists the valid ones (geo.core.landscape.investment_options: investors and years
    from the data, events and statuses from the vocabulary)."""
    from geo.core.landscape import InvestmentFilter, investment_options
    from geo.export import check_choice

    valid = investment_options(dataset.investments)
    chosen = {}
    for option in INVESTMENT_OPTIONS:
        values = list(dict.fromkeys(getattr(args, f"inv_{option.name}", [])))
        for value in values:
            check_choice(f"--inv-{option.name}", value, valid[option.attr])
        chosen[option.attr] = tuple(values)
    return InvestmentFilter(**chosen)


def add_landscape_parser(commands: argparse._SubParsersAction) -> None:
    """The ``landscape`` subcommand: announced investment per region, with its terms."""
    landscape = commands.add_parser(
        "landscape",
        help="print the announced AI investment per region (EUR, MW) and what it counts",
        description="Print every region's announced AI investment, counted once per pledge "
        "chain, in EUR and MW, with Microsoft's share, then the terms: what the totals "
        "include and exclude.",
    )
    landscape.add_argument(
        "--format",
        dest="fmt",
        default="text",
        metavar="FORMAT",
        help=f"one of: {', '.join(LANDSCAPE_FORMATS)} (default: text)",
    )
    landscape.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help="keep investments in this region (INSEE code, repeatable)",
    )
    add_investment_filter_options(landscape)
    landscape.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"folder with the data files (default: {DATA_DIR_HELP})",
    )
    landscape.set_defaults(run=run_landscape)


def run_landscape(args: argparse.Namespace) -> int:
    """Print the per-region table (text or CSV) and the terms of its totals."""
    from geo.export import ExportError, check_choice

    try:
        check_choice("--format", args.fmt, LANDSCAPE_FORMATS, labels=LANDSCAPE_FORMATS)
        dataset = load_dataset(args.data_dir or bundle.default_data_dir())
        _check_regions(args.region, dataset.region_names())
        flt = investment_filter(args, dataset)
    except ExportError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    table, terms = landscape_table(dataset, flt, tuple(dict.fromkeys(args.region)))
    if args.fmt == "csv":
        from geo.export import safe_csv

        sys.stdout.write(safe_csv(table).decode("utf-8"))
        return 0
    print(format_landscape(table))
    print()
    print("\n".join(f"- {term}" for term in terms))
    return 0


def landscape_table(dataset: Dataset, flt, regions: tuple[str, ...] = ()):
    """(table, terms): one row per region with announced investment, then the not-located
    remainder and the national total; the terms of that total."""
    import pandas as pd

    from geo.core.filters import SiteFilter
    from geo.core.state import ViewState
    from geo.core.view import compute_view

    state = ViewState(filter=SiteFilter(regions=regions), investments=flt)
    shown = compute_view(dataset, state).investments
    names = dataset.region_names()
    by_region = shown.by_region
    by_region = by_region[by_region["investments"] > 0]
    columns = ["announced_eur", "announced_eur_high", "announced_mw", "investments"]
    columns += ["microsoft_eur", "not_disclosed"]
    table = pd.DataFrame(
        {"insee_reg": by_region.index.astype(str), "region": by_region.index.map(names)}
    )
    for column in columns:
        table[column] = by_region[column].to_numpy()
    from geo.core.landscape import region_investments

    totals = shown.totals
    # Rows with no region are grouped under the code "" by the same sums as the regions.
    unlocated = region_investments(shown.rows, [""])
    extra = []
    if int(unlocated["investments"].iloc[0]):
        extra.append({"insee_reg": "", "region": NOT_LOCATED_ROW, **unlocated.iloc[0].to_dict()})
    extra.append(
        {
            "insee_reg": "",
            "region": ALL_ROW,
            "announced_eur": totals.eur,
            "announced_eur_high": totals.eur_high,
            "announced_mw": totals.mw,
            "investments": totals.rows,
            "microsoft_eur": totals.microsoft_eur,
            "not_disclosed": totals.not_disclosed,
        }
    )
    table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    table[["investments", "not_disclosed"]] = table[["investments", "not_disclosed"]].astype(int)
    return table.reindex(columns=["insee_reg", "region", *columns]), list(totals.terms())


def format_landscape(table) -> str:
    """The landscape table aligned for a terminal: euros as 'EUR 4 bn', MW as numbers."""
    from geo.style import format_value

    def cell(value, unit: str = "") -> str:
        if value is None or value != value:  # NaN: not disclosed or nothing to add
            return "-"
        return format_value(float(value), unit)

    headings = ["Code", "Region", "Announced", "High end", "MW", "Rows", "Microsoft", "Undiscl."]
    lines = [
        [
            str(row.insee_reg),
            str(row.region),
            cell(row.announced_eur, "EUR"),
            cell(row.announced_eur_high, "EUR"),
            cell(row.announced_mw),
            cell(row.investments),
            cell(row.microsoft_eur, "EUR"),
            cell(row.not_disclosed),
        ]
        for row in table.itertuples(index=False)
    ]
    widths = [max(len(h), *(len(line[k]) for line in lines)) for k, h in enumerate(headings)]
    left = (0, 1)

    def joined(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if k in left else c.rjust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([joined(headings), *(joined(line) for line in lines)])
