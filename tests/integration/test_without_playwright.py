"""In a virtual environment without Playwright, asking for a PDF is one line saying what to install,
and HTML still works.

Playwright is one of the package's dependencies, so only an environment put together by hand
lacks it; this is what such an environment sees. How the environment is made, and why:

- It is a real venv (``python -m venv``), with its own interpreter and ``site-packages``, in which
  ``import playwright`` fails the way it fails on a user's machine: the package is not there, and
  no import hook or ``sys.path`` trick in the code under test hides it.
- Its ``site-packages`` holds a symbolic link to every entry of this environment's
  ``site-packages`` except ``playwright`` and its ``.dist-info`` (the editable install of this
  project comes along as its ``.pth`` file), and ``share`` and ``etc`` are linked too (the data
  files packages install there, such as nbconvert's templates). Installing the other dependencies from PyPI would
  prove the same thing at the cost of minutes and a network connection; linking what is already
  installed takes a second or two and works offline. The first test checks that the venv really
  lacks Playwright (and really has the rest), so the others cannot pass by accident.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from clinician_workbook.errors import PlaywrightMissingError

TRAINEE = "Ada Test"
CHALLENGE = "resistance-avoidance"
HIDDEN = re.compile(r"playwright(-[^/]*\.dist-info)?")  # the package and its metadata, nothing else


@dataclass(frozen=True)
class Venv:
    python: Path

    def workbook(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        command = [str(self.python), "-m", "clinician_workbook.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    root = tmp_path_factory.mktemp("no-playwright") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    python = root / "bin" / "python"
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not HIDDEN.fullmatch(entry.name) and not (target / entry.name).exists():
            (target / entry.name).symlink_to(entry)
    for data in ("share", "etc"):
        if (Path(sys.prefix) / data).is_dir():
            (root / data).symlink_to(Path(sys.prefix) / data)
    return Venv(python)


def test_the_venv_has_everything_but_playwright(venv: Venv, tmp_path: Path) -> None:
    probe = (
        "import importlib.util, importlib.metadata as m, clinician_workbook.cli, nbconvert, papermill\n"
        "print(importlib.util.find_spec('playwright'))\n"
        "print([d.metadata['Name'] for d in m.distributions() if d.metadata['Name'].lower() == 'playwright'])"
    )
    done = subprocess.run([str(venv.python), "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "[]"]


EXPORT = ["export", "--trainee", TRAINEE, "--responses", "responses", "--challenge", CHALLENGE, "--out", "out"]


@pytest.mark.parametrize(
    "args",
    [[*EXPORT, "--format", "pdf"], EXPORT, ["report", "responses", "--format", "html,pdf", "--out", "out/cohort"]],
    ids=["export-pdf", "export-default-html-pdf", "report-pdf"],
)
def test_a_pdf_is_one_line_naming_what_to_install(
    venv: Venv, answered_store: Path, tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "responses").symlink_to(answered_store)
    done = venv.workbook(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"error: {PlaywrightMissingError()}"]
    assert "playwright" in done.stderr and "install-system-deps.sh" in done.stderr
    assert not (tmp_path / "out").exists()  # refused before any work: no half-made set of documents


def test_html_needs_no_playwright(venv: Venv, answered_store: Path, tmp_path: Path) -> None:
    (tmp_path / "responses").symlink_to(answered_store)
    done = venv.workbook(*EXPORT, "--format", "html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = [tmp_path / line for line in done.stdout.splitlines()]
    assert [path.suffix for path in written] == [".html"] and written[0].is_file()
    assert TRAINEE in written[0].read_text(encoding="utf-8")


def test_a_plain_install_brings_playwright() -> None:
    """``pip install .`` (no extra) installs what PDFs need: Playwright is a main dependency."""
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    names = [re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0] for requirement in project["project"]["dependencies"]]
    assert "playwright" in names
