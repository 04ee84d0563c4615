"""The documents' stylesheet, read without nbconvert (the cohort report uses it too)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def document_css() -> str:
    """Screen and print CSS for exported documents (the notebook styles plus page rules)."""
    return (STATIC / "workbook.css").read_text(encoding="utf-8") + (STATIC / "print.css").read_text(encoding="utf-8")
