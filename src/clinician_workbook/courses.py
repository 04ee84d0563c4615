"""Which course is in use: ``--content DIR``, else ``WORKBOOK_CONTENT``, else the workspace's
``content`` (written by ``workbook init --content``), else the course bundled with the package.

``None`` stands for the bundled course everywhere, so a document made from it records no path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the CLI reads ENV here without loading the course model
    from .content import Catalog

ENV = "WORKBOOK_CONTENT"


def content_dir(explicit: str | Path | None = None, start: Path | None = None) -> Path | None:
    """The content folder to use (absolute), or None for the bundled course."""
    from .workspace import find_workspace

    given = chosen_content(explicit)
    if given is not None:
        return given
    workspace = find_workspace(start)
    return workspace.content if workspace is not None else None


def chosen_content(explicit: str | Path | None = None) -> Path | None:
    """The course asked for by ``--content`` or ``WORKBOOK_CONTENT`` (no workspace lookup: for a
    command that makes or opens a workspace, whose own course is decided there)."""
    given = explicit or os.environ.get(ENV)
    return Path(given).expanduser().resolve() if given else None


def load_course(explicit: str | Path | None = None, start: Path | None = None) -> Catalog:
    """The validated catalog of the course in use (loaded once per process and folder)."""
    from .content import load_bundled

    return load_bundled(content_dir(explicit, start))
