"""Writing output files atomically and privately: owner-only by default, folders to match.

A crash, a kill or a full disk leaves either the old file or the whole new one, never a part;
temp files are dot-files ending in ``.part`` and are removed on failure.

Modes are set with ``chmod``, never left to the umask: a trainee's answers must not become
readable by others because someone's shell has ``umask 022`` (or ``000``). Files are written
:data:`PRIVATE` unless the caller says :data:`SHARED` (documents without answers, such as
blank handouts). Folders a private write has to create are made 0700; a folder that already
exists is left exactly as it is, because it is the user's choice (e.g. a course drive shared
with their supervisor).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError, UsageError

PRIVATE = 0o600
SHARED = 0o644
PRIVATE_DIR = 0o700


def make_private_dir(folder: Path) -> Path:
    """Create ``folder`` and any missing parents as 0700; leave every existing folder untouched."""
    missing = []
    here = folder
    while not here.exists():  # a dangling symlink counts as missing, and mkdir then says why
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # made meanwhile by another worker of the same batch: its maker sets the mode
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask: make it exact
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: exists and is not a folder")
    return folder


def write_atomic(path: Path, data: bytes | str, *, mode: int = PRIVATE, make_parents: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically with exactly file mode ``mode``; return ``path``.

    With ``make_parents``, missing folders are created: 0700 when ``mode`` is owner-only (a
    private file in a folder others can list still tells them its name, e.g. a trainee's), else
    as ``mkdir`` does. An OS error while writing is raised as :class:`OutputError` (one line
    naming ``path``, ``errno`` kept), after the temporary file and any folder this call made
    are removed.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # replacing it would swap a link or a device for our file: refuse, and say so
        raise UsageError(f"{path}: exists and is not a regular file; choose another name")
    made = _missing_folders(path.parent) if make_parents else []
    try:
        _write(path, data, mode, make_parents)
    except OSError as err:  # a full disk or a permission denied is the user's to fix: one line, not a traceback
        for folder in made:  # nearest first; rmdir leaves a folder another writer has put a file in
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise OutputError.from_os_error(path, err) from err
    return path


def _missing_folders(folder: Path) -> list[Path]:
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _write(path: Path, data: bytes | str, mode: int, make_parents: bool) -> None:
    if make_parents:
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            make_private_dir(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp's mode is filtered by the umask: make it exact
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open a folder, and does not need to.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
