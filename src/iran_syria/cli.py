"""The iran-syria command: parses arguments, calls the library, prints. Exit 0 ok, 1 problems
found, 2 misuse (bad arguments, a path that is not a package)."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import IranSyriaError, printable

if TYPE_CHECKING:
    from ._locate import FoundPackage

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# How every command with a PATH picks its package when none is given (see _locate.find_package).
_DEFAULT_PACKAGE = "default: found from the working directory, else the installed one"


def main(argv: Sequence[str] | None = None) -> int:
    _escape_what_the_console_cannot_encode()
    words = list(sys.argv[1:] if argv is None else argv)
    # A program that asked for JSON reads stdout as JSON, misuse included.
    as_json = _asks_for_json(words)
    parser = _parser()
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:
        if as_json and exit_.code not in (0, None):
            print(json.dumps({"error": "invalid arguments; see `iran-syria --help`"}))
        raise
    try:
        return int(args.run(args))
    except IranSyriaError as error:
        if as_json:
            print(json.dumps({"error": str(error)}, ensure_ascii=False))
        else:
            print(printable(f"iran-syria: {error}"), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `iran-syria validate | head`
        return EXIT_OK


def _escape_what_the_console_cannot_encode() -> None:
    """A console that cannot encode a value (cp1252 on a Windows runner, an Arabic name) gets
    it backslash-escaped instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _asks_for_json(words: list[str]) -> bool:
    """Whether the arguments ask for --format json (as one word or two)."""
    return "--format=json" in words or any(
        word == "--format" and following == "json" for word, following in itertools.pairwise(words)
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iran-syria",
        description="Events, actors and relations of the Iran–Syria alliance: validate, inspect, regenerate.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="print the version")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a data package and print every problem, like a compiler",
        description="Check a data package: structure, the models' rules and the rules across tables. "
        "Exit 0 when valid, 1 when problems are found, 2 on misuse.",
    )
    validate.add_argument(
        "path",
        nargs="?",
        help=f"package folder, datapackage.json or bundle ({_DEFAULT_PACKAGE})",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default); json for machines; github for Actions annotations and $GITHUB_STEP_SUMMARY",
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument(
        "--engine",
        # validate.ENGINES, spelled out so the parser does not import the validator
        choices=("auto", "columnar", "rows"),
        default="auto",
        help="auto (default): rows below 1 MiB of CSV, else columnar; columnar: each table "
        "checked a column at a time with Arrow; rows: the reference Pydantic-per-row path, "
        "slower on big packages, same problems",
    )
    validate.set_defaults(run=_validate)

    schemas = commands.add_parser(
        "schemas",
        help="regenerate datapackage.json, schemas/ and CODEBOOK.md from the models",
        description="Regenerate every file derived from the models (and the descriptor's hashes). "
        "With --check, write nothing and exit 1 if any file is stale.",
    )
    schemas.add_argument(
        "--check", action="store_true", help="exit 1 if a generated file is not current"
    )
    schemas.add_argument(
        "--package", type=Path, help="package folder (default: the repository's datapackage/)"
    )
    schemas.add_argument(
        "--schemas-dir",
        type=Path,
        help="where the schema files go (default: the repository's schemas/)",
    )
    schemas.set_defaults(run=_schemas)

    info = commands.add_parser(
        "info",
        help="counts per table, event type and decade; sourcing; dates covered",
        description="Summarise a data package: rows per table, events per type and decade, "
        "the share of records with two or more sources, and the dates covered.",
    )
    info.add_argument(
        "path",
        nargs="?",
        help=f"package folder ({_DEFAULT_PACKAGE})",
    )
    info.set_defaults(run=_info)

    codes = commands.add_parser("codes", help="list every problem code the validator reports")
    codes.set_defaults(run=_codes)

    # -- ecosystem: export, plot -----------------------------------------------------------------
    export = commands.add_parser(
        "export",
        help="write the package as Parquet, SQLite, Excel, NDJSON or spreadsheet-safe CSV, "
        "or the dyad-year and actor-year panels",
        description="Write every table, retracted and merged rows included (with their status), "
        "in one format into --out: a Parquet file per table, one SQLite database with typed "
        "columns, keys and full-text search plus a Datasette metadata.json, "
        "one Excel workbook with a codebook sheet, an NDJSON file per table, or CSV made safe "
        "for spreadsheet programs (csv-spreadsheet-safe/). --format panels writes the "
        "dyad_year, state_dyad_year and actor_year panels of the active records instead, each "
        "as CSV and Parquet. Each file is written atomically.",
    )
    export.add_argument(
        "path",
        nargs="?",
        help=f"package folder ({_DEFAULT_PACKAGE})",
    )
    export.add_argument(
        "--format",
        # export.FORMATS, spelled out so the parser does not import the loaders (a test checks)
        choices=("parquet", "sqlite", "xlsx", "ndjson", "csv", "panels"),
        required=True,
        help="output format",
    )
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument(
        "--partition-by-year",
        action="store_true",
        help="parquet only: events as events/year=YYYY/ folders by year of date_start",
    )
    export.set_defaults(run=_export)

    serve = commands.add_parser(
        "serve",
        help="browse the package in Datasette, with search, facets and canned queries",
        description="Build the SQLite export and its Datasette metadata.json in a temporary "
        "folder and serve them with Datasette until Ctrl-C (needs the serve extra).",
    )
    serve.add_argument("path", nargs="?", help=f"package folder ({_DEFAULT_PACKAGE})")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument("--port", type=int, default=8001, help="port to listen on (%(default)s)")
    serve.set_defaults(run=_serve)

    plot = commands.add_parser(
        "plot",
        help="draw the events timeline or the actor network as a PNG",
        description="Draw a PNG with matplotlib (needs the plot extra).",
    )
    charts = plot.add_subparsers(title="charts", required=True, metavar="CHART")
    timeline = charts.add_parser(
        "timeline",
        help="events over time by PLOVER category, key events labelled",
        description="Active events over time, one row per PLOVER category. Labelled: the "
        "most-cited high-confidence ASSAULT, SANCTION and AGREE events (at most 12).",
    )
    network = charts.add_parser(
        "network",
        help="actors and the relations active on a day",
        description="Actors and relations from load_graph(); with --as-of, only the relations "
        "active that day.",
    )
    network.add_argument(
        "--as-of", type=_iso_date, help="draw the relations active on this day (YYYY-MM-DD)"
    )
    for chart in (timeline, network):
        chart.add_argument(
            "path",
            nargs="?",
            help=f"package folder ({_DEFAULT_PACKAGE})",
        )
        chart.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    timeline.set_defaults(run=_plot_timeline)
    network.set_defaults(run=_plot_network)

    match = commands.add_parser(
        "match",
        help="the actors a name from another dataset stands for, in any script",
        description="Match names (ACLED, GDELT, OFAC, news in English, Persian or Arabic) to "
        "actor ids across spellings and scripts: best first, with a score 0-100; none below "
        "the threshold (85, see the README). With --csv, write a copy of FILE with actor_id "
        "and match_score columns added for the names in COL.",
    )
    match.add_argument("names", nargs="*", metavar="NAME", help="names to match")
    match.add_argument("--csv", type=Path, metavar="FILE", help="a CSV file of names to match")
    match.add_argument("--column", metavar="COL", help="the column of FILE holding the names")
    match.add_argument(
        "--out", type=Path, metavar="OUT", help="where the copy goes (default: FILE.matched.csv)"
    )
    match.add_argument("--limit", type=int, default=5, help="matches per name (default: 5)")
    match.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    match.add_argument("--package", help=f"package folder or bundle ({_DEFAULT_PACKAGE})")
    match.set_defaults(run=_match)
    site = commands.add_parser(
        "site",
        help="build the static web site: a page per record, search, charts, downloads",
        description="Write a static web site of the package into --out: a page per actor, "
        "event, relation and source, table pages with search and filters, the codebook, "
        "charts and the downloads with their sha256. Works from a web server or from disk; "
        "the same package gives the same bytes (needs the site extra).",
    )
    site.add_argument("path", nargs="?", help=f"package folder ({_DEFAULT_PACKAGE})")
    site.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    site.set_defaults(run=_site)

    # -- releases: diff, bundle, cite ----------------------------------------------------------
    diff = commands.add_parser(
        "diff",
        help="records and schema changed between two releases, and the SemVer bump they require",
        description="Compare two releases (package folders or bundle zips): records added, "
        "removed, retracted, merged and changed, schema changes, and the bump they require. "
        "With --check, exit 1 when NEW's version bump is too small or its versions disagree.",
    )
    diff.add_argument("old", help="the earlier release: package folder or bundle (.zip)")
    diff.add_argument("new", help="the later release: package folder or bundle (.zip)")
    diff.add_argument(
        "--format",
        choices=("text", "json", "csv", "markdown"),
        default="text",
        help="output format (default: text)",
    )
    diff.add_argument(
        "--limit",
        type=_non_negative,
        metavar="N",
        help="text and markdown: list at most N change rows (the summary and the counts per "
        "table stay whole; a GitHub job summary holds at most 1 MiB)",
    )
    diff.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if NEW's version is not bumped enough, or disagrees with pyproject.toml "
        "and the newest CHANGELOG entry",
    )
    diff.add_argument(
        "--root",
        type=Path,
        help="source checkout of NEW for --check (default: found above NEW, if any)",
    )
    diff.set_defaults(run=_diff)

    bundle = commands.add_parser(
        "bundle",
        help="write the reproducible release zip with SHA256SUMS, changes.csv and CITATION.cff",
        description="Write <name>-<version>.zip: the package, codebook, licences, citation, "
        "a README, changes.csv (against --base) and SHA256SUMS. Byte-identical for the same tree.",
    )
    bundle.add_argument(
        "path",
        nargs="?",
        help=f"package folder ({_DEFAULT_PACKAGE})",
    )
    bundle.add_argument("--out", type=Path, required=True, help="folder to write the zip into")
    bundle.add_argument("--base", help="previous release (folder or zip) for changes.csv")
    bundle.set_defaults(run=_bundle)

    cite = commands.add_parser(
        "cite",
        help="print the citation of this version; --write/--check CITATION.cff and .zenodo.json",
        description="Print how to cite this version, or regenerate the citation files.",
    )
    cite.add_argument("--format", choices=("text", "bibtex"), default="text", help="citation style")
    cite.add_argument(
        "--write",
        action="store_true",
        help="regenerate CITATION.cff and .zenodo.json in the source checkout",
    )
    cite.add_argument(
        "--check", action="store_true", help="exit 1 if CITATION.cff or .zenodo.json is stale"
    )
    cite.set_defaults(run=_cite)
    return parser


