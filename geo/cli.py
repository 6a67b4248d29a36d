"""Command line: ``france-ai-map run|validate|export`` (also ``python -m geo ...``).

Default folders (geo.bundle): $FRANCE_AI_MAP_DATA_DIR, else the data installed with the
package, else ./data; ``run`` starts the installed app, else ./app.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from geo import bundle
from geo.core.dataset import load_dataset, summarize
from geo.core.errors import DataError, display_path
from geo.core.filters import FILTER_FIELDS
from geo.core.regions import METRICS
from geo.report.layouts import DEFAULT_LAYOUT, LAYOUTS

PROG = "france-ai-map"
DATA_DIR_HELP = "$FRANCE_AI_MAP_DATA_DIR, else the installed data, else ./data"


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
    validate.set_defaults(run=run_validate)
    add_export_parser(commands)
    return parser


def run_validate(args: argparse.Namespace) -> int:
    """Check the data directory; print a summary."""
    dataset = load_dataset(args.data_dir or bundle.default_data_dir())
    print(summarize(dataset))
    print("\nOK: every data file is valid.")
    return 0


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
        count = len(err.problems)
        print(f"Error: {count} problem{'s' if count != 1 else ''} in the data:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


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
        type=Path,
        metavar="PATH",
        help="output file, or an existing folder to use the default file name",
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
        help=f"what colours the regions, one of: {', '.join(METRICS)} (default: sites)",
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
        path = write_export(dataset, request, args.out, force=args.force)
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
    check_choice("--metric", args.metric, METRICS)
    state = ViewState(
        filter=SiteFilter(text=text, **chosen),
        metric=args.metric,
        departements=args.departements,
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


def _check_regions(regions: Sequence[str], names: dict[str, str]) -> None:
    """Region codes must be among the loaded boundaries'."""
    from geo.export import check_choice

    for code in regions:
        check_choice("--region", code, names, labels=names)
