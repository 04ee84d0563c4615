"""The response store: private files, safe names, schema checks, checked answers, append-only history, drafts."""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.errors import StoreError, StoreVersionError, WorkbookError
from clinician_workbook.responses import (
    Attempt,
    ResponseStore,
    read_store,
    safe_filename,
    store_owner,
    store_path,
    trainee_id,
)
from clinician_workbook.responses import store as store_module
from tests.unit.conftest import PRACTICE

TRICKY_IDS = [
    "../x",
    "../../etc/passwd",
    "a/b",
    "a\\b",
    "a\0b",
    "x" * 10_000,
    "..",
    ".",
    "...",
    "-rf",
    ".hidden",
    "/abs/path",
    "C:\\Users\\x",
    "con",
    "NUL",
    "José Ñúñez",
    "名前",
    " ",
    "alice\n",
]


STAGES = ("description", "feelings", "evaluation", "analysis", "conclusion", "action_plan")


def reflection(text: str) -> dict[str, Any]:
    """A valid ``reflect`` answer, one stage written, as the store keeps it (every stage; unwritten ones empty)."""
    return {"stages": {stage: text if stage == "feelings" else "" for stage in STAGES}}


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ResponseStore]:
    with ResponseStore.open(tmp_path / "responses", "alice") as opened:
        yield opened


def raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    return contextlib.closing(sqlite3.connect(path, isolation_level=None))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def make_wal_store(path: Path, trainee: str = "alice") -> sqlite3.Connection:
    """A store as an older clinician-workbook left it: WAL mode, one answer; the connection stays open."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(store_module._SCHEMA)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("trainee", trainee)])
    conn.execute(
        f"INSERT INTO attempts ({store_module._COLUMNS}) VALUES (NULL, ?, ?, ?, 'c', ?, 'i', ?, 'trainee', NULL, 0)",
        ("0" * 32, trainee, "2024-01-01T00:00:00.000000+00:00", "reflect", '{"stages": {"feelings": "old"}}'),
    )
    return conn


# -- files are private --------------------------------------------------------------------------


def test_files_and_folder_are_owner_only_even_with_an_open_umask(tmp_path: Path) -> None:
    folder = tmp_path / "responses"
    with umask(0o000), ResponseStore.open(folder, "alice") as opened:
        opened.save("c", "reflect", "i", reflection("private"))
        assert mode(folder) == 0o700
        assert mode(opened.path) == 0o600
        # The rollback journal exists only during a commit: catch one mid-transaction.
        with raw(opened.path) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO meta VALUES ('probe', 'x')")
            journal = Path(f"{opened.path}-journal")
            assert journal.exists()
            assert mode(journal) == 0o600
            other.execute("ROLLBACK")


def test_a_save_leaves_nothing_beside_the_store_file(tmp_path: Path) -> None:
    # Rollback-journal mode: the commit is in the .sqlite file, with the store still open.
    folder = tmp_path / "responses"
    with ResponseStore.open(folder, "alice") as opened:
        opened.save("c", "reflect", "i", reflection("whole"))
        assert listing(folder) == ["alice.sqlite"]
        with raw(opened.path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert opened.path.read_bytes()[18:20] == b"\x01\x01"  # the header says: not WAL


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    # A folder the user made (e.g. shared with a supervisor) is theirs to set; only the file is tightened.
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    os.chmod(folder, 0o750)
    with ResponseStore.open(folder, "alice") as opened:
        assert mode(opened.path) == 0o600
    assert mode(folder) == 0o750


# -- trainee ids become safe file names ---------------------------------------------------------


@pytest.mark.parametrize("trainee", TRICKY_IDS, ids=lambda t: repr(t[:20]))
def test_safe_filename_never_escapes(tmp_path: Path, trainee: str) -> None:
    name = safe_filename(trainee)
    assert re.fullmatch(r"[a-z0-9_][a-z0-9_-]*", name), name
    assert "/" not in name and "\\" not in name and "\0" not in name
    assert name not in (".", "..")
    assert len(name) <= 81
    folder = tmp_path / "responses"
    path = store_path(folder, trainee)
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    assert path.name == f"{name}.sqlite"


def test_safe_filename_keeps_clean_ids_readable() -> None:
    assert safe_filename("alice") == "alice"
    assert safe_filename("trainee_07-b") == "trainee_07-b"


def test_different_ids_never_share_a_file() -> None:
    ids = [*TRICKY_IDS, "alice", "Alice", "ALICE", "../alice", "alice/", "x" * 64, "x" * 65, "x" * 66]
    # An id that looks like another id's hashed name is hashed again, so it cannot take that file.
    ids.append(safe_filename("Alice"))
    ids.append(safe_filename(".."))
    names = [safe_filename(t) for t in ids]
    assert len(set(names)) == len(ids)


def test_safe_filename_of_a_long_id_is_bounded_and_stable() -> None:
    long = "x" * 10_000
    assert len(safe_filename(long)) == 81  # 64 characters of slug, "-", 16 hex digits (64 bits)
    assert safe_filename(long) == safe_filename(long)
    assert safe_filename(long) != safe_filename(long + "y")


def test_a_store_named_by_an_older_release_is_still_found(tmp_path: Path) -> None:
    legacy = tmp_path / f"{safe_filename('Ada Lovelace', 8)}.sqlite"  # 32-bit hash, before 0.2
    ResponseStore(legacy, "Ada Lovelace").close()
    assert store_path(tmp_path, "Ada Lovelace") == legacy
    assert store_path(tmp_path / "new", "Ada Lovelace").name == f"{safe_filename('Ada Lovelace')}.sqlite"
    assert len(safe_filename("Ada Lovelace").rsplit("-", 1)[1]) == 16


@pytest.mark.parametrize(
    ("variant", "same_as"),
    [
        ("Zoe\u0301", "Zoé"),  # decomposed accent
        ("Ａｄａ", "Ada"),  # fullwidth letters
        ("A\u200bda", "Ada"),  # zero-width space
        ("  Ada   Lovelace ", "Ada Lovelace"),
        ("Ada\u0007", "Ada"),  # a control character
    ],
)
def test_names_that_look_the_same_are_one_trainee(variant: str, same_as: str) -> None:
    assert trainee_id(variant) == trainee_id(same_as) == same_as


@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b", "\udcff"])
def test_names_that_are_not_names_are_refused(name: str) -> None:
    with pytest.raises(StoreError, match="trainee name"):
        trainee_id(name)


def test_empty_trainee_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="trainee id is empty"):
        safe_filename("")
    with pytest.raises(StoreError, match="trainee id is empty"):
        store_path(tmp_path, "")
    with pytest.raises(StoreError, match="trainee id is empty"):
        ResponseStore(tmp_path / "x.sqlite", "")


def test_a_sqlite_path_is_the_file_itself(tmp_path: Path) -> None:
    target = tmp_path / "supervisor" / "alice-copy.sqlite"
    assert store_path(target, "alice") == target
    assert store_path(str(target), "alice") == target
    with ResponseStore.open(target, "alice") as opened:
        assert opened.path == target
    assert target.is_file()


# -- what the store refuses to open -------------------------------------------------------------


def test_other_schema_version_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    ResponseStore(path, "alice").close()
    with raw(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError) as caught:
        ResponseStore(path, "alice")
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert "version 99" in message and "version 1" in message
    assert isinstance(caught.value, StoreError)


def test_missing_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    ResponseStore(path, "alice").close()
    with raw(path) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="version missing"):
        ResponseStore(path, "alice")


def test_garbage_file_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        ResponseStore(path, "alice")
    assert str(path) in str(caught.value)
    assert "not a response store" in str(caught.value)
    assert not isinstance(caught.value, sqlite3.Error)
    assert path.read_bytes() == garbage  # never "repaired" by overwriting


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with raw(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StoreError, match="not a clinician-workbook response store"):
        ResponseStore(path, "alice")


def test_another_trainees_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    with ResponseStore(path, "alice") as alice:
        alice.save("c", "reflect", "i", reflection("mine"))
    with pytest.raises(StoreError, match="belongs to trainee 'alice', not 'bob'"):
        ResponseStore(path, "bob")
    with ResponseStore(path, "alice") as alice:
        assert alice.count() == 1


def test_errors_survive_pickling() -> None:
    error = StoreVersionError("/x.sqlite", "2", "1")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.found) == (StoreVersionError, str(error), "2")
    assert isinstance(copy, WorkbookError)


# -- saving and reading -------------------------------------------------------------------------


def rated_round(response: str = "I notice you went quiet when we talked about your sister.") -> dict[str, Any]:
    """A valid ``respond`` answer: one rated round of deliberate practice."""
    return {
        "statement": "mh-cs-beginner-1",
        "difficulty": "beginner",
        "response": response,
        "ratings": {"mh-crit-curious-not-pressing": 3, "mh-crit-own-your-part": 2},
        "felt": "about right",
        "next_difficulty": "beginner",
    }


def test_save_returns_the_committed_attempt(store: ResponseStore) -> None:
    answer = rated_round()
    saved = store.save(PRACTICE, "respond", "mh-cs-beginner-1", answer)
    assert re.fullmatch(r"[0-9a-f]{32}", saved.uid)
    when = datetime.fromisoformat(saved.time)
    assert when.utcoffset() is not None and when.utcoffset() == UTC.utcoffset(None)
    assert re.search(r"\.\d{6}\+00:00$", saved.time)
    assert (saved.trainee, saved.role, saved.author, saved.shared, saved.seq) == ("alice", "trainee", None, False, 1)
    assert saved.answer == answer
    answer["response"] = "changed afterwards"  # the caller's dict is not the saved answer ...
    answer["ratings"]["mh-crit-curious-not-pressing"] = 0  # ... nor anything inside it
    for kept in (saved.answer, store.attempts()[0].answer):
        assert kept["response"].startswith("I notice")
        assert kept["ratings"]["mh-crit-curious-not-pressing"] == 3
    # Committed: another connection sees it straight away.
    with raw(store.path) as conn:
        assert conn.execute("SELECT uid FROM attempts").fetchall() == [(saved.uid,)]


def test_every_attempt_is_kept_and_the_latest_is_current(store: ResponseStore) -> None:
    first = store.save("c1", "spot-signs", "v1", {"chosen": ["a"]})
    other = store.save("c1", "spot-signs", "v2", {"chosen": ["b"]})
    second = store.save("c1", "spot-signs", "v1", {"chosen": ["a", "b"]})
    private = store.save("c1", "reflect", "r1", reflection("first go"), shared=False)
    shared = store.save("c1", "reflect", "r1", reflection("final"), shared=True)
    feedback = store.save("c1", "feedback", "spot-signs/v1", {"comment": "good"}, role="supervisor", author="Dr B")
    store.save("c2", "spot-signs", "v1", {"chosen": ["x"]})

    assert store.count() == 7
    history = store.attempts(challenge="c1", exercise="spot-signs", item="v1")
    assert [a.uid for a in history] == [first.uid, second.uid]
    assert [a.seq for a in store.attempts()] == list(range(1, 8))
    # Unfiltered by role, the supervisor's note is there too, in save order.
    assert [a.uid for a in store.attempts(challenge="c1")] == [
        first.uid,
        other.uid,
        second.uid,
        private.uid,
        shared.uid,
        feedback.uid,
    ]
    assert store.attempts(role="supervisor") == [feedback]
    assert [a.uid for a in store.attempts(challenge="c1", exercise="spot-signs", item="v1", role="trainee")] == [
        first.uid,
        second.uid,
    ]

    current = store.latest(challenge="c1")
    assert set(current) == {("c1", "spot-signs", "v1"), ("c1", "spot-signs", "v2"), ("c1", "reflect", "r1")}
    assert current[("c1", "spot-signs", "v1")].uid == second.uid  # the supervisor's note is not the answer
    assert current[("c1", "reflect", "r1")] == shared
    assert current[("c1", "reflect", "r1")].shared is True
    assert set(store.latest()) == {*current, ("c2", "spot-signs", "v1")}
    assert set(store.latest(challenge="c1", exercise="reflect")) == {("c1", "reflect", "r1")}
    assert store.latest(role="supervisor") == {("c1", "feedback", "spot-signs/v1"): feedback}
    assert feedback.author == "Dr B"


def test_saved_attempts_outlive_the_connection(tmp_path: Path) -> None:
    with ResponseStore.open(tmp_path, "alice") as first:
        saved = first.save("c", "reflect", "i", reflection("Ünïcode ✓"))
    with ResponseStore.open(tmp_path, "alice") as again:
        assert again.attempts() == [saved]


# (exercise, role, answer, where the problem is, words the problem is told in). The message is
# "not saved: <exercise> <where>: <problem>"; the wording of plain type problems belongs to
# answers.py and is not pinned here, the rules the store's callers rely on are.
REFUSED = [
    # What JSON cannot hold (or holds only as something else) is refused, located.
    pytest.param(
        "reflect", "trainee", {"stages": {"feelings": datetime.now(UTC)}}, "answer.stages.feelings", "", id="datetime"
    ),
    pytest.param("spot-signs", "trainee", {"chosen": {"a"}}, "answer.chosen", "", id="set"),
    pytest.param("knowledge-check", "trainee", {"choice": float("nan")}, "answer.choice", "", id="nan"),
    pytest.param(
        "respond",
        "trainee",
        rated_round() | {"ratings": {"mh-crit-curious-not-pressing": float("nan")}},
        "answer.ratings.mh-crit-curious-not-pressing",
        "",
        id="nan-rating",
    ),
    pytest.param("reflect", "trainee", ["a list"], "answer", "must be an object, not list", id="not-a-dict"),
    # What does not fit the exercise.
    pytest.param("e", "trainee", {"text": "made up"}, "exercise", "unknown exercise 'e'", id="unknown-exercise"),
    pytest.param("spot-signs", "trainee", {"chosen": []}, "answer.chosen", "", id="nothing-chosen"),
    pytest.param(
        "reflect", "trainee", reflection("  "), "answer", "at least one stage must be written", id="nothing-written"
    ),
    pytest.param(
        "reflect", "trainee", reflection("x") | {"text": "x"}, "answer.text", "unknown field", id="unknown-field"
    ),
    pytest.param(
        "respond",
        "trainee",
        {k: v for k, v in rated_round().items() if k != "next_difficulty"},
        "answer",
        "ratings, felt and next_difficulty come together",
        id="half-rated",
    ),
    # Who may save what.
    pytest.param(
        "spot-signs",
        "supervisor",
        {"comment": "good"},
        "exercise",
        "a supervisor saves only 'feedback', not 'spot-signs'",
        id="supervisor-not-feedback",
    ),
    pytest.param(
        "feedback", "trainee", {"comment": "good"}, "exercise", "unknown exercise 'feedback'", id="trainee-feedback"
    ),
    pytest.param("reflect", "draft", {"fields": {"feelings": 1}}, "answer.fields.feelings", "", id="draft-not-text"),
]


@pytest.mark.parametrize(("exercise", "role", "answer", "where", "words"), REFUSED)
def test_answers_that_do_not_fit_are_refused_in_one_line(
    store: ResponseStore, exercise: str, role: Any, answer: object, where: str, words: str
) -> None:
    with pytest.raises(StoreError) as caught:
        store.save("c", exercise, "i", answer, role=role)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(f"not saved: {exercise} {where}"), message
    problem = message.removeprefix(f"not saved: {exercise} {where}")
    assert problem.strip(" :"), message  # the problem is told, not just located
    assert words in problem, message
    assert "\n" not in message
    assert store.count() == 0


def test_legacy_derived_keys_are_dropped_on_save_and_import(store: ResponseStore) -> None:
    # Older versions stored a score snapshot with the answer; scores are now recomputed when shown.
    answer = {"chosen": ["sign-a"], "score": 0.5, "correct": False, "safety_critical": True}
    saved = store.save("c", "spot-signs", "v1", answer)
    assert saved.answer == {"chosen": ["sign-a"]}
    assert set(answer) == {"chosen", "score", "correct", "safety_critical"}  # the caller's dict is left alone
    old = Attempt(
        "e" * 32, "alice", "2020-01-01T00:00:00.000000+00:00", "c", "knowledge-check", "k1", {"choice": 2, "score": 1}
    )
    assert store.add_imported(old) is True
    with raw(store.path) as conn:
        assert conn.execute("SELECT answer FROM attempts ORDER BY seq").fetchall() == [
            ('{"chosen": ["sign-a"]}',),
            ('{"choice": 2}',),
        ]
    assert [a.answer for a in read_store(store.path, "alice")[1]] == [{"chosen": ["sign-a"]}, {"choice": 2}]


def test_bad_role_and_empty_ids_are_refused(store: ResponseStore) -> None:
    with pytest.raises(StoreError, match="role must be one of trainee, supervisor"):
        store.save("c", "reflect", "i", reflection("x"), role="admin")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="item must be a non-empty string"):
        store.save("c", "reflect", "", reflection("x"))
    assert store.count() == 0


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    opened = ResponseStore.open(tmp_path, "alice")
    opened.close()
    opened.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        opened.save("c", "reflect", "i", reflection("x"))
    with pytest.raises(StoreError, match="closed"):
        opened.count()


def test_a_lock_held_too_long_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "alice.sqlite"
    with ResponseStore(path, "alice") as opened, raw(path) as other:
        other.execute("BEGIN IMMEDIATE")  # another kernel holding the write lock
        with pytest.raises(StoreError, match="locked by another program"):
            opened.save("c", "reflect", "i", reflection("x"))
        other.execute("ROLLBACK")
        opened.save("c", "reflect", "i", reflection("x"))  # and the store still works once the lock is gone
        assert opened.count() == 1


def test_threads_of_one_kernel_share_a_store(store: ResponseStore) -> None:
    def write(n: int) -> None:
        for i in range(50):
            store.save("c", "reflect", f"e{n}-i{i}", {"stages": {"feelings": f"{n}:{i}"}})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = store.attempts()
    assert len(found) == 200
    assert len({a.uid for a in found}) == 200


# -- imported attempts --------------------------------------------------------------------------


def imported(uid: str, time: str, text: str, trainee: str = "alice") -> Attempt:
    return Attempt(uid, trainee, time, "c", "reflect", "i", reflection(text))


def test_add_imported_keeps_uid_and_time_once(store: ResponseStore) -> None:
    old = imported("a" * 32, "2020-01-01T00:00:00.000000+00:00", "old")
    assert store.add_imported(old) is True
    assert store.add_imported(old) is False
    (back,) = store.attempts()
    assert (back.uid, back.time, back.answer, back.seq) == (old.uid, old.time, old.answer, 1)


def test_an_older_import_does_not_shadow_newer_work(store: ResponseStore) -> None:
    newer = store.save("c", "reflect", "i", reflection("today"))
    store.add_imported(imported("b" * 32, "2020-01-01T00:00:00.000000+00:00", "years ago"))
    assert store.latest()[("c", "reflect", "i")].uid == newer.uid


def test_import_refuses_another_trainees_attempt(store: ResponseStore) -> None:
    with pytest.raises(StoreError, match="belongs to trainee 'bob'"):
        store.add_imported_many(
            [
                imported("c" * 32, "2020-01-01T00:00:00.000000+00:00", "fine"),
                imported("d" * 32, "2020-01-01T00:00:00.000000+00:00", "not alice's", trainee="bob"),
            ]
        )
    assert store.count() == 0  # all or nothing


def test_import_refuses_an_answer_that_does_not_fit(store: ResponseStore) -> None:
    made_up = Attempt("f" * 32, "alice", "2020-01-01T00:00:00.000000+00:00", "c", "e", "i", {"text": "made up"})
    with pytest.raises(StoreError, match=r"^not saved: e exercise: unknown exercise 'e'"):
        store.add_imported_many([imported("c" * 32, "2020-01-01T00:00:00.000000+00:00", "fine"), made_up])
    assert store.count() == 0  # all or nothing


# -- drafts: text typed but not submitted -------------------------------------------------------


def test_a_new_draft_replaces_the_last_one_of_its_item(store: ResponseStore) -> None:
    first = store.save_draft("c", "respond", "mh-cs-beginner-1", {"response": "I notice"})
    assert first is not None and first.role == "draft"
    second = store.save_draft("c", "respond", "mh-cs-beginner-1", {"response": "I notice you", "note": "  "})
    assert second is not None
    assert store.attempts() == [second]  # one row per item: the earlier draft is gone
    # every field is kept, a blank one too: a box the trainee emptied must stay empty on refill
    assert second.answer == {"fields": {"response": "I notice you", "note": "  "}}
    assert store.draft("c", "respond", "mh-cs-beginner-1") == {"response": "I notice you", "note": "  "}
    assert store.draft("c", "respond", "mh-cs-beginner-2") == {}  # no draft: nothing to refill
    kept = store.draft("c", "respond", "mh-cs-beginner-1")
    kept["response"] = "changed by the caller"
    assert store.draft("c", "respond", "mh-cs-beginner-1") == {"response": "I notice you", "note": "  "}


def test_a_draft_that_does_not_fit_leaves_the_last_one_in_place(store: ResponseStore) -> None:
    store.save_draft("c", "reflect", "r1", {"feelings": "uneasy"})
    with pytest.raises(StoreError, match=r"^not saved: reflect answer\.fields\.feelings: "):
        store.save_draft("c", "reflect", "r1", {"feelings": "x" * 20_001})
    assert store.draft("c", "reflect", "r1") == {"feelings": "uneasy"}
    assert store.count() == 1


def test_an_empty_draft_clears_the_items_draft(store: ResponseStore) -> None:
    store.save_draft("c", "reflect", "r1", {"feelings": "uneasy"})
    store.save_draft("c", "reflect", "r2", {"feelings": "kept"})
    assert store.save_draft("c", "reflect", "r1", {"feelings": "  ", "analysis": ""}) is None
    assert store.draft("c", "reflect", "r1") == {}
    assert store.draft("c", "reflect", "r2") == {"feelings": "kept"}  # other items' drafts stay
    assert [a.item for a in store.attempts()] == ["r2"]
    assert store.save_draft("c", "reflect", "r3", {}) is None  # clearing where there is none is fine
    assert store.count() == 1


def test_submitting_an_item_removes_its_draft_and_no_other(store: ResponseStore) -> None:
    store.save_draft("c", "reflect", "r1", {"feelings": "half a thought"})
    store.save_draft("c", "reflect", "r2", {"feelings": "another item"})
    store.save_draft("c2", "reflect", "r1", {"feelings": "same item, other challenge"})
    store.save_draft("c", "respond", "r1", {"response": "same item id, other exercise"})
    submitted = store.save("c", "reflect", "r1", reflection("the whole thought"))
    assert store.draft("c", "reflect", "r1") == {}
    assert store.attempts(challenge="c", exercise="reflect", item="r1") == [submitted]
    assert store.draft("c", "reflect", "r2") == {"feelings": "another item"}
    assert store.draft("c2", "reflect", "r1") == {"feelings": "same item, other challenge"}
    assert store.draft("c", "respond", "r1") == {"response": "same item id, other exercise"}
    # A supervisor's feedback on the item is not the trainee submitting it: the draft stays.
    store.save_draft("c", "reflect", "r1", {"feelings": "rewriting"})
    store.save("c", "feedback", "reflect/r1", {"comment": "good"}, role="supervisor", author="Dr B")
    assert store.draft("c", "reflect", "r1") == {"feelings": "rewriting"}


def test_a_submission_that_fails_to_commit_keeps_the_draft(store: ResponseStore) -> None:
    # The draft is deleted in the submission's own transaction: no commit, no deletion.
    store.save_draft("c", "reflect", "r1", {"feelings": "not lost"})
    with raw(store.path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON attempts WHEN NEW.role = 'trainee' "
            "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
        )
    with pytest.raises(StoreError, match="cannot save: the disk is full"):
        store.save("c", "reflect", "r1", reflection("submitted"))
    assert store.draft("c", "reflect", "r1") == {"feelings": "not lost"}
    with raw(store.path) as conn:
        conn.execute("DROP TRIGGER refuse")
    store.save("c", "reflect", "r1", reflection("submitted"))
    assert store.draft("c", "reflect", "r1") == {}


def test_drafts_are_never_current_but_read_store_gives_them_as_drafts(store: ResponseStore) -> None:
    submitted = store.save("c", "reflect", "r1", reflection("submitted"))
    after = store.save_draft("c", "reflect", "r1", {"feelings": "rewriting after submitting"})
    never = store.save_draft("c", "reflect", "r2", {"feelings": "never submitted"})
    assert store.latest() == {("c", "reflect", "r1"): submitted}
    assert store.latest(challenge="c", exercise="reflect") == {("c", "reflect", "r1"): submitted}
    assert store.attempts(role="trainee") == [submitted]
    owner, attempts = read_store(store.path, "alice")
    assert owner == "alice"
    assert attempts == [submitted, after, never] == store.attempts()
    assert [(a.role, a.item, a.answer) for a in attempts if a.role != "trainee"] == [
        ("draft", "r1", {"fields": {"feelings": "rewriting after submitting"}}),
        ("draft", "r2", {"fields": {"feelings": "never submitted"}}),
    ]


# -- stores an older version left in WAL mode ---------------------------------------------------


def test_a_wal_store_is_converted_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    make_wal_store(path).close()
    with ResponseStore(path, "alice") as opened:
        assert listing(tmp_path) == ["alice.sqlite"]  # -wal checkpointed into the file and removed
        saved = opened.save("c", "reflect", "i", reflection("new"))
        assert listing(tmp_path) == ["alice.sqlite"]
    assert path.read_bytes()[18:20] == b"\x01\x01"
    assert [a.uid for a in read_store(path, "alice")[1]] == ["0" * 32, saved.uid]


def test_while_an_old_kernel_holds_it_in_wal_mode_every_save_is_still_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    copy = tmp_path / "copy" / "alice.sqlite"
    copy.parent.mkdir()
    old_kernel = make_wal_store(path)
    try:
        with ResponseStore(path, "alice") as opened:
            first = opened.save("c", "reflect", "i", reflection("one"))  # cannot leave WAL mode: checkpointed
            assert Path(f"{path}-wal").exists()
            # The old kernel saves too (into -wal only); the next save's checkpoint carries it along.
            old_kernel.execute('UPDATE attempts SET answer = \'{"stages": {"feelings": "old, edited"}}\' WHERE seq = 1')
            second = opened.save("c", "reflect", "i", reflection("two"))
            copy.write_bytes(path.read_bytes())  # the .sqlite alone, as a supervisor copies it
            _, attempts = read_store(copy, "alice")
            assert [a.uid for a in attempts] == ["0" * 32, first.uid, second.uid]
            assert attempts[0].answer == {"stages": {"feelings": "old, edited"}}
            old_kernel.close()
            third = opened.save("c", "reflect", "i", reflection("three"))  # now alone: leaves WAL mode
            assert listing(tmp_path) == ["alice.sqlite", "copy"]
            assert path.read_bytes()[18:20] == b"\x01\x01"
            assert [a.uid for a in opened.attempts()][-1] == third.uid
    finally:
        old_kernel.close()


def test_an_old_kernel_putting_the_store_back_into_wal_mode_loses_nothing_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    with ResponseStore(path, "alice") as opened, raw(path) as old_kernel:
        old_kernel.execute("PRAGMA journal_mode=WAL")  # what an older version does on open
        saved = opened.save("c", "reflect", "i", reflection("after the switch"))
        copy = tmp_path / "copy.sqlite"
        copy.write_bytes(path.read_bytes())
        assert [a.uid for a in read_store(copy, "alice")[1]] == [saved.uid]


# -- read_store: read-only readers ---------------------------------------------------------------


def test_read_store_gives_the_owner_and_every_attempt_oldest_first(store: ResponseStore) -> None:
    saved = [store.save("c", "reflect", f"i{n}", reflection(str(n))) for n in range(3)]
    feedback = store.save("c", "feedback", "reflect/i0", {"comment": "good"}, role="supervisor", author="Dr B")
    owner, attempts = read_store(store.path)
    assert owner == "alice"
    assert attempts == [*saved, feedback] == store.attempts()
    assert read_store(store.path, "alice") == (owner, attempts)
    assert store_owner(store.path) == "alice"


def state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size, p.read_bytes()) for p in folder.iterdir()}


def test_read_store_creates_and_changes_nothing_even_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    with ResponseStore.open(folder, "alice") as opened:
        opened.save("c", "reflect", "i", reflection("mine"))
    path = folder / "alice.sqlite"
    os.chmod(path, 0o400)
    os.chmod(folder, 0o500)
    try:
        before = state(folder)
        assert len(read_store(path, "alice")[1]) == 1
        assert store_owner(path) == "alice"
        assert state(folder) == before  # no -journal, -wal or -shm, and the file untouched
    finally:
        os.chmod(folder, 0o700)


def test_read_store_of_a_closed_wal_store_creates_nothing(tmp_path: Path) -> None:
    # A plain read-only connection would leave -wal and -shm beside an old WAL-mode store.
    path = tmp_path / "alice.sqlite"
    make_wal_store(path).close()
    before = state(tmp_path)
    assert [a.uid for a in read_store(path, "alice")[1]] == ["0" * 32]
    assert state(tmp_path) == before


def test_read_store_reads_a_wal_store_again_if_it_changed_during_the_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read as immutable, i.e. without a lock: a change meanwhile (the file's mtime moves) voids the read.
    path = tmp_path / "alice.sqlite"
    make_wal_store(path).close()
    reads: list[bool] = []
    changing = [True]  # whether the next read overlaps a change
    unlocked_read = store_module._read

    def read_while_a_writer_writes(*args: Any, **kwargs: Any) -> tuple[str, list[Attempt]]:
        reads.append(kwargs["immutable"])
        found = unlocked_read(*args, **kwargs)
        if changing.pop():
            os.utime(path, ns=(0, len(reads)))
        return found

    monkeypatch.setattr(store_module, "_read", read_while_a_writer_writes)
    changing[:] = [False, True]
    assert len(read_store(path)[1]) == 1
    assert reads == [True, True]
    changing[:] = [True] * 3
    with pytest.raises(StoreError, match="kept changing while it was being read; try again"):
        read_store(path)


def test_read_store_takes_no_write_lock(store: ResponseStore) -> None:
    kept = store.save("c", "reflect", "i", reflection("committed"))
    with raw(store.path) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another kernel in the middle of a save
        writer.execute("INSERT INTO meta VALUES ('probe', 'x')")
        assert read_store(store.path, "alice")[1] == [kept]  # not blocked, and sees only what is committed
        writer.execute("ROLLBACK")
    read_store(store.path)
    store.save("c", "reflect", "i", reflection("next"))  # and a read leaves no lock behind


def damaged_answer(path: Path) -> None:
    with ResponseStore(path, "alice") as opened:
        opened.save("c", "reflect", "i", reflection("x"))
    with raw(path) as conn:
        conn.execute("UPDATE attempts SET answer = '{not json'")


def wrong_version(path: Path) -> None:
    ResponseStore(path, "alice").close()
    with raw(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def empty_database(path: Path) -> None:
    with raw(path) as conn:
        conn.execute("PRAGMA user_version = 1")  # writes the header: a valid database with no tables


def other_database(path: Path) -> None:
    with raw(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: None, "no such response store"),
        (lambda p: p.write_bytes(b""), "not a clinician-workbook response store (empty file)"),
        (lambda p: p.write_bytes(bytes(range(256)) * 64), "not a response store (not an SQLite database)"),
        (lambda p: p.mkdir(), "not a response store (not a file)"),
        (empty_database, "not a clinician-workbook response store (no meta table)"),
        (other_database, "not a clinician-workbook response store (no meta table)"),
        (wrong_version, "schema version 99"),
        (lambda p: ResponseStore(p, "bob").close(), "belongs to trainee 'bob', not 'alice'"),
    ],
    ids=["missing", "empty", "garbage", "folder", "empty-db", "other-db", "version", "owner"],
)
def test_read_store_refuses_in_one_line_naming_the_file(
    tmp_path: Path, make: Callable[[Path], object], words: str
) -> None:
    path = tmp_path / "alice.sqlite"
    make(path)
    before = listing(tmp_path)
    with pytest.raises(StoreError) as caught:
        read_store(path, "alice")
    message = str(caught.value)
    assert words in message
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert listing(tmp_path) == before  # a refused file is not created, repaired or given side files


def test_a_damaged_row_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    damaged_answer(path)
    with ResponseStore(path, "alice") as opened:
        good = opened.save("c", "reflect", "j", reflection("fine"))
    _, attempts = read_store(path, "alice")
    assert [a.answer for a in attempts] == [{}, good.answer]  # read as an answer that fits no model


def test_a_name_sqlite_cannot_store_leaves_no_stub(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not valid text"):
        ResponseStore.open(tmp_path / "responses", "Eve\udcff")
    assert not (tmp_path / "responses").exists()
