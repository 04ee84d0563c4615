"""HTML export: nbconvert with the project's own template, self-contained and offline.

The exporter is nbconvert's ``HTMLExporter`` with two of its steps left out, because neither
changes what our template produces (a test compares with the stock exporter, byte for byte
once the stock exporter's re-serialisation is applied to ours):

* the BeautifulSoup post-pass, which re-parses the whole document to add ``alt`` to ``<img>``
  and ``tabindex`` to JupyterLab's cell wrappers. Our template renders no image and no
  ``jp-`` wrapper, so the pass only re-serialises the same tree: over half of a handout's time.
* nbformat validation after each of the eleven default preprocessors (enabled or not), on a
  notebook that was valid when read or built and that the enabled ones do not change.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import default

from .styles import document_css

TEMPLATES = Path(__file__).resolve().parent / "templates"


class WorkbookHTMLExporter(HTMLExporter):
    """``jupyter nbconvert --to workbook_html``: outputs only, no code, no scripts, inline CSS."""

    export_from_notebook = "Workbook HTML"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "workbook"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def from_notebook_node(  # type: ignore[override]  # nbconvert annotates the body as a notebook
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, Any]:
        resources = dict(resources or {})
        title = nb.metadata.get("title") or resources.get("metadata", {}).get("name") or "Workbook"
        resources.setdefault("workbook_title", title)
        resources["workbook_css"] = document_css()
        resources = self._init_resources(resources)
        # HTMLExporter.from_notebook_node's filters, then its template step without the soup pass
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
        )
        body, out = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return str(body), out

    def _preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """The enabled preprocessors in order, on the copy ``from_notebook_node`` already made.

        nbconvert's own copies the notebook and the resources again, normalises the notebook
        and validates it after every preprocessor: see the module's docstring.
        """
        resources = copy.deepcopy(resources)
        for preprocessor in self._preprocessors:
            nb, resources = preprocessor(nb, resources)
        return nb, resources
