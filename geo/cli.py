"""Command line: ``python -m geo validate [DATA_DIR]`` and ``python -m geo export ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.core.dataset import DEFAULT_DATA_DIR, load_dataset, summarize
from geo.core.errors import DataError, display_path
from geo.core.filters import FILTER_FIELDS
from geo.core.regions import METRICS


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="France AI investment map: data checks and exports."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check every data file and print a summary")
    validate.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DATA_DIR",
        help="folder with the data files (default: data/)",
    )
    validate.set_defaults(run=run_validate)
    add_export_parser(commands)
    return parser


def run_validate(args: argparse.Namespace) -> int:
    """Check the data directory; print a summary."""
    dataset = load_dataset(args.data_dir)
    print(summarize(dataset))
    print("\nOK: every data file is valid.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: turns DataError into 'Error: ...' on stderr and exit status 1."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as err:
        count = len(err.problems)
        print(f"Error: {count} problem{'s' if count != 1 else ''} in the data:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


# --- export ---------------------------------------------------------------------------------
# Choices are checked here rather than by argparse so that every bad value gets the same
# "Error: --option 'x' is not one of: ..." message and exit status 1. geo.export (and so
# matplotlib) is imported only when exporting; the two lists below repeat its keys for --help
# and a test keeps them equal.
EXPORT_FORMATS = ("png", "svg", "pdf", "html", "csv", "geojson", "metrics-csv")
EXPORT_LAYOUTS = ("a4-landscape", "a4-portrait", "slide-16x9", "square")


def add_export_parser(commands: argparse._SubParsersAction) -> None:
    """The ``export`` subcommand: the same exports as the app's download buttons."""
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
        help=f"one of: {', '.join(EXPORT_FORMATS)}",
    )
    export.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="PATH",
        help="output file, or an existing folder to use the default file name",
    )
    export.add_argument(
        "--layout",
        default="a4-landscape",
        metavar="LAYOUT",
        help=f"page for images, one of: {', '.join(EXPORT_LAYOUTS)} (default: a4-landscape)",
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
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="folder with the data files (default: data/)",
    )
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Check the options, build the request, write the file; print its path and size."""
    # Imported here so that `validate` does not pay for matplotlib.
    from geo.export import ExportError, OutputExistsError, format_size, write_export

    try:
        request = export_request(args)
        dataset = load_dataset(args.data_dir)
        _check_regions(args.region, dataset.region_names())
        path = write_export(dataset, request, args.out, force=args.force)
    except OutputExistsError as err:
        print(f"Error: {err}; use --force to overwrite it", file=sys.stderr)
        return 1
    except ExportError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
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
    return ExportRequest(state, args.fmt, args.layout, dpi, args.title, args.labels)


def _check_regions(regions: Sequence[str], names: dict[str, str]) -> None:
    """Region codes must be among the loaded boundaries'."""
    from geo.export import check_choice

    for code in regions:
        check_choice("--region", code, names, labels=names)
