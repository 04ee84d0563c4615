"""A plain (non-editable) wheel carries the course, the notebooks, the templates and the styles."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a plain wheel, once for the tests below."""
    folder = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder)]
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True)
    (built,) = folder.glob("clinician_workbook-*.whl")
    return built


@pytest.mark.slow
def test_wheel_ships_content_and_notebooks(wheel: Path) -> None:
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


@pytest.mark.slow
def test_a_wheel_install_runs_an_outside_course(wheel: Path, tmp_path: Path) -> None:
    """The wheel's files on their own (unpacked, first on the path), with a course folder of our own."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    course = ROOT / "tests" / "fixtures" / "course"
    env = {**os.environ, "PYTHONPATH": str(site)}
    work = tmp_path / "work"
    work.mkdir()

    def workbook(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "clinician_workbook.cli", *args]
        return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False, timeout=300)

    where = subprocess.run(
        [sys.executable, "-c", "import clinician_workbook; print(clinician_workbook.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(site))  # the wheel's copy, not the checkout
    assert workbook("validate").returncode == 0  # the course inside the wheel
    checked = workbook("validate", "--content", str(course))
    assert checked.returncode == 0 and "2 challenges" in checked.stdout, checked.stderr
    made = workbook("init", "ws", "--trainee", "Ada Test", "--content", str(course))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (work / "ws").glob("*.ipynb")) == [
        "00-welcome.ipynb", "01-test-practice.ipynb", "02-strategies.ipynb", "03-test-concerns.ipynb",
    ]  # fmt: skip
    shown = workbook("preview", "test-practice", "--content", str(course), "--out", "page.html")
    assert shown.returncode == 0, shown.stderr
    assert "test-practice" not in (work / "page.html").read_text(encoding="utf-8")  # titles, not ids
