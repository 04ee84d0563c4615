"""Supervisor feedback: saved beside the trainee's work, never over it, and shown in the review export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from clinician_workbook.content import load_bundled
from clinician_workbook.exercises.supervise import FeedbackForm
from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.pages import find_page
from clinician_workbook.paths import bundled_notebooks_dir
from clinician_workbook.render.review import Review
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.responses.handin import write_export
from clinician_workbook.supervision import Supervision
from tests.factories import run_page

NOTEBOOK = bundled_notebooks_dir() / "supervisor-review.ipynb"


@pytest.fixture
def trainee_store(tmp_path: Path, answered_store: Path) -> Path:
    target = tmp_path / "responses"
    shutil.copytree(answered_store, target)
    return store_path(target, "Ada Test")


def _forms(sv: Supervision, method: str, monkeypatch: pytest.MonkeyPatch) -> list[FeedbackForm]:
    shown: list[FeedbackForm] = []
    monkeypatch.setattr("clinician_workbook.supervision.display", lambda obj: shown.append(obj))
    getattr(sv, method)()
    return [f for f in shown if isinstance(f, FeedbackForm)]


@pytest.mark.requires_kernel
def test_feedback_is_saved_as_supervisor_and_shown_in_review(
    trainee_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sv = Supervision(trainee_store, "Dr Ngozi Okafor")
    before = [a for a in sv.store.attempts() if a.role == "trainee"]
    (form, *_) = _forms(sv, "responses", monkeypatch)
    criterion = next(iter(form.ratings))
    form.ratings[criterion].value = "3"
    form.comment.value = "Warm and tentative — <b>well done</b>."
    form.next_step.value = "Name the shift earlier, in the first minute."
    form.save_button.click()
    assert "Saved" in form.status.value
    (triage_form, *_) = _forms(sv, "triage", monkeypatch)
    triage_form.comment.value = "Let's go through the confidentiality limits together."
    triage_form.save_button.click()
    after = sv.store.attempts()
    notes = [a for a in after if a.role == "supervisor"]
    assert len(notes) == 2 and all(a.author == "Dr Ngozi Okafor" for a in notes)
    assert [a for a in after if a.role == "trainee"] == before  # the trainee's work untouched
    challenge = next(k[0] for k in sv.latest if k[1] == "respond")
    review = Review(sv.catalog, challenge, after, include_private=False).respond()
    assert "Dr Ngozi Okafor" in review and "&lt;b&gt;well done&lt;/b&gt;" in review
    assert "Name the shift earlier" in review and "/ 4" in review
    again = _forms(Supervision(trainee_store, "Dr Ngozi Okafor"), "responses", monkeypatch)[0]
    assert again.comment.value.startswith("Warm and tentative") and again.ratings[criterion].value == "3"
    sv.close()
    # and in the trainee's exported review document
    request = ExportRequest(
        "Ada Test", trainee_store.parent, (challenge, "when-concerning"), ("html",), trainee_store.parent.parent / "out"
    )
    documents = {p.name: p.read_text(encoding="utf-8") for p in export_workbook(request)}
    page = next(text for name, text in documents.items() if name.startswith(find_page(load_bundled(), challenge).stem))
    assert "Dr Ngozi Okafor" in page and "Name the shift earlier, in the first minute." in page
    assert "go through the confidentiality limits together" in documents["05-when-concerning.html"]


def test_private_reflections_are_not_shown(trainee_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ResponseStore(trainee_store, "Ada Test") as store:
        store.save("feeling-stuck", "reflect", "st-reflect-1", {"stages": {"feelings": "PRIVATE-SV-1"}})
        store.save("feeling-stuck", "reflect", "st-reflect-2", {"stages": {"feelings": "SHARED-SV-2"}}, shared=True)
    sv = Supervision(trainee_store, "Dr S")
    shown: list[object] = []
    monkeypatch.setattr("clinician_workbook.supervision.display", lambda obj: shown.append(obj))
    sv.reflections()
    text = json.dumps(
        [getattr(o, "data", "") for o in shown]
        + [c.value for f in shown if isinstance(f, FeedbackForm) for c in f.children if hasattr(c, "value")],
        default=str,
    )
    assert "SHARED-SV-2" in text and "PRIVATE-SV-1" not in text
    sv.close()


def test_works_from_a_hand_in_file(trainee_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ResponseStore(trainee_store, "Ada Test") as store:
        handin = write_export(store, tmp_path / "ada.json")
    sv = Supervision(handin, "Dr S")
    assert sv.trainee == "Ada Test" and sv.store.path.parent == tmp_path / "supervisor-copies"
    (form, *_) = _forms(sv, "triage", monkeypatch)
    form.comment.value = "From the hand-in"
    form.save_button.click()
    assert any(a.role == "supervisor" for a in sv.store.attempts())
    sv.close()


@pytest.mark.requires_kernel
def test_supervisor_notebook_runs_under_papermill(trainee_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "sv.ipynb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(NOTEBOOK),
            str(out),
            "-p",
            "responses",
            str(trainee_store),
            "-p",
            "supervisor",
            "Dr Ngozi Okafor",
            "--cwd",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "Supervision: Ada Test" in html and "Dr Ngozi Okafor" in html
    widgets = sum(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
    )
    assert widgets >= 3  # feedback forms for responses and triage answers


def test_supervise_prepares_a_filled_in_notebook(trainee_store: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    made = run_cli(
        "supervise",
        str(trainee_store),
        "--supervisor",
        "Dr Ngozi Okafor",
        "--dir",
        str(tmp_path / "sv"),
        "--prepare-only",
    )
    assert made.code == 0, made.err
    notebook = Path(made.out.strip())
    assert notebook.parent == tmp_path / "sv" and oct(notebook.stat().st_mode & 0o777) == "0o600"
    params = nbformat.read(notebook, as_version=4).cells[1].source
    assert f"responses = {str(trainee_store.resolve())!r}" in params and "supervisor = 'Dr Ngozi Okafor'" in params
    for wrong, words in ((tmp_path / "x.csv", "neither a trainee store"), (tmp_path / "gone.sqlite", "no such file")):
        refused = run_cli("supervise", str(wrong), "--supervisor", "Dr O", "--prepare-only")
        assert refused.code == 1 and len(refused.err.splitlines()) == 1 and words in refused.err


@pytest.mark.requires_kernel
def test_feedback_shows_under_the_answer_in_the_trainees_notebook(
    trainee_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinician_workbook import session as session_module
    from clinician_workbook.session import Session

    sv = Supervision(trainee_store, "Dr Ngozi Okafor")
    (form, *_) = _forms(sv, "triage", monkeypatch)
    form.comment.value = "Let's rehearse the <b>get help now</b> step together."
    form.save_button.click()
    sv.close()
    page, item = form.item.split("/", 1)[0], form.item.split("/", 1)[1]
    assert page == "triage"
    shown: list[object] = []
    monkeypatch.setattr(session_module, "display", shown.append)
    wb = Session("when-concerning", trainee="Ada Test", responses=trainee_store.parent)
    run_page(wb, "triage")
    after = [str(getattr(obj, "data", "")) for obj in shown]
    position = next(i for i, obj in enumerate(shown) if getattr(obj, "item", None) == item)
    assert "Supervisor feedback" in after[position + 1] and "Dr Ngozi Okafor" in after[position + 1]
    assert "&lt;b&gt;get help now&lt;/b&gt;" in after[position + 1]  # the supervisor's text, as text
    assert sum("Supervisor feedback" in text for text in after) == 1  # under that answer only
