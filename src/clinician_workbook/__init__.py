"""clinician-workbook: a Jupyter training workbook on facing challenges in therapy."""

from __future__ import annotations

from .content import Catalog, load_bundled, validate_content
from .errors import WorkbookError

__version__ = "0.1.0"
__all__ = ["Catalog", "WorkbookError", "__version__", "load_bundled", "validate_content"]
