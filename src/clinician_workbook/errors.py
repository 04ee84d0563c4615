"""The exceptions clinician-workbook raises, as one small tree.

    WorkbookError                  base of everything the package raises on purpose
     ├── ContentError(ValueError)  the course content is malformed; carries every problem found
     ├── StoreError                the response store cannot be opened or written
     │    └── StoreVersionError    the store was written by a different schema version
     ├── HandinError(ValueError)   a JSON hand-in/backup is malformed; carries every problem found
     ├── UsageError(ValueError)    a command was given input it cannot use (bad path, bad value)
     └── ExportError               a document could not be rendered or printed
          └── BrowserNotFoundError no Chromium to print PDFs with (the message says how to get one)

The CLI catches ``WorkbookError``, prints ``error: <message>`` (one line per problem) and
exits non-zero; it never shows a traceback for a user's mistake. Each error is picklable, so
it can cross a process boundary unchanged (batch workers).
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbookError(Exception):
    """Base class of every error clinician-workbook raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as the parser knows."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(WorkbookError, ValueError):
    """The course content has one or more problems (see ``problems``)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))


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


class HandinError(WorkbookError, ValueError):
    """A hand-in/backup file has one or more problems (see ``problems``), in file order.

    Unlike ``ContentError`` the problems keep the order they were found in, so
    ``attempts[2]`` is listed before ``attempts[10]``.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[HandinError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))


class UsageError(WorkbookError, ValueError):
    """A command was given input it cannot use."""


class ExportError(WorkbookError):
    """A document could not be rendered or printed."""


class BrowserNotFoundError(ExportError):
    """No Chromium was found for printing PDFs."""

    def __init__(self, tried: str = "") -> None:
        self.tried = tried
        super().__init__(
            "no Chromium found to print PDFs"
            + (f" (tried {tried})" if tried else "")
            + "; install one (Debian/Ubuntu: sudo apt-get install chromium) or set WORKBOOK_CHROMIUM to its path"
        )

    def __reduce__(self) -> tuple[type[BrowserNotFoundError], tuple[str]]:
        return (type(self), (self.tried,))
