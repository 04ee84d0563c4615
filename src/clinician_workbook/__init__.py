"""clinician-workbook: a Jupyter training workbook on facing challenges in therapy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import lazy_iri

__version__ = "0.1.0"
__all__ = ["Catalog", "WorkbookError", "__version__", "load_bundled", "validate_content"]

lazy_iri.install()  # before anything imports nbformat: its JSON-schema checker builds no IRI grammar

if TYPE_CHECKING:
    from .content import Catalog, load_bundled, validate_content
    from .errors import WorkbookError


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: ``import clinician_workbook.cli`` (every run of
    ``workbook``) must not pay for the course model (pydantic) before it knows the command."""
    if name in ("Catalog", "load_bundled", "validate_content"):
        from . import content

        return getattr(content, name)
    if name == "WorkbookError":
        from .errors import WorkbookError

        return WorkbookError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
