"""Where the bundled course content and notebooks are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/clinician_workbook -> repository root


def _bundled(name: str) -> Path:
    # A wheel carries the folder inside the package; an editable install reads the checkout.
    for candidate in (_PACKAGE / "_bundled" / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {name}/ not found next to {_PACKAGE}")


def bundled_content_dir() -> Path:
    """The course content shipped with the package."""
    return _bundled("content")


def bundled_notebooks_dir() -> Path:
    """The challenge notebooks shipped with the package."""
    return _bundled("notebooks")
