"""Command line: ``france-ai-map run|validate|export`` (also ``python -m geo ...``).

Default folders (geo.bundle): $FRANCE_AI_MAP_DATA_DIR, else the data installed with the
package, else ./data; ``run`` starts the installed app, else ./app.py.

Language: ``--lang fr|en|de`` (before or after the subcommand), else the environment's locale
as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English. The language is read
from the arguments before the parser is built, so ``--help`` is in it too; argparse's own
messages ("usage:", "invalid choice: ...") are routed to our catalogue for the run
(``argparse_in_language``). Every message, and every file an export writes, is in it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from geo import bundle, i18n
from geo.core.dataset import Dataset, load_dataset, summarize
from geo.core.errors import DataError, Problem, display_path
from geo.core.filters import FILTER_FIELDS
from geo.core.regions import METRICS, USER_SITES, USER_VALUES
from geo.core.userdata.model import ROLES, SITES, VALUES, UserData
from geo.i18n import N_, _, ngettext
from geo.report.layouts import DEFAULT_LAYOUT, LAYOUTS

PROG = "france-ai-map"
DATA_DIR_HELP = N_("$FRANCE_AI_MAP_DATA_DIR, else the installed data, else ./data")
MAX_LINES_SHOWN = 20  # of the swapped rows in a summary line (every problem is listed anyway)
# Where the language comes from when --lang is not given: gettext's order of variables.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# argparse's own messages that a reader of this CLI can meet (Python 3.11's msgids: argparse
# calls its module globals ``_`` / ``ngettext`` when it words them, and argparse_in_language
# points those at geo.i18n). Marked here so that they are in our catalogue.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


@dataclass(frozen=True)
class UserFileOption:
    """One option naming a reader's own file: what it holds and the metric it offers."""

    flag: str
    dest: str
    kind: str  # geo.core.userdata.model.SITES or VALUES
    help: str  # English, translated when the parser is built
    metric: str


