"""Where results go: checked before any work, so a wrong ``--out`` costs nothing.

Every command that writes (``init``, ``export``, ``batch``, ``report``, ``responses export``)
checks its output path here before it reads a store, renders a page or starts a browser:
an existing file where a folder is expected, a folder where a file is expected, a place
that cannot be written (permissions, a read-only file system), the root folder ``/``, or a
missing folder that could not be created are each one :class:`UsageError` line. The checks
create nothing; folders are made when the first result is written.

What a check cannot foresee (a disk filling up, permissions changed meanwhile) surfaces
during the write as :class:`OutputError`, one line too (see :func:`files.write_atomic`,
which also leaves nothing partial behind).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def _not_writable(folder: Path) -> str | None:
    """Why nothing can be created in the existing folder ``folder``, or None if it can."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "is on a read-only file system"
    except (OSError, AttributeError):  # statvfs is POSIX-only; os.access below still answers
        pass
    if not os.access(folder, os.W_OK | os.X_OK):  # root passes this, as it passes the write itself
        return "is not writable (permission denied)"
    return None


def _creatable(folder: Path, target: Path, said: str) -> None:
    """Refuse ``folder`` (where ``target`` goes) if it could not be made, or exists and is not writable."""
    here = folder
    while not here.exists() and here.parent != here:  # a relative path ends at "." or "/", which exist
        if here.is_symlink():
            raise UsageError(f"{said}cannot create {target}: {here} is a broken link")
        here = here.parent
    if not here.is_dir():
        raise UsageError(f"{said}cannot create {target}: {here} is a file, not a folder")
    why = _not_writable(here)
    if why and here == target:
        raise UsageError(f"{said}{target} {why}")
    if why:
        raise UsageError(f"{said}cannot create {target}: {here} {why}")


def check_folder(folder: Path, option: str = "--out") -> Path:
    """``folder`` as a place for results (created later if missing); :class:`UsageError` if unusable.

    ``option`` starts the message (``--out: ...``); empty for a positional argument, whose
    path alone names it.
    """
    folder, said = Path(folder), f"{option}: " if option else ""
    if folder.resolve() == Path(folder.resolve().anchor):
        raise UsageError(f"{said}{folder} is the root folder; choose a folder of its own")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{said}{folder} is a file, not a folder; choose another name")
    _creatable(folder, folder, said)
    return folder


def check_file(path: Path, option: str = "--out") -> Path:
    """``path`` as a file to write (replaced if it exists); :class:`UsageError` if unusable."""
    path, said = Path(path), f"{option}: " if option else ""
    if path.name in ("", ".", "..") or path.is_dir():
        raise UsageError(f"{said}{path} is a folder; give a file name in it, e.g. {path / 'results'}")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UsageError(f"{said}{path} exists and is not a regular file; choose another name")
    _creatable(path.parent, path, said)
    return path


def check_files(paths: Iterable[Path], option: str = "--out") -> list[Path]:
    """Every path checked with :func:`check_file`; the first problem is raised."""
    return [check_file(path, option) for path in paths]
