"""read_handin_bytes (an upload) and read_handin (a file) are one reader: same result, same problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinician_workbook.errors import HandinError
from clinician_workbook.responses import ResponseStore
from clinician_workbook.responses.handin import MAX_BYTES, read_handin, read_handin_bytes, write_export


@pytest.fixture
def exported(answered_store: Path, tmp_path: Path) -> Path:
    with ResponseStore.open(answered_store, "Ada Test") as store:
        return write_export(store, tmp_path / "ada.json")


def test_a_good_hand_in_reads_the_same_from_bytes(exported: Path) -> None:
    assert read_handin_bytes(exported.read_bytes(), str(exported)) == read_handin(exported)
    assert read_handin_bytes(exported.read_bytes(), "x", backup=True) == read_handin(exported, backup=True)


BROKEN = [
    b"",
    b"\xff\xfe",
    b"{",
    b"[1]",
    b'{"format": "clinician-workbook-responses", "version": 1, "trainee": "A", "attempts": [{"uid": 1}]}',
    b'{"a": 1, "a": 2}',
    b'{"version": NaN}',
]


@pytest.mark.parametrize("raw", BROKEN)
def test_broken_input_gives_the_same_located_problems(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(raw)
    with pytest.raises(HandinError) as from_file:
        read_handin(path)
    with pytest.raises(HandinError) as from_bytes:
        read_handin_bytes(raw, str(path))
    assert from_bytes.value.problems == from_file.value.problems
    assert all(p.path == str(path) for p in from_bytes.value.problems)


def test_supervisor_rows_only_in_a_backup(exported: Path) -> None:
    document = json.loads(exported.read_text())
    document["attempts"].append(
        {
            **document["attempts"][0],
            "uid": "f" * 32,
            "role": "supervisor",
            "author": "Dr B",
            "exercise": "feedback",
            "item": "x/y",
            "answer": {"comment": "ok"},
        }
    )
    raw = json.dumps(document).encode()
    with pytest.raises(HandinError, match=r"upload: attempts\[\d+\]\.role: a hand-in holds only"):
        read_handin_bytes(raw, "upload")
    _, attempts = read_handin_bytes(raw, "upload", backup=True)
    assert attempts[-1].role == "supervisor"


def test_bytes_over_the_bound_are_refused_unread() -> None:
    with pytest.raises(HandinError, match="larger than 64 MiB"):
        read_handin_bytes(b" " * (MAX_BYTES + 1), "upload")
