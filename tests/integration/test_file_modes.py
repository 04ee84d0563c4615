"""Every file holding trainee answers is owner-only, in folders created 0700, whatever the umask.

The umask is opened wide for these tests, so a mode left to it (0666 files, 0777 folders) shows up.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.files import make_private_dir, write_atomic
from tests.factories import answer_all

pytestmark = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX")

CHALLENGE = "resistance-avoidance"
Run = Callable[..., Any]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def exposed(root: Path) -> list[str]:
    """``find ROOT -type f -perm /077``: files anyone but the owner may touch."""
    return sorted(f"{p} {mode(p):o}" for p in root.rglob("*") if p.is_file() and mode(p) & 0o077)


def folders_not_private(root: Path) -> list[str]:
    """Folders at and below ``root`` that are not exactly 0700."""
    return sorted(f"{p} {mode(p):o}" for p in [root, *root.rglob("*")] if p.is_dir() and mode(p) != 0o700)


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture
def responses(tmp_path: Path, answered_store: Path) -> Path:
    copy = tmp_path / "responses"
    shutil.copytree(answered_store, copy)
    return copy


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # outside any workspace: nothing is found by default
    return tmp_path


def export(run_cli: Run, responses: Path, out: Path, formats: str) -> list[Path]:
    result = run_cli(
        "export",
        "--trainee",
        "Ada Test",
        "--responses",
        str(responses),
        "--challenge",
        CHALLENGE,
        "--format",
        formats,
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    return [Path(line) for line in result.out.splitlines()]


@pytest.mark.usefixtures("open_umask", "cwd")
def test_export_and_report_are_owner_only(run_cli: Run, responses: Path, tmp_path: Path) -> None:
    made = tmp_path / "made"  # does not exist yet: every folder below is the command's own
    (document,) = export(run_cli, responses, made / "export", "html")
    assert document.suffix == ".html" and mode(document) == 0o600
    report = run_cli("report", str(responses), "--out", str(made / "report" / "cohort"), "--format", "html,csv")
    assert report.code == 0, report.err
    assert sorted(p.name for p in (made / "report").iterdir()) == ["cohort.csv", "cohort.html"]
    assert exposed(made) == []
    assert folders_not_private(made) == []


@pytest.mark.usefixtures("open_umask", "cwd")
def test_an_existing_folder_keeps_its_mode(run_cli: Run, responses: Path, tmp_path: Path) -> None:
    shared = tmp_path / "course-drive"
    shared.mkdir()
    os.chmod(shared, 0o755)  # the user's choice, e.g. shared with their supervisor: never changed
    (document,) = export(run_cli, responses, shared, "html")
    assert mode(shared) == 0o755
    assert mode(document.parent) == 0o700 and mode(document) == 0o600
    assert exposed(shared) == []


@pytest.mark.requires_browser
@pytest.mark.usefixtures("open_umask", "cwd")
def test_pdf_export_and_report_are_owner_only(
    run_cli: Run, responses: Path, tmp_path: Path, chromium_path: str
) -> None:
    made = tmp_path / "made"
    (document,) = export(run_cli, responses, made / "export", "pdf")
    assert document.read_bytes().startswith(b"%PDF")
    report = run_cli("report", str(responses), "--out", str(made / "report" / "cohort"), "--format", "pdf")
    assert report.code == 0, report.err
    assert (made / "report" / "cohort.pdf").read_bytes().startswith(b"%PDF")
    assert exposed(made) == []
    assert folders_not_private(made) == []


def batch(run_cli: Run, tmp_path: Path, mode_: str, out: Path) -> None:
    responses = tmp_path / "responses"
    if mode_ == "review":
        answer_all(responses, ("t000", "t001"))
    roster = tmp_path / "roster.csv"
    roster.write_text("trainee_id,name,cohort,supervisor\nt000,A,C,S\nt001,B,C,S\n", encoding="utf-8")
    result = run_cli(
        "batch",
        str(roster),
        "--mode",
        mode_,
        "--challenges",
        CHALLENGE,
        "--format",
        "html",
        "--responses",
        str(responses),
        "--jobs",
        "1",
        "--out",
        str(out),
    )
    assert result.code == 0, result.out + result.err


@pytest.mark.usefixtures("open_umask", "cwd")
def test_batch_review_documents_and_journal_are_owner_only(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "made" / "batch"
    batch(run_cli, tmp_path, "review", out)
    documents = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert documents == ["t000/02-resistance-avoidance.review.html", "t001/02-resistance-avoidance.review.html"]
    assert mode(out / ".workbook-batch.jsonl") == 0o600
    assert exposed(tmp_path / "made") == []
    assert folders_not_private(tmp_path / "made") == []


@pytest.mark.usefixtures("open_umask", "cwd")
def test_batch_handouts_hold_no_answers_and_stay_readable(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    batch(run_cli, tmp_path, "handout", out)
    (handout, _) = sorted(out.rglob("*.html"))
    assert mode(handout) == 0o644 and mode(handout.parent) == 0o777  # mkdir under the open umask
    assert mode(out / ".workbook-batch.jsonl") == 0o600


@pytest.mark.usefixtures("open_umask")
def test_make_private_dir_creates_missing_folders_only(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    os.chmod(user, 0o751)
    assert make_private_dir(user / "a" / "b") == user / "a" / "b"
    assert (mode(user), mode(user / "a"), mode(user / "a" / "b")) == (0o751, 0o700, 0o700)
    os.chmod(user / "a", 0o755)  # changed by the user afterwards: left as it is
    make_private_dir(user / "a" / "b")
    assert mode(user / "a") == 0o755
    (user / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        make_private_dir(user / "file")
    with pytest.raises(NotADirectoryError):
        make_private_dir(user / "file" / "below")


@pytest.mark.usefixtures("open_umask")
def test_write_atomic_is_owner_only_unless_told(tmp_path: Path) -> None:
    private = write_atomic(tmp_path / "new" / "answers.txt", "x")
    shared = write_atomic(tmp_path / "open" / "handout.txt", "x", mode=0o644)
    assert (mode(private), mode(private.parent)) == (0o600, 0o700)
    assert (mode(shared), mode(shared.parent)) == (0o644, 0o777)
