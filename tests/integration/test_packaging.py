"""A plain (non-editable) wheel carries the course, the notebooks, the templates and the styles."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_content_and_notebooks(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("clinician_workbook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "clinician_workbook/_bundled/content/course.yaml",
        "clinician_workbook/_bundled/content/vignettes/ra-beginner-1.md",
        "clinician_workbook/_bundled/notebooks/02-resistance-avoidance.ipynb",
        "clinician_workbook/_bundled/notebooks/supervisor-review.ipynb",
        "clinician_workbook/export/templates/workbook/index.html.j2",
        "clinician_workbook/render/templates/report.html.j2",
        "clinician_workbook/static/print.css",
        "clinician_workbook/py.typed",
    ]:
        assert expected in names, expected
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "workbook_pdf = clinician_workbook.export.pdf:WorkbookPDFExporter" in entry_points
    assert "workbook = clinician_workbook.cli:main" in entry_points
