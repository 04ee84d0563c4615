"""The course content: typed model, loader and cross-file validation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..paths import bundled_content_dir
from .catalog import Catalog, Location
from .validate import validate_content

__all__ = ["Catalog", "Location", "forget_loaded", "load_bundled", "validate_content"]


@lru_cache(maxsize=4)
def _load(root: Path) -> Catalog:
    return validate_content(root)


def load_bundled(root: Path | None = None) -> Catalog:
    """The validated course (bundled content unless ``root`` is given), loaded once per process."""
    return _load((root or bundled_content_dir()).resolve())


def forget_loaded() -> None:
    """Drop every course loaded so far: a long-lived process (a Dask worker) whose course folder
    has changed since it loaded it reads it again on the next :func:`load_bundled`."""
    _load.cache_clear()
