"""Execute a workbook notebook with parameters: the one way every exporter gets an executed notebook."""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
from pathlib import Path
from typing import Any

import nbformat

from .errors import ExportError
from .paths import bundled_notebooks_dir

NOTEBOOKS = {
    "emotional-overwhelm": "01-emotional-overwhelm",
    "resistance-avoidance": "02-resistance-avoidance",
    "feeling-stuck": "03-feeling-stuck",
    "navigating-challenges": "04-navigating-challenges",
    "when-concerning": "05-when-concerning",
}


def notebook_for(challenge: str) -> Path:
    return bundled_notebooks_dir() / f"{NOTEBOOKS[challenge]}.ipynb"


def run_papermill(notebook: Path, parameters: dict[str, Any], cwd: Path | None = None) -> Any:
    """Execute ``notebook`` with papermill in a fresh kernel; an error cell becomes an ExportError."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with tempfile.TemporaryDirectory(prefix="workbook-run-") as tmp:
        out = Path(tmp) / notebook.name
        logging.getLogger("papermill").setLevel(logging.WARNING)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                papermill.execute_notebook(
                    str(notebook), str(out), parameters=parameters, cwd=str(cwd or tmp), progress_bar=False
                )
        except PapermillExecutionError as err:
            raise ExportError(f"{notebook.name}: {err.ename}: {err.evalue}") from err
        return nbformat.read(out, as_version=4)
