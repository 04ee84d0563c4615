"""The course content: typed model, loader and cross-file validation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..paths import bundled_content_dir
from .catalog import Catalog, Location
from .validate import validate_content

__all__ = ["Catalog", "Location", "load_bundled", "validate_content"]


@lru_cache(maxsize=4)
def _load(root: Path) -> Catalog:
    return validate_content(root)


def load_bundled(root: Path | None = None) -> Catalog:
    """The validated course (bundled content unless ``root`` is given), loaded once per process."""
    return _load((root or bundled_content_dir()).resolve())
