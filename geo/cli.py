"""Command line: ``python -m geo validate [DATA_DIR]`` (and more subcommands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.dataset import DEFAULT_DATA_DIR, load_dataset, summarize
from geo.errors import DataError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m geo", description="France AI investment map: data checks and exports."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check every data file and print a summary")
    validate.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA_DIR,
                          metavar="DATA_DIR", help="folder with the data files (default: data/)")
    validate.set_defaults(run=run_validate)
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
