"""PDF export: the nbconvert exporter ``--to workbook_pdf``, our HTML printed by :mod:`.printing`."""

from __future__ import annotations

from typing import Any

from traitlets import Enum, default

from .html import WorkbookHTMLExporter
from .printing import PAPERS, Paper, print_pdf


class WorkbookPDFExporter(WorkbookHTMLExporter):
    """``jupyter nbconvert --to workbook_pdf``: the workbook HTML printed by headless Chromium."""

    export_from_notebook = "Workbook PDF"
    output_mimetype = "application/pdf"
    paper = Enum(list(PAPERS), default_value="A4", help="Paper size: A4 or Letter").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"  # the PDF is printed from the same HTML

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[Any, Any]:
        document, resources = super().from_notebook_node(nb, resources, **kw)
        header = resources.get("workbook_header") or resources.get("workbook_title", "")
        pdf = print_pdf(document, paper=self.paper, header=str(header))
        resources["output_extension"] = ".pdf"
        return pdf, resources


__all__ = ["PAPERS", "Paper", "WorkbookPDFExporter", "print_pdf"]
