"""The ``workbook`` command: parse arguments, make one library call, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .content import validate_content
from .content.stats import format_stats, format_summary
from .errors import ContentError, WorkbookError
from .paths import bundled_content_dir


def _content_dir(value: str | None) -> Path:
    return Path(value) if value else bundled_content_dir()


def cmd_validate(args: argparse.Namespace) -> int:
    catalog = validate_content(_content_dir(args.content))
    print(format_summary(catalog))
    return 0


def cmd_content_stats(args: argparse.Namespace) -> int:
    catalog = validate_content(_content_dir(args.content))
    print(format_stats(catalog))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Training workbook on facing challenges in therapy, for trainees and supervisors.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the course content; print a summary")
    validate.add_argument(
        "content",
        nargs="?",
        metavar="CONTENT_DIR",
        help="content folder (default: the bundled course)",
    )
    validate.set_defaults(func=cmd_validate)

    content = commands.add_parser("content", help="look at the course content")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    stats = content_commands.add_parser("stats", help="counts per challenge and difficulty")
    stats.add_argument(
        "content",
        nargs="?",
        metavar="CONTENT_DIR",
        help="content folder (default: the bundled course)",
    )
    stats.set_defaults(func=cmd_content_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ContentError as err:
        for problem in err.problems:  # one line per problem, nothing else: easy to grep
            print(problem, file=sys.stderr)
        return 1
    except WorkbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
