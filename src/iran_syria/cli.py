"""The iran-syria command: parses arguments, calls the library, prints. Exit 0 ok, 1 problems
found, 2 misuse (bad arguments, a path that is not a package)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import IranSyriaError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except IranSyriaError as error:
        print(f"iran-syria: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `iran-syria validate | head`
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iran-syria",
        description="Events, actors and relations of the Iran–Syria alliance: validate, inspect, regenerate.",
    )
    parser.add_argument("--version", action="version", version=f"iran-syria {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a data package and print every problem, like a compiler",
        description="Check a data package: structure, the models' rules and the rules across tables. "
        "Exit 0 when valid, 1 when problems are found, 2 on misuse.",
    )
    validate.add_argument(
        "path", nargs="?", help="package folder or datapackage.json (default: the shipped package)"
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default); json for machines; github for Actions annotations and $GITHUB_STEP_SUMMARY",
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
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
    info.add_argument("path", nargs="?", help="package folder (default: the shipped package)")
    info.set_defaults(run=_info)

    codes = commands.add_parser("codes", help="list every problem code the validator reports")
    codes.set_defaults(run=_codes)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_package

    report = validate_package(args.path)
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        print(report.to_github())
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(report.to_markdown())
    else:
        print(report.to_text())
    failed = not report.valid or (args.strict and report.warnings)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _schemas(args: argparse.Namespace) -> int:
    from . import schema
    from ._locate import repository_root

    root = repository_root()
    if (args.package is None or args.schemas_dir is None) and root is None:
        print(
            "iran-syria schemas: not running from a source checkout; pass --package and --schemas-dir",
            file=sys.stderr,
        )
        return EXIT_USAGE
    package_dir = args.package or root / "datapackage"  # type: ignore[operator]
    schemas_dir = args.schemas_dir or root / "schemas"  # type: ignore[operator]
    if args.check:
        stale = schema.stale_files(package_dir, schemas_dir)
        for path in stale:
            print(f"stale: {path}")
        if stale:
            print(f"{len(stale)} generated files are not current; run `iran-syria schemas`")
            return EXIT_PROBLEMS
        print("generated files are current")
        return EXIT_OK
    written = schema.write_files(package_dir, schemas_dir)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} files written" if written else "generated files were already current")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from .info import describe_package

    print(describe_package(args.path))
    return EXIT_OK


def _codes(args: argparse.Namespace) -> int:
    from .errors import PROBLEM_CODES

    width = max(len(code) for code in PROBLEM_CODES)
    for problem in PROBLEM_CODES.values():
        print(f"{problem.code:<{width}}  {problem.severity.value:<7}  {problem.summary}")
    return EXIT_OK
