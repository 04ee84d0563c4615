"""JSON hand-in/backup: export, atomic write, validation with every problem named, import."""

from __future__ import annotations

import json
import os
import pickle
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.errors import HandinError, StoreError, UsageError, WorkbookError
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.responses.handin import (
    FORMAT,
    export_responses,
    import_handin,
    read_handin,
    write_export,
)
from tests.unit.conftest import PRACTICE

ROW_KEYS = {"uid", "time", "challenge", "exercise", "item", "answer", "role", "author", "shared"}


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[ResponseStore]:
    with ResponseStore.open(tmp_path / "trainee", "Alice Ábel") as store:
        store.save(PRACTICE, "spot-signs", "mh-beginner-1", {"chosen": ["mh-forgot-again"]})
        store.save(PRACTICE, "spot-signs", "mh-beginner-1", {"chosen": ["mh-forgot-again", "mh-vague-about-week"]})
        store.save(PRACTICE, "respond", "mh-cs-beginner-1", respond_answer("Mmm, that sounds like a lot. " * 14))
        store.save(PRACTICE, "reflect", "r1", {"stages": {"feelings": "Ich merke… 心"}}, shared=True)
        store.save(PRACTICE, "reflect", "r2", {"stages": {"feelings": PRIVATE}})
        store.save(
            PRACTICE,
            "feedback",
            "spot-signs/mh-beginner-1",
            {"comment": "ok"},
            role="supervisor",
            author="Dr B",
        )
        yield store


PRIVATE = "a private reflection, never in a hand-in"


def respond_answer(text: str) -> dict[str, Any]:
    return {"statement": "mh-cs-beginner-1", "difficulty": "beginner", "response": text}


def handin(rows: list[Any], **header: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "trainee": "alice", "exported_at": "x", "attempts": rows, **header}


def row(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uid": "0123456789abcdef0123456789abcdef",
        "time": "2025-03-01T10:00:00.000000+00:00",
        "challenge": "c",
        "exercise": "reflect",
        "item": "i",
        "answer": {"stages": {"feelings": "t"}},
        "role": "trainee",
        "author": None,
        "shared": False,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# -- export -------------------------------------------------------------------------------------


def test_a_backup_holds_every_attempt_in_order(filled: ResponseStore) -> None:
    filled.save_draft(PRACTICE, "reflect", "r3", {"feelings": "half-typed"})
    document = export_responses(filled, backup=True)
    assert (document["format"], document["version"], document["trainee"]) == (FORMAT, 1, "Alice Ábel")
    assert document["exported_at"].endswith("+00:00")
    assert [set(r) for r in document["attempts"]] == [ROW_KEYS] * 6
    assert [r["uid"] for r in document["attempts"]] == [a.uid for a in filled.attempts() if a.role != "draft"]
    assert document["attempts"][5]["author"] == "Dr B"
    assert document["attempts"][3]["shared"] is True


def test_a_handin_leaves_out_private_reflections_drafts_and_supervisor_notes(filled: ResponseStore) -> None:
    filled.save_draft(PRACTICE, "reflect", "r3", {"feelings": "half-typed"})
    document = export_responses(filled)
    text = json.dumps(document, ensure_ascii=False)
    assert PRIVATE not in text and "half-typed" not in text and "Dr B" not in text
    assert [(r["exercise"], r["item"]) for r in document["attempts"]] == [
        ("spot-signs", "mh-beginner-1"),
        ("spot-signs", "mh-beginner-1"),
        ("respond", "mh-cs-beginner-1"),
        ("reflect", "r1"),
    ]


def test_write_export_is_private_readable_utf8_and_leaves_no_temp_files(filled: ResponseStore, tmp_path: Path) -> None:
    out = tmp_path / "hand-in.json"
    out.write_text("an older backup", encoding="utf-8")
    old = os.umask(0)
    try:
        assert write_export(filled, out) == out
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert "Ich merke… 心" in text  # ensure_ascii=False: readable in any editor
    assert '\n "format"' in text  # indent=1
    assert json.loads(text)["trainee"] == "Alice Ábel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand-in.json", "trainee"]


