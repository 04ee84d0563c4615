"""Execute a workbook notebook with parameters: the one way every exporter gets an executed notebook."""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .content.catalog import Catalog
from .errors import ExportError
from .notebooks import build, notebook_text
from .pages import find_page

_BUILT: dict[tuple[int, str], tuple[Catalog, Any]] = {}  # (id of the course, page) -> (course, notebook)


def notebook_for(catalog: Catalog, page: str) -> Any:
    """The notebook of ``page`` of this course, built from its pages (never read from a file).

    Built once per course and page in a process (building validates every cell, which costs
    more than a copy); each caller gets its own copy. The course is kept with its notebook, so
    its id cannot be reused by another course while the entry exists.
    """
    built = _BUILT.get((id(catalog), page))
    if built is None or built[0] is not catalog:
        built = _BUILT[(id(catalog), page)] = (catalog, build(find_page(catalog, page)))
    return copy.deepcopy(built[1])


def run_papermill(
    notebook: Path | Any, parameters: dict[str, Any], cwd: Path | None = None, name: str = "notebook.ipynb"
) -> Any:
    """Execute ``notebook`` (a file, or a notebook in memory named ``name``) with papermill in a
    fresh kernel; an error cell becomes an ExportError."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with tempfile.TemporaryDirectory(prefix="workbook-run-") as tmp:
        if not isinstance(notebook, Path):
            (Path(tmp) / "in").mkdir()
            source = Path(tmp) / "in" / name
            source.write_text(notebook_text(notebook), encoding="utf-8")
            notebook = source
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


def parameterize(nb: Any, parameters: dict[str, Any]) -> Any:
    """Inject ``parameters`` exactly as papermill does (a tagged cell after ``parameters``)."""
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(nb, parameters)


class InProcessRunner:
    """Run workbook notebooks in this process, in one IPython shell reset between notebooks.

    The notebooks only format parameters and content into HTML, so a kernel (0.6 s to start,
    0.2 s to stop) buys nothing; the documents are the same as papermill's (a test compares).
    Between notebooks the user namespace is reset, widgets are closed and the working folder
    is restored, so no state leaks from one trainee's document into the next.
    """

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell

        self.shell = InteractiveShell.instance()
        self._baseline = set(self.shell.user_ns)

    def run(self, notebook: Path | Any, parameters: dict[str, Any], name: str = "notebook.ipynb") -> Any:
        """Execute ``notebook`` (a file, or a notebook in memory named ``name``)."""
        from IPython.utils.capture import capture_output

        if isinstance(notebook, Path):
            notebook, name = nbformat.read(notebook, as_version=4), notebook.name
        nb = parameterize(notebook, parameters)
        cwd = os.getcwd()
        self._clear()
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                with capture_output() as captured:
                    result = self.shell.run_cell(cell.source, store_history=False)
                error = result.error_before_exec or result.error_in_exec
                if error is not None:
                    raise ExportError(f"{name}: cell {index}: {type(error).__name__}: {error}")
                cell.outputs = _outputs(captured)
        finally:
            os.chdir(cwd)
            self._clear()
            _close_widgets()
        return nb

    def _clear(self) -> None:
        # Drop what the notebook defined. (shell.reset() would also do this, but it runs a full
        # gc.collect() each time: 100 ms, more than rendering a whole handout.)
        namespace = self.shell.user_ns
        for name in set(namespace) - self._baseline:
            del namespace[name]


def _outputs(captured: Any) -> list[Any]:
    """A cell's outputs, as ``nbformat.v4.new_output`` makes them but not validated one by one:
    a stream and display data built here from captured text and MIME bundles are valid by
    construction (a test validates whole notebooks from this runner)."""
    outputs = []
    if captured.stdout:
        outputs.append(NotebookNode(output_type="stream", name="stdout", text=captured.stdout))
    outputs += [
        NotebookNode(output_type="display_data", data=out.data, metadata=out.metadata or {}) for out in captured.outputs
    ]
    return outputs


def _close_widgets() -> None:
    try:
        from ipywidgets import Widget
    except ImportError:  # pragma: no cover - ipywidgets is a dependency
        return
    Widget.close_all()
