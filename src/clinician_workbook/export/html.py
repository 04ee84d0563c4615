"""HTML export: nbconvert with the project's own template, self-contained and offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from traitlets import default

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def document_css() -> str:
    """Screen and print CSS for exported documents (the notebook styles plus page rules)."""
    return (STATIC / "workbook.css").read_text(encoding="utf-8") + (STATIC / "print.css").read_text(encoding="utf-8")


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
        body, out = super().from_notebook_node(nb, resources, **kw)
        return str(body), out