def test_write_export_to_a_missing_folder_is_a_usage_error(filled: ResponseStore, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write the hand-in"):
        write_export(filled, tmp_path / "nowhere" / "out.json")


# -- round trip ---------------------------------------------------------------------------------


def test_round_trip_and_reimport_adds_nothing(filled: ResponseStore, tmp_path: Path) -> None:
    out = write_export(filled, tmp_path / "backup.json", backup=True)
    restored = tmp_path / "restored"

    result = import_handin(out, restored, backup=True)
    assert result.trainee == "Alice Ábel"
    assert result.store == store_path(restored, "Alice Ábel")
    assert (result.added, result.skipped_existing) == (6, 0)
    with ResponseStore.open(restored, "Alice Ábel") as copy:
        assert copy.attempts() == filled.attempts()  # uid, time, answer, role, author, shared, seq
        assert copy.latest() == filled.latest()

    again = import_handin(out, restored, backup=True)
    assert (again.added, again.skipped_existing) == (0, 6)
    with ResponseStore.open(restored, "Alice Ábel") as copy:
        assert copy.count() == 6


def test_a_handin_with_a_supervisor_row_is_refused(filled: ResponseStore, tmp_path: Path) -> None:
    out = write_export(filled, tmp_path / "backup.json", backup=True)  # a backup passed off as a hand-in
    with pytest.raises(HandinError, match=r"attempts\[5\]\.role: a hand-in holds only the trainee's own answers"):
        import_handin(out, tmp_path / "supervisor")
    assert not (tmp_path / "supervisor").exists()


def test_a_later_handin_adds_only_the_new_attempts(filled: ResponseStore, tmp_path: Path) -> None:
    supervisor = tmp_path / "supervisor"
    import_handin(write_export(filled, tmp_path / "week1.json"), supervisor)
    filled.save(PRACTICE, "respond", "mh-cs-beginner-2", respond_answer("new this week"))
    result = import_handin(write_export(filled, tmp_path / "week2.json"), supervisor)
    assert (result.added, result.skipped_existing) == (1, 4)


def test_read_handin_normalises_times_to_the_store_form(tmp_path: Path) -> None:
    path = write(tmp_path / "h.json", handin([row(time="2025-03-01T11:00:00+01:00")]))
    trainee, (attempt,) = read_handin(path)
    assert trainee == "alice"
    assert attempt.time == "2025-03-01T10:00:00.000000+00:00"
    assert (attempt.trainee, attempt.seq) == ("alice", 0)


# -- validation ---------------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "hand-in.json",
        handin(
            [
                row(),
                row(uid="1" * 32, role="admin"),
                row(uid="2" * 32, answer="just text"),
                row(uid="3" * 32, challenge=...),
                row(uid="XYZ", time="yesterday"),
                "not a row",
                row(uid="4" * 32, shared="yes", author=7, colour="red"),
                row(),  # same uid as attempts[0]
                row(uid="5" * 32, time="2025-03-01T10:00:00"),
            ]
        ),
    )
    responses = tmp_path / "responses"
    with pytest.raises(HandinError) as caught:
        import_handin(path, responses)
    assert str(caught.value).splitlines() == [
        f"{path}: attempts[1].role: must be one of trainee, supervisor, draft, not 'admin'",
        f"{path}: attempts[2].answer: must be an object, not a string",
        f"{path}: attempts[3].challenge: required field is missing",
        f"{path}: attempts[4].uid: must be 32 lowercase hex characters, not 'XYZ'",
        f"{path}: attempts[4].time: must be an ISO-8601 time with a UTC offset, not 'yesterday'",
        f"{path}: attempts[5]: must be an object, not a string",
        f"{path}: attempts[6].author: must be a string or null, not a number",
        f"{path}: attempts[6].shared: must be true or false, not a string",
        f"{path}: attempts[6].colour: unknown field",
        f"{path}: attempts[7].uid: duplicate uid (also attempts[0])",
        f"{path}: attempts[8].time: must be an ISO-8601 time with a UTC offset, not '2025-03-01T10:00:00'",
    ]
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, WorkbookError)
    assert not responses.exists()  # not even an empty store was created


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ({"format": "something-else"}, "format: not a clinician-workbook hand-in"),
        ({"version": 2}, "version: unsupported version 2 (this clinician-workbook reads 1)"),
        ({"version": True}, "version: unsupported version True"),
        ({"trainee": ""}, "trainee: required: a non-empty string"),
        ({"trainee": 12}, "trainee: required: a non-empty string"),
        ({"attempts": {"a": 1}}, "attempts: must be an array, not an object"),
    ],
)
def test_bad_header_is_named(tmp_path: Path, header: dict[str, Any], line: str) -> None:
    path = write(tmp_path / "h.json", handin([row()], **header))
    with pytest.raises(HandinError) as caught:
        read_handin(path)
    assert str(caught.value).startswith(f"{path}: {line}")


def test_missing_header_fields_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "h.json", {"attempts": [row(item=...)]})
    with pytest.raises(HandinError) as caught:
        read_handin(path)
    fields = [line.split(": ")[1] for line in str(caught.value).splitlines()]
    assert fields == ["format", "version", "trainee", "attempts[0].item"]


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text('{\n "format": "clinician-workbook-responses",\n "version": 1\n "trainee": "a"\n}\n')
    with pytest.raises(HandinError) as caught:
        read_handin(path)
    assert str(caught.value) == f"{path}:4: JSON syntax error at column 2: Expecting ',' delimiter"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b'{"a": "\xff"}', ":1: not UTF-8 (byte 7)"),
        (b"[1, 2]", "must be a JSON object, not an array"),
        (b'{"score": NaN}', "NaN is not valid JSON"),
    ],
)
def test_unreadable_files_get_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(content)
    with pytest.raises(HandinError) as caught:
        read_handin(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(HandinError, match="file not found"):
        read_handin(tmp_path / "nope.json")


def test_a_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(handin([row()])).encode())
    assert read_handin(path)[0] == "alice"


def test_importing_into_another_trainees_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "bob.sqlite"
    ResponseStore(target, "bob").close()
    path = write(tmp_path / "h.json", handin([row()]))
    with pytest.raises(StoreError, match="belongs to trainee 'bob', not 'alice'"):
        import_handin(path, target)


def test_handin_error_survives_pickling(tmp_path: Path) -> None:
    path = write(tmp_path / "h.json", handin([row(role="x"), row(uid="1")]))
    with pytest.raises(HandinError) as caught:
        read_handin(path)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)
    assert copy.problems == caught.value.problems