USER_FILE_OPTIONS = (
    UserFileOption(
        "--sites", "sites", SITES, N_("your own sites: CSV, XLSX or GeoJSON points"), USER_SITES
    ),
    UserFileOption(
        "--region-values",
        "region_values",
        VALUES,
        N_("your own figures per région or département: CSV or XLSX"),
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


def build_parser(default_language: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand, its help in the current language.

    ``--lang`` is accepted before the subcommand and after it; ``default_language`` is what
    it says when not given (default: the environment's, environment_language).
    """
    default = default_language or environment_language()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_("France AI investment map: the app, data checks and exports."),
        parents=[language_parser(default)],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # A subcommand's own --lang sets the value only when given (a default there would
    # overwrite the one given before the subcommand).
    parent = language_parser(argparse.SUPPRESS)
    add_run_parser(commands, parent)
    validate = commands.add_parser(
        "validate", help=_("check every data file and print a summary"), parents=[parent]
    )
    validate.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        metavar="DATA_DIR",
        help=_data_dir_help(),
    )
    add_user_file_options(validate)
    validate.set_defaults(run=run_validate)
    add_export_parser(commands, parent)
    add_landscape_parser(commands, parent)
    return parser


def _data_dir_help() -> str:
    return _("folder with the data files (default: {default})").format(default=_(DATA_DIR_HELP))


# --- language -------------------------------------------------------------------------------


def language_parser(default: str) -> argparse.ArgumentParser:
    """The parent parser of --lang (for the main parser and every subcommand)."""
    parent = argparse.ArgumentParser(add_help=False)
    shown_default = i18n.DEFAULT_LANGUAGE if default == argparse.SUPPRESS else default
    parent.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=default,
        metavar="LANG",
        help=_(
            "language of messages, help and exports, one of: {choices} (default: {default}, "
            "from the environment's locale)"
        ).format(choices=", ".join(i18n.LANGUAGES), default=shown_default),
    )
    return parent


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment's locale asks for, as gettext reads it: LANGUAGE (a
    list such as "de:fr"), then the first of LC_ALL, LC_MESSAGES, LANG that is set
    ("fr_FR.UTF-8"); English when that is none of ours ("C.UTF-8", "es_ES")."""
    environ = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            lang = i18n.parse_language(part)
            if lang:
                return lang
        if name != "LANGUAGE":  # the first locale variable set decides
            break
    return i18n.DEFAULT_LANGUAGE


def requested_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of this run, read before the parser is built: the last valid
    ``--lang X`` / ``--lang=X`` before any ``--``, else the environment's. An invalid value
    is left to the parser, which refuses it (in the environment's language)."""
    chosen = None
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        # argparse takes an unambiguous prefix too: --lan (--la could be --labels, --layout)
        if len(name) < len("--lan") or not "--lang".startswith(name):
            continue
        if not equals:
            value = argv[k + 1] if k + 1 < len(argv) else ""
        if value in i18n.LANGUAGES:
            chosen = value
    return chosen or environment_language(environ)


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """argparse words its messages through its module globals ``_`` and ``ngettext``
    (the stdlib gettext, whose domain is not ours): point them at geo.i18n for the run,
    so "usage:", "options" and its errors come out in the current language; restored after."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = i18n.gettext, i18n.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def add_user_file_options(parser: argparse.ArgumentParser) -> None:
    """--sites FILE and --region-values FILE: a reader's own data, checked like ours."""
    for option in USER_FILE_OPTIONS:
        parser.add_argument(
            option.flag, dest=option.dest, type=Path, metavar="FILE", help=_(option.help)
        )
    parser.add_argument(
        "--column",
        dest="columns",
        action="append",
        type=column_argument,
        default=[],
        metavar="ROLE=COLUMN",
        help=_(
            "which column of your file plays a role its name did not say (repeatable); "
            "roles: {roles}"
        ).format(roles=", ".join(ALL_ROLES)),
    )


ALL_ROLES = tuple(dict.fromkeys(role for roles in ROLES.values() for role in roles))


def column_argument(text: str) -> tuple[str, str]:
    """ROLE=COLUMN for --column: a known role and a column name as the file writes it."""
    role, sep, column = text.partition("=")
    if not sep or not column.strip():
        raise argparse.ArgumentTypeError(
            _("expected ROLE=COLUMN, got {text}").format(text=repr(text))
        )
    if role.strip() not in ALL_ROLES:
        raise argparse.ArgumentTypeError(
            _("role {role} is not one of: {roles}").format(
                role=repr(role.strip()), roles=", ".join(ALL_ROLES)
            )
        )
    return role.strip(), column.strip()


def run_validate(args: argparse.Namespace) -> int:
    """Check the data directory (and the reader's files); print a summary and every problem.

    Exit 1 when a row of the reader's files was rejected, 2 when one of them cannot be read.
    """
    dataset = load_dataset(args.data_dir or bundle.default_data_dir())
    print(summarize(dataset))
    print("\n" + _("OK: every data file is valid."))
    user = load_user_files(args, dataset)
    if user is None:
        return 0
    print("\n" + _("Your data:"))
    rejected = 0
    for kind, path in user_files(args):
        lines, count = user_file_summary(user, kind, path.name)
        rejected += count
        print("\n".join(f"  {line}" for line in lines))
    for note in user.notes:
        print("  " + _("note: {note}").format(note=note))
    if not user.problems:
        print("\n" + _("OK: every row of your data is valid."))
        return 0
    print(_problems_heading(len(user.problems), rejected), file=sys.stderr)
    for problem in user.problems:
        print(f"  {problem}", file=sys.stderr)
    return ROWS_REJECTED if rejected else 0


def _problems_heading(count: int, rejected: int) -> str:
    """'Error: 3 problems in your data (2 rows rejected):' / 'Warning: ... (no row rejected):'."""
    n = i18n.format_number(count)
    if not rejected:
        return ngettext(
            "Warning: {n} problem in your data (no row rejected):",
            "Warning: {n} problems in your data (no row rejected):",
            count,
        ).format(n=n)
    cost = ngettext("{n} row rejected", "{n} rows rejected", rejected).format(
        n=i18n.format_number(rejected)
    )
    return ngettext(
        "Error: {n} problem in your data ({rejected}):",
        "Error: {n} problems in your data ({rejected}):",
        count,
    ).format(n=n, rejected=cost)


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
        level = _(" (départements)") if user.values.level == "departement" else _(" (régions)")
        frame, kept_what = user.values.frame, level
    kept = set() if frame is None else set(frame["line"])
    rejected = _rejected_lines(problems, kept)
    read = len(kept) + len(rejected)
    summary = ngettext(
        "{name}: {read} row read, {kept} kept{details}, {rejected} rejected",
        "{name}: {read} rows read, {kept} kept{details}, {rejected} rejected",
        read,
    ).format(
        name=name,
        read=i18n.format_number(read),
        kept=i18n.format_number(len(kept)),
        details=kept_what,
        rejected=i18n.format_number(len(rejected)),
    )
    lines = [summary]
    swapped = list(user.swapped_lines) if kind == SITES else []
    if swapped:
        shown = ", ".join(str(line) for line in swapped[:MAX_LINES_SHOWN])
        shown += ", ..." if len(swapped) > MAX_LINES_SHOWN else ""
        lines.append(
            ngettext(
                "{name}: {n} row with latitude and longitude that look swapped (line {lines})",
                "{name}: {n} rows with latitude and longitude that look swapped (lines {lines})",
                len(swapped),
            ).format(name=name, n=i18n.format_number(len(swapped)), lines=shown)
        )
    return lines, len(rejected)


def _sites_kept(user: UserData) -> str:
    frame = user.sites.frame
    listed = int(frame["lat"].isna().sum())
    return _(" ({located} with coordinates, {listed} commune-only: counted, not drawn)").format(
        located=i18n.format_number(len(frame) - listed), listed=i18n.format_number(listed)
    )


def _rejected_lines(problems: Sequence[Problem], kept: set) -> list:
    return list(
        dict.fromkeys(p.line for p in problems if p.line is not None and p.line not in kept)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: turns DataError into 'Error: ...' on stderr and exit status 1.

    The whole run (parsing, messages, exports) is in the language of --lang, else the
    environment's (requested_language).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    with i18n.use_language(requested_language(argv)), argparse_in_language():
        return _run(argv)


def _run(argv: list[str]) -> int:
    args, extra = build_parser().parse_known_args(argv)
    if extra and args.command != "run":  # only `run` passes unknown options on (to Streamlit)
        build_parser().parse_args(argv)  # exits 2 with argparse's usual message
    try:
        return args.run(args, extra) if args.command == "run" else args.run(args)
    except bundle.BundleError as err:
        print(error_line(err), file=sys.stderr)
        return 1
    except DataError as err:
        _print_problems(err.problems, yours=False)
        return 1
    except UserFileError as err:
        _print_problems(err.problems, yours=True)
        return USER_FILE_ERROR


def error_line(message: object) -> str:
    """'Error: <message>' in the current language (the message is worded where raised)."""
    return _("Error: {message}").format(message=message)


def _print_problems(problems: Sequence[Problem], yours: bool) -> None:
    count = len(problems)
    if yours:
        heading = ngettext(
            "Error: {n} problem in your data:", "Error: {n} problems in your data:", count
        )
    else:
        heading = ngettext(
            "Error: {n} problem in the data:", "Error: {n} problems in the data:", count
        )
    print(heading.format(n=i18n.format_number(count)), file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


# --- run ------------------------------------------------------------------------------------


def add_run_parser(commands: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """The ``run`` subcommand: the installed app under Streamlit, with the project's settings."""
    run = commands.add_parser(
        "run",
        help=_("start the app with Streamlit (other options go to Streamlit, e.g. --server.port)"),
        description=_(
            "Start the installed app (else ./app.py) with `streamlit run`, passing the "
            "project's Streamlit settings (.streamlit/config.toml) as flags. Any other option is "
            "passed on to Streamlit, e.g. --server.port 8600 --server.address 127.0.0.1."
        ),
        parents=[parent],
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


def add_export_parser(
    commands: argparse._SubParsersAction, parent: argparse.ArgumentParser
) -> None:
    """The ``export`` subcommand: the same exports as the app's download buttons."""
    from geo.export import FORMATS

    export = commands.add_parser(
        "export",
        help=_("write the current view as a report image, an interactive map or data"),
        description=_(
            "Export one view (filters + metric) as a report map (PNG, SVG, PDF), a standalone "
            "interactive map (HTML) or data (sites CSV / GeoJSON, region metrics CSV)."
        ),
        parents=[parent],
    )
    export.add_argument(
        "--format",
        required=True,
        dest="fmt",
        metavar="FORMAT",
        help=_("one of: {choices}").format(choices=", ".join(FORMATS)),
    )
    export.add_argument(
        "--out",
        required=True,
        type=output_argument,
        metavar="PATH",
        help=_(
            "output file, or a folder to use the default file name (a path ending in / is a "
            "folder, made if missing)"
        ),
    )
    add_image_options(export)
    add_filter_options(export)
    export.add_argument(
        "--text",
        default="",
        metavar="Q",
        help=_("keep sites whose name, organisation, town or notes contain Q"),
    )
    export.add_argument(
        "--metric",
        default="sites",
        metavar="NAME",
        help=_(
            "what colours the regions, one of: {metrics}; with your data also {user_sites} "
            "(with --sites) or {user_values} (with --region-values) (default: sites)"
        ).format(metrics=", ".join(METRICS), user_sites=USER_SITES, user_values=USER_VALUES),
    )
    export.add_argument(
        "--departements", action="store_true", help=_("draw departement boundaries on images")
    )
    export.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    export.add_argument("--data-dir", type=Path, metavar="DIR", help=_data_dir_help())
    export.add_argument(
        "--investments",
        action="store_true",
        help=_("draw the announced AI investments layer on images and maps"),
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
        help=_("page for images, one of: {layouts} (default: {default})").format(
            layouts=", ".join(LAYOUTS), default=DEFAULT_LAYOUT
        ),
    )
    export.add_argument(
        "--dpi", default="300", metavar="N", help=_("PNG resolution, 50 to 600 (default: 300)")
    )
    export.add_argument("--title", help=_("image title (default: names the metric)"))
    export.add_argument(
        "--labels",
        action="store_true",
        help=_("label sites on images (labels that would overlap are left out)"),
    )
    export.add_argument(
        "--timeline",
        action="store_true",
        help=_(
            "add a timeline strip of the dated events under the map on images (the chosen "
            "regions' and the national ones)"
        ),
    )
    export.add_argument(
        "--pledges",
        action="store_true",
        help=_(
            "add the headline pledges' status (computed on the day the image is made) on images"
        ),
    )


def add_filter_options(export: argparse.ArgumentParser) -> None:
    """One repeatable option per filter field (geo.core.filters.FILTER_FIELDS)."""
    for field in FILTER_FIELDS:
        vocabulary = field.vocabulary
        values = ", ".join(vocabulary) if vocabulary else _("INSEE codes, e.g. 11 Île-de-France")
        export.add_argument(
            f"--{field.query_key}",
            dest=field.query_key,
            action="extend",
            nargs="+",
            default=[],
            metavar=field.metavar,
            help=_("keep sites with any of these: {values}").format(values=values),
        )


def output_argument(text: str) -> Path:
    """--out as a Path; a path written with a trailing separator names a folder, made here,
    so `--out reports/` works on a fresh checkout as the README shows."""
    path = Path(text)
    if text.endswith(("/", os.sep)) and not path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            message = _("cannot make folder {path}: {reason}").format(
                path=repr(text), reason=err.strerror
            )
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
        print(
            _("Error: {message}; use --force to overwrite it").format(message=err), file=sys.stderr
        )
        return 1
    except ExportError as err:
        print(error_line(err), file=sys.stderr)
        return 1
    warning = title_warning(request.title) if request.format.kind == "image" else None
    if warning:
        print(_("Warning: {message}").format(message=warning), file=sys.stderr)
    size = format_size(path.stat().st_size)
    print(_("Wrote {path} ({size})").format(path=display_path(path), size=size))
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
        raise ExportError(
            _("--text expected at most {limit} characters, got {n}").format(
                limit=MAX_TEXT_QUERY, n=len(text)
            )
        )
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
        raise ExportError(
            _("--metric {metric} needs your data: add {option} FILE").format(
                metric=repr(args.metric), option=option
            )
        )
    check_choice("--metric", args.metric, [*METRICS, *(m for m in user_metrics if m in given)])


def _warn_rejected(args: argparse.Namespace, user: UserData | None) -> None:
    """The export goes on with the good rows; say how many were left out and how to list them."""
    if user is None:
        return
    for kind, path in user_files(args):
        _, rejected = user_file_summary(user, kind, path.name)
        if rejected:
            message = ngettext(
                "Warning: {n} row of {name} rejected and left out (`{prog} validate` lists them)",
                "Warning: {n} rows of {name} rejected and left out (`{prog} validate` lists them)",
                rejected,
            )
            print(
                message.format(n=i18n.format_number(rejected), name=path.name, prog=PROG),
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
    help: str  # English, translated when the parser is built


INVESTMENT_OPTIONS = (
    InvestmentOption(
        "investor", "investors", "NAME", N_("keep investments filed under this investor")
    ),
    InvestmentOption("event", "events", "KEY", N_("keep investments announced at this event")),
    InvestmentOption("year", "years", "YYYY", N_("keep investments first announced this year")),
    InvestmentOption("status", "statuses", "KEY", N_("keep investments with this status")),
)
# --format of `landscape`: value (stable) -> what it gives (English, translated when shown).
LANDSCAPE_FORMATS = {"text": N_("an aligned table"), "csv": N_("CSV (raw numbers)")}
# The landscape table's last rows, named in the current language where shown (English here).
NOT_LOCATED_ROW = N_("Not located (no known region)")
ALL_ROW = N_("All shown investments")
# The landscape text table's headings (the CSV keeps its column names).
LANDSCAPE_HEADINGS = (
    N_("Code"),
    N_("Region"),
    N_("Announced"),
    N_("High end"),
    N_("MW"),
    N_("Rows"),
    N_("Microsoft"),
    N_("Undiscl."),
)


def add_investment_filter_options(parser: argparse.ArgumentParser) -> None:
    """--inv-investor, --inv-event, --inv-year, --inv-status (repeatable)."""
    for option in INVESTMENT_OPTIONS:
        parser.add_argument(
            f"--inv-{option.name}",
            dest=f"inv_{option.name}",
            action="append",
            default=[],
            metavar=option.metavar,
            help=_("{help} (repeatable; an unknown value lists the valid ones)").format(
                help=_(option.help)
            ),
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


def add_landscape_parser(
    commands: argparse._SubParsersAction, parent: argparse.ArgumentParser
) -> None:
    """The ``landscape`` subcommand: announced investment per region, with its terms."""
    landscape = commands.add_parser(
        "landscape",
        help=_("print the announced AI investment per region (EUR, MW) and what it counts"),
        description=_(
            "Print every region's announced AI investment, counted once per pledge chain, in "
            "EUR and MW, with Microsoft's share, then the terms: what the totals include and "
            "exclude."
        ),
        parents=[parent],
    )
    landscape.add_argument(
        "--format",
        dest="fmt",
        default="text",
        metavar="FORMAT",
        help=_("one of: {choices} (default: text)").format(choices=", ".join(LANDSCAPE_FORMATS)),
    )
    landscape.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help=_("keep investments in this region (INSEE code, repeatable)"),
    )
    add_investment_filter_options(landscape)
    landscape.add_argument("--data-dir", type=Path, metavar="DIR", help=_data_dir_help())
    landscape.set_defaults(run=run_landscape)


def run_landscape(args: argparse.Namespace) -> int:
    """Print the per-region table (text or CSV) and the terms of its totals."""
    from geo.export import ExportError, check_choice

    try:
        labels = {key: _(label) for key, label in LANDSCAPE_FORMATS.items()}
        check_choice("--format", args.fmt, LANDSCAPE_FORMATS, labels=labels)
        dataset = load_dataset(args.data_dir or bundle.default_data_dir())
        _check_regions(args.region, dataset.region_names())
        flt = investment_filter(args, dataset)
    except ExportError as err:
        print(error_line(err), file=sys.stderr)
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
    remainder and the national total (named in the current language); the terms of that
    total. The column names are stable (the CSV's header)."""
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
        extra.append({"insee_reg": "", "region": _(NOT_LOCATED_ROW), **unlocated.iloc[0].to_dict()})
    extra.append(
        {
            "insee_reg": "",
            "region": _(ALL_ROW),
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
    terms = [str(term) for term in totals.terms()]
    return table.reindex(columns=["insee_reg", "region", *columns]), terms


def format_landscape(table) -> str:
    """The landscape table aligned for a terminal: euros as 'EUR 4 bn' / '4 Md €', MW as
    numbers, headings in the current language."""
    from geo.style import format_value

    def cell(value, unit: str = "") -> str:
        if value is None or value != value:  # NaN: not disclosed or nothing to add
            return "-"
        return format_value(float(value), unit)

    headings = [_(heading) for heading in LANDSCAPE_HEADINGS]
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