def _count(number: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def find_package(path: str | None) -> FoundPackage:
    """The package a command means: PATH, else found from the working directory (lazy import)."""
    from ._locate import find_package as find

    return find(path)


class _VersionAction(argparse.Action):
    """--version, looking the version up only when asked (importlib.metadata costs ~40 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from . import __version__

        print(f"iran-syria {__version__}")  # stdout, as argparse's own version action
        parser.exit()


def _validate(args: argparse.Namespace) -> int:
    from ._progress import ProgressBar
    from .validate import validate_package

    # The bar is on stderr, but json and github output is read by programs (and Actions
    # sets CI anyway): only the human-facing text format gets one.
    stream = sys.stderr if args.format == "text" else None
    from ._locate import UnsafeArchiveError

    try:
        found: FoundPackage | None = find_package(args.path)
    except UnsafeArchiveError:  # the report says why, as a problem at the zip
        found = None
    with ProgressBar(stream) as progress:
        report = validate_package(
            found.path if found else args.path, engine=args.engine, progress=progress
        )
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        print(report.to_github())
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as handle:
                    handle.write(report.to_markdown())
            except OSError as error:  # the exit code still follows the data
                print(
                    f"iran-syria: warning: cannot write the step summary to {summary_file} "
                    f"({error.strerror or error}); the annotations above are all there is",
                    file=sys.stderr,
                )
    else:
        print(found.describe() if found else f"checked {args.path} (a zip refused)")
        print(report.to_text())
    failed = not report.valid or (args.strict and report.warnings)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _schemas(args: argparse.Namespace) -> int:
    from . import schema

    if args.package is not None:
        found = find_package(args.package)
    else:
        found = find_package(None)
        if found.installed and found.checkout is None:
            print(
                "iran-syria schemas: no data package here or above, and the installed one is "
                "not a source checkout; run it inside your checkout, or pass --package and "
                "--schemas-dir",
                file=sys.stderr,
            )
            return EXIT_USAGE
    schemas_dir = args.schemas_dir or (found.checkout / "schemas" if found.checkout else None)
    if schemas_dir is None:
        print(
            f"iran-syria schemas: {found.path} is not in a source checkout; pass --schemas-dir",
            file=sys.stderr,
        )
        return EXIT_USAGE
    package_dir = found.path
    if args.check:
        stale = schema.stale_files(package_dir, schemas_dir)
        for path in stale:
            print(f"stale: {path}")
        if stale:
            print(f"{len(stale)} generated files are not current; run `iran-syria schemas`")
            print(found.describe())
            return EXIT_PROBLEMS
        print("generated files are current")
        print(found.describe())
        return EXIT_OK
    written = schema.write_files(package_dir, schemas_dir)
    for path in written:
        print(f"wrote {path}")
    print(
        _count(len(written), "file") + " written"
        if written
        else "generated files were already current"
    )
    print(found.describe())
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from .info import describe_package

    found = find_package(args.path)
    print(found.describe())
    print(describe_package(found.path))
    return EXIT_OK


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _non_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def _export(args: argparse.Namespace) -> int:
    from .export import export_package

    if args.partition_by_year and args.format != "parquet":
        print("iran-syria export: --partition-by-year needs --format parquet", file=sys.stderr)
        return EXIT_USAGE
    found = find_package(args.path)
    written = export_package(
        args.out, args.format, path=found.path, partition_by_year=args.partition_by_year
    )
    for path in written:
        print(f"wrote {path}")
    print(found.describe())
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    found = find_package(args.path)

    def announce(written: list[Path]) -> None:
        for path in written:
            print(f"wrote {path}")
        print(found.describe())
        port = args.port or "<a free port, logged below>"
        print(f"serving on http://{args.host}:{port}/ (Ctrl-C stops)", flush=True)

    serve(found.path, host=args.host, port=args.port, on_ready=announce)
    return EXIT_OK


def _plot_timeline(args: argparse.Namespace) -> int:
    from .plot import plot_timeline

    print(f"wrote {plot_timeline(args.out, path=find_package(args.path).path)}")
    return EXIT_OK


def _plot_network(args: argparse.Namespace) -> int:
    from .plot import plot_network

    path = find_package(args.path).path
    print(f"wrote {plot_network(args.out, as_of=args.as_of, path=path)}")
    return EXIT_OK


def _site(args: argparse.Namespace) -> int:
    from .loaders import _require

    for module in ("jinja2", "markdown_it", "networkx", "openpyxl"):
        _require(module, "site")
    from .errors import InvalidPackageError
    from .site import build_site

    found = find_package(args.path)
    try:
        built = build_site(args.out, path=found.path)
    except InvalidPackageError as error:  # a site, like a bundle, is built from a valid package
        for problem in error.problems:
            print(problem)
        print(f"iran-syria site: {str(error).splitlines()[0]}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"wrote {built.out}/: {built.pages} pages, {built.downloads} downloads, {built.files} files"
    )
    print(found.describe())
    return EXIT_OK


def _codes(args: argparse.Namespace) -> int:
    from .errors import PROBLEM_CODES

    width = max(len(code) for code in PROBLEM_CODES)
    for problem in PROBLEM_CODES.values():
        print(f"{problem.code:<{width}}  {problem.severity.value:<7}  {problem.summary}")
    return EXIT_OK


# -- releases: diff, bundle, cite ---------------------------------------------------------------


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff, project_root, version_problems

    result = diff(args.old, args.new)
    print(result.format(args.format, args.limit), end="" if args.format == "csv" else "\n")
    if not args.check:
        return EXIT_OK
    root = args.root or project_root(args.new)
    problems = version_problems(result, root)
    for problem in problems:
        print(f"iran-syria diff --check: {problem}", file=sys.stderr)
    if root is None:
        print(
            "iran-syria diff --check: no pyproject.toml above NEW; versions not cross-checked",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if problems else EXIT_OK


def _bundle(args: argparse.Namespace) -> int:
    from .bundle import build_bundle
    from .errors import InvalidPackageError
    from .schema import file_digest

    found = find_package(args.path)
    try:
        target = build_bundle(found.path, args.out, base=args.base, root=found.checkout)
    except InvalidPackageError as error:
        for problem in error.problems:
            print(problem)
        print(f"iran-syria bundle: {str(error).splitlines()[0]}", file=sys.stderr)
        return EXIT_PROBLEMS
    digest, size = file_digest(target)
    print(f"{digest}  {target}")
    print(f"wrote {target} ({size} bytes)")
    print(found.describe())
    return EXIT_OK


def _cite(args: argparse.Namespace) -> int:
    from ._locate import repository_root
    from .cite import cite, stale_citation_files, write_citation_files

    if not (args.write or args.check):
        print(cite(args.format))
        return EXIT_OK
    root = find_package(None).checkout or repository_root()
    if root is None:
        print("iran-syria cite: not running from a source checkout", file=sys.stderr)
        return EXIT_USAGE
    if args.check:
        stale = stale_citation_files(root)
        for path in stale:
            print(f"stale: {path}")
        if stale:
            print("citation files are not current; run `iran-syria cite --write`")
            return EXIT_PROBLEMS
        print("citation files are current")
        return EXIT_OK
    written = write_citation_files(root)
    for path in written:
        print(f"wrote {path}")
    print(
        _count(len(written), "file") + " written"
        if written
        else "citation files were already current"
    )
    return EXIT_OK


def _match(args: argparse.Namespace) -> int:
    from .matching import match, match_csv

    if args.csv is not None and (args.column is None or args.names):
        print("iran-syria match: --csv FILE needs --column COL, and no NAME", file=sys.stderr)
        return EXIT_USAGE
    if args.csv is None and (not args.names or args.column or args.out):
        print("iran-syria match: give NAME... or --csv FILE --column COL", file=sys.stderr)
        return EXIT_USAGE
    if args.limit < 1:
        print("iran-syria match: --limit must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    package = find_package(args.package).path
    if args.csv is not None:
        out, rows, matched = match_csv(args.csv, args.column, args.out, path=package)
        if args.format == "json":
            print(json.dumps({"out": str(out), "rows": rows, "matched": matched}))
        else:
            print(f"wrote {out}: {_count(rows, 'row')}, {matched} matched")
        return EXIT_OK
    results = {name: match(name, limit=args.limit, path=package) for name in args.names}
    if args.format == "json":
        shown = [
            {"name": name, "matches": [vars(found) for found in matches]}
            for name, matches in results.items()
        ]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    for name, matches in results.items():
        print(printable(name))
        for found in matches:
            print(
                printable(
                    f"  {found.score:5.1f}  {found.actor_id}  {found.name}  (matched {found.matched!r})"
                )
            )
        if not matches:
            print("  no actor matches")
    return EXIT_OK
