"""A trainee workspace: a folder with the notebooks, a config naming the trainee (and the course,
when it is not the bundled one), and the store."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .content import Catalog, load_bundled
from .errors import OutputError, UsageError
from .files import SHARED, write_atomic
from .options import check_trainee
from .outputs import check_folder

CONFIG = "workbook.json"


@dataclass(frozen=True)
class Workspace:
    root: Path
    trainee: str
    responses: Path
    content: Path | None = None  # the course folder; None: the bundled course


def find_workspace(start: Path | None = None) -> Workspace | None:
    """The workspace containing ``start`` (default: the current folder), if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG
        if config.is_file():
            try:
                data = json.loads(config.read_text(encoding="utf-8"))
                trainee = str(data["trainee"])
                responses = folder / str(data.get("responses", "responses"))
                content = (folder / str(data["content"])).resolve() if data.get("content") else None
            except (OSError, ValueError, KeyError, TypeError) as err:
                raise UsageError(f"{config}: not a valid workspace config ({err})") from err
            return Workspace(folder, trainee, responses, content)
    return None


def init_workspace(root: Path, trainee: str, content: Path | None = None) -> Workspace:
    """Create (or complete) a workspace: the course's notebooks written, config written (naming
    ``content``, the course folder, unless it is the bundled course), private store folder.

    The trainee and the folder are checked before anything is created; an OS error on the way
    (a full disk) is an :class:`OutputError` naming the path.
    """
    trainee = check_trainee(trainee)
    check_folder(root, option="")  # DIR is positional: its path names it
    existing = find_workspace(root) if root.exists() else None
    if existing and existing.root == root.resolve() and existing.trainee != trainee:
        raise UsageError(f"{root / CONFIG}: this workspace belongs to {existing.trainee!r}")
    if existing and existing.root == root.resolve():
        if content is not None and existing.content != content.resolve():
            raise UsageError(f"{root / CONFIG}: this workspace's course is {existing.content or 'the bundled course'}")
        content = existing.content  # completing a workspace: its own course, never another's notebooks
    catalog = load_bundled(content.resolve() if content else None)  # a course with problems stops here
    missing = [folder for folder in (root, *root.absolute().parents) if not folder.exists()]
    try:
        return _fill(root, trainee, catalog, content)
    except OSError as err:
        if missing:  # a workspace half made by this call is no workspace: leave nothing behind
            shutil.rmtree(missing[-1], ignore_errors=True)
        if isinstance(err, OutputError):
            raise
        raise OutputError.from_os_error(err.filename or root, err) from err


def _fill(root: Path, trainee: str, catalog: Catalog, content: Path | None) -> Workspace:
    from .notebooks import write_notebooks  # nbformat: only when notebooks are written, not to find a workspace

    root.mkdir(parents=True, exist_ok=True)
    responses = root / "responses"
    responses.mkdir(mode=0o700, exist_ok=True)
    os.chmod(responses, 0o700)
    write_notebooks(catalog, root, supervisor=False, keep=True)  # never overwrite a trainee's copy
    config = root / CONFIG
    if not config.exists():
        data = {
            "trainee": trainee,
            "responses": "responses",
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if content is not None:
            data["content"] = str(content.resolve())
        write_atomic(config, json.dumps(data, indent=1) + "\n", mode=SHARED)
    return Workspace(root.resolve(), trainee, responses.resolve(), content.resolve() if content else None)
