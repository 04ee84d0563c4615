"""The exceptions clinician-workbook raises, as one small tree.

    WorkbookError                    base of everything the package raises on purpose
     ├── ProblemsError               carries a list of located problems (file:line: field: problem)
     │    ├── ContentError(ValueError)  the course content is malformed
     │    ├── HandinError(ValueError)   a JSON hand-in/backup is malformed
     │    └── RosterError(UsageError)   a cohort roster (CSV) has problems
     ├── StoreError                  the response store cannot be opened or written
     │    └── StoreVersionError      the store was written by a different schema version
     ├── UsageError(ValueError)      a command was given input it cannot use (bad path, bad value)
     ├── OutputError(OSError)        a result could not be written (full disk, permission denied)
     └── ExportError                 a document could not be rendered or printed
          ├── BrowserNotFoundError   no Chromium to print PDFs with (the message says how to get one)
          └── PlaywrightMissingError the playwright package is not installed (the message says what to install)

The CLI catches ``WorkbookError``: a ``ProblemsError`` prints one line per problem, anything
else ``error: <message>``; it exits non-zero and never shows a traceback for a user's mistake.
Each error is picklable, so it crosses a process boundary unchanged (batch workers).
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbookError(Exception):
    """Base class of every error clinician-workbook raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the parser knows."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ProblemsError(WorkbookError):
    """An input has one or more problems, all found before giving up (see ``problems``)."""

    ordered = True  # sort problems by file and line; False keeps the order they were found in

    def __init__(self, problems: list[Problem]) -> None:
        key = lambda p: (p.path, p.line or 0, p.field, p.message)  # noqa: E731 - a missing line sorts first
        self.problems = sorted(problems, key=key) if self.ordered else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ProblemsError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))


class ContentError(ProblemsError, ValueError):
    """The course content has one or more problems."""


class HandinError(ProblemsError, ValueError):
    """A hand-in/backup file has problems, in file order (``attempts[2]`` before ``attempts[10]``)."""

    ordered = False


class StoreError(WorkbookError):
    """The response store cannot be opened, read or written."""


class StoreVersionError(StoreError):
    """The store's schema version is not the one this release reads; the file is left untouched."""

    def __init__(self, path: str, found: str, expected: str) -> None:
        self.path, self.found, self.expected = path, found, expected
        super().__init__(
            f"{path}: response store schema version {found}, but this clinician-workbook reads "
            f"version {expected} (the file was not changed)"
        )

    def __reduce__(self) -> tuple[type[StoreVersionError], tuple[str, str, str]]:
        return (type(self), (self.path, self.found, self.expected))


class UsageError(WorkbookError, ValueError):
    """A command was given input it cannot use."""


class RosterError(ProblemsError, UsageError):
    """A roster has one or more problems; nothing is rendered from it."""


class OutputError(WorkbookError, OSError):
    """A result could not be written where it was asked for; ``errno`` is the OS's reason.

    Also an ``OSError``, so code that already handled the OS error still catches it; ``str()``
    is one line naming the path (``build/report.html: cannot write: No space left on device``).
    """

    def __init__(self, message: str, errno: int = 0, strerror: str = "") -> None:
        self.message = message
        super().__init__(errno, strerror or message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_os_error(cls, path: object, err: OSError) -> OutputError:
        reason = err.strerror or str(err)
        return cls(f"{path}: cannot write: {reason}", err.errno or 0, reason)

    def __reduce__(self) -> tuple[type[OutputError], tuple[str, int, str]]:
        return (type(self), (self.message, self.errno or 0, self.strerror or ""))


class ExportError(WorkbookError):
    """A document could not be rendered or printed."""


class BrowserNotFoundError(ExportError):
    """No Chromium was found for printing PDFs."""

    def __init__(self, tried: str = "") -> None:
        self.tried = tried
        super().__init__(
            "no Chromium found to print PDFs"
            + (f" (tried {tried})" if tried else "")
            + "; install one (Debian: sudo apt-get install chromium-headless-shell, or chromium) "
            "or set WORKBOOK_CHROMIUM to its path"
        )

    def __reduce__(self) -> tuple[type[BrowserNotFoundError], tuple[str]]:
        return (type(self), (self.tried,))


class PlaywrightMissingError(ExportError):
    """PDFs were asked for, and the ``playwright`` package that drives Chromium is not installed.

    It is one of the package's dependencies, so only an environment put together by hand lacks it;
    HTML works without it."""

    def __init__(self) -> None:
        super().__init__(
            "printing PDFs needs the Python package playwright, which this environment lacks: "
            "install it (pip install playwright) and a Chromium (bash scripts/install-system-deps.sh), "
            "or leave pdf out of --format"
        )

    def __reduce__(self) -> tuple[type[PlaywrightMissingError], tuple[()]]:
        return (type(self), ())
