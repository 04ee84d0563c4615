"""A course is data: a third challenge added to the fixture course, in a temp folder and with no
code change, is validated, gets its notebook, runs in every mode, and appears in every export,
batch, report and on the welcome page."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from clinician_workbook.content import load_bundled
from clinician_workbook.pages import find_page
from clinician_workbook.responses import ResponseStore, store_path
from tests.conftest import FIXTURES, displayed_html, papermill_command

COURSE = FIXTURES / "course"
NEW, TITLE = "test-third", "Third challenge for tests"


def add_third_challenge(course: Path) -> None:
    """The practice challenge copied under new ids, as an author adding a challenge would write it."""
    sources = [course / "challenges" / "test-practice.yaml", course / "practice" / "test-practice.yaml"]
    sources += sorted((course / "vignettes").glob("mh-*.md"))
    for source in sources:
        text = source.read_text(encoding="utf-8").replace("test-practice", NEW).replace("mh-", "th-")
        if source.parent.name == "challenges":
            text = re.sub(r"(?m)^    order: \d+$", "    order: 3", text, count=1)
            text = re.sub(r"(?m)^    title: .*$", f"    title: {TITLE}", text, count=1)
            text = re.sub(r"(?m)^    short_title: .*\n", "", text, count=1)
        target = source.parent / source.name.replace("test-practice", NEW).replace("mh-", "th-")
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(COURSE, folder)
    add_third_challenge(folder)
    return folder


@pytest.mark.requires_kernel
@pytest.mark.slow
def test_a_new_challenge_needs_no_code(course: Path, tmp_path: Path, run_cli, run_notebook) -> None:  # type: ignore[no-untyped-def]
    # validate
    checked = run_cli("validate", str(course))
    assert checked.code == 0 and "3 challenges" in checked.out, checked.err
    page = find_page(load_bundled(course), NEW)
    # init --content writes its notebook and remembers the course
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--trainee", "Ada Test", "--content", str(course)).code == 0
    assert (ws / page.notebook).is_file()
    assert json.loads((ws / "workbook.json").read_text())["content"] == str(course.resolve())
    # it runs in all three modes (the workspace's course, found from the notebook's folder): the
    # papermill command in a kernel once, then in this process as batch and export run notebooks
    with ResponseStore(store_path(ws / "responses", "Ada Test"), "Ada Test") as store:
        store.save(NEW, "knowledge-check", "th-kc-1", {"choice": 0})
    shown = displayed_html(papermill_command(ws / page.notebook, ws, mode="interactive"))
    assert TITLE in shown and "th-kc-1" not in shown
    assert TITLE in run_notebook(ws / page.notebook, ws, mode="handout")
    reviewed = run_notebook(ws / page.notebook, ws, mode="review", trainee="Ada Test")
    assert "Knowledge checks" in reviewed and "1 attempt" in reviewed
    # the welcome page lists it
    assert TITLE in run_notebook(ws / "00-welcome.ipynb", ws, mode="handout")
    # export --challenge all writes its document
    out = tmp_path / "export"
    exported = run_cli(
        "export", "--trainee", "Ada Test", "--responses", str(ws / "responses"), "--content", str(course),
        "--format", "html", "--out", str(out),
    )  # fmt: skip
    assert exported.code == 0, exported.err
    document = next(out.glob(f"*/{page.stem}.html"))
    assert TITLE in document.read_text(encoding="utf-8")
    # batch --challenges all renders it
    roster = tmp_path / "roster.csv"
    roster.write_text("trainee_id,name,cohort,supervisor\nada-test,Ada Test,C1,Dr S\n", encoding="utf-8")
    batch = tmp_path / "batch"
    made = run_cli(
        "batch", str(roster), "--content", str(course), "--format", "html", "--jobs", "1", "--out", str(batch)
    )
    assert made.code == 0, made.err
    assert TITLE in (batch / "ada-test" / f"{page.stem}.handout.html").read_text(encoding="utf-8")
    # report: its row and its heatmap column
    report = tmp_path / "report"
    run_cli("report", str(ws / "responses"), "--content", str(course), "--format", "html,csv", "--out", str(report))
    rows = list(csv.DictReader((tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()))
    assert any(NEW in row.values() for row in rows)
    assert TITLE in (tmp_path / "report.html").read_text(encoding="utf-8")
