"""The hub client side against a stand-in service: hand-in bytes, feedback pulled once, one-line
errors, a supervisor's feedback sent (and sent again after a failure), `workbook handin` and
`workbook supervise --hub`."""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinician_workbook.cli import main
from clinician_workbook.hub.client import HubClient, HubError, NotOnHub
from clinician_workbook.hub.exchange import (
    FeedbackSender,
    fetch_for_review,
    hand_in,
    pull_feedback,
    pull_feedback_quietly,
)
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.responses.handin import export_text
from clinician_workbook.supervision import SupervisorRecorder
from clinician_workbook.workspace import init_workspace
from tests.unit.conftest import COURSE, PRACTICE
from tests.unit.hub_fake import Fake, fake_service

TOKENS = {"tok-ana": "ana", "tok-sup": "sup"}
REFLECTION = {"stages": {"description": "a private thought"}}


@pytest.fixture
def fake() -> Iterator[Fake]:
    with fake_service(TOKENS) as service:
        yield service


def ana_store(folder: Path) -> ResponseStore:
    store = ResponseStore(store_path(folder, "ana"), "ana")
    store.save(PRACTICE, "knowledge-check", "kc-1", {"choice": 1})
    store.save(PRACTICE, "reflect", "refl-private", REFLECTION)  # private: never handed in
    store.save(PRACTICE, "reflect", "refl-shared", REFLECTION, shared=True)
    store.save_draft(PRACTICE, "respond", "stmt-1", {"response": "half typed"})
    return store


def note_row(uid: str, author: str = "sup", comment: str = "Good start.") -> dict[str, object]:
    return {
        "uid": uid,
        "time": "2026-01-05T10:00:00.000000+00:00",
        "challenge": PRACTICE,
        "exercise": "feedback",
        "item": "knowledge-check/kc-1",
        "answer": {"ratings": {}, "comment": comment, "next_step": ""},
        "role": "supervisor",
        "author": author,
        "shared": False,
    }


def test_off_a_hub_is_one_line_pointing_at_export() -> None:
    with pytest.raises(NotOnHub) as found:
        HubClient.from_env({"JUPYTERHUB_API_TOKEN": "x"})
    message = str(found.value)
    assert "WORKBOOK_HUB_URL" in message and "workbook responses export" in message and "\n" not in message


def test_hand_in_sends_exactly_the_export_and_pulls_feedback_once(fake: Fake, tmp_path: Path) -> None:
    client = HubClient(fake.url, "tok-ana")
    with ana_store(tmp_path) as store:
        fake.feedback["ana"] = [note_row("a" * 32)]
        done = hand_in(client, store)
        assert (done.attempt, done.answers, done.feedback_added) == (1, 2, 1)
        method, path, auth, body = fake.requests[0]
        assert (method, path, auth) == ("POST", "/services/workbook/api/handins", "token tok-ana")
        sent = json.loads(body)
        expected = json.loads(export_text(store))
        assert {k: v for k, v in sent.items() if k != "exported_at"} == {
            k: v for k, v in expected.items() if k != "exported_at"
        }
        assert [r["item"] for r in sent["attempts"]] == ["kc-1", "refl-shared"]  # no private, no draft
        assert hand_in(client, store).attempt == 2  # a second hand-in is a new attempt
        assert pull_feedback(client, store) == 0  # the same uid is not added twice
        (note,) = store.attempts(role="supervisor")
        assert note.author == "sup" and note.answer["comment"] == "Good start."


def test_feedback_for_someone_else_is_refused(fake: Fake, tmp_path: Path) -> None:
    document = {
        "format": "clinician-workbook-responses",
        "version": 1,
        "trainee": "ana",
        "attempts": [note_row("b" * 32)],
    }
    fake.fail = (200, json.dumps(document).encode())  # a confused service answering with ana's feedback
    with ResponseStore(store_path(tmp_path, "bob"), "bob") as bob:
        bob.save(PRACTICE, "knowledge-check", "kc-1", {"choice": 1})
        with pytest.raises(HubError, match="sent feedback for 'ana', not 'bob'"):
            pull_feedback(HubClient(fake.url, "tok-ana"), bob)
        assert bob.attempts(role="supervisor") == []


def test_service_errors_are_one_line(fake: Fake) -> None:
    client = HubClient(fake.url, "tok-ana")
    fake.fail = (403, b'{"message": "ana may not\\nread this"}')
    with pytest.raises(HubError, match=r"^the hub service refused \(403\): ana may not read this$"):
        client.me()
    fake.fail = (502, b"<html>Bad gateway</html>")
    with pytest.raises(HubError, match=r"refused \(502\): Bad Gateway"):
        client.me()
    fake.fail = (200, b"<html>a login page</html>")
    with pytest.raises(HubError, match="not JSON"):
        client.me()
    fake.fail, fake.delay = None, 1.5
    with pytest.raises(HubError, match=r"did not answer within 0.3 s"):
        HubClient(fake.url, "tok-ana", timeout=0.3).me()


def test_unreachable_service_is_one_line(tmp_path: Path) -> None:
    with fake_service(TOKENS) as gone:
        url = gone.url
    with pytest.raises(HubError, match=r"^cannot reach the hub service at http://127\.0\.0\.1:") as found:
        HubClient(url, "tok-ana", timeout=2).me()
    assert "\n" not in str(found.value)


def test_a_page_start_never_raises_and_touches_nothing_without_a_store(
    fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_HUB_URL", fake.url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "tok-ana")
    missing = store_path(tmp_path / "none", "ana")
    assert pull_feedback_quietly(missing, "ana") is None and not missing.exists() and fake.requests == []
    ana_store(tmp_path).close()
    fake.feedback["ana"] = [note_row("c" * 32)]
    assert pull_feedback_quietly(store_path(tmp_path, "ana"), "ana") is None
    fake.fail = (500, b'{"message": "database locked"}')
    note = pull_feedback_quietly(store_path(tmp_path, "ana"), "ana")
    assert note == "the hub service refused (500): database locked"
    with ResponseStore(store_path(tmp_path, "ana"), "ana") as store:
        assert len(store.attempts(role="supervisor")) == 1


def test_supervisor_feedback_is_saved_here_and_sent_again_after_a_failure(fake: Fake, tmp_path: Path) -> None:
    sender = FeedbackSender(HubClient(fake.url, "tok-sup"), "ana", "sup")
    with ana_store(tmp_path) as store:
        recorder = SupervisorRecorder(store, PRACTICE, "sup", sender)
        fake.fail = (503, b'{"message": "service restarting"}')
        recorder.save("feedback", "knowledge-check/kc-1", {"ratings": {}, "comment": "One", "next_step": ""})
        assert recorder.unsent == "the hub service refused (503): service restarting"
        assert len(store.attempts(role="supervisor")) == 1  # kept here all the same
        fake.fail = None
        recorder.save("feedback", "reflect/refl-shared", {"ratings": {}, "comment": "Two", "next_step": ""})
        assert recorder.unsent is None
        assert sorted(r["answer"]["comment"] for r in fake.feedback["ana"]) == ["One", "Two"]  # the first, again
        sent = json.loads(fake.requests[-1][3])["attempts"]
        assert all(r["role"] == "supervisor" and r["author"] == "sup" for r in sent)


def test_fetch_for_review_saves_owner_only_and_imports_with_feedback(fake: Fake, tmp_path: Path) -> None:
    with ana_store(tmp_path / "ana") as store:
        hand_in(HubClient(fake.url, "tok-ana"), store)
        store.save(PRACTICE, "knowledge-check", "kc-2", {"choice": 0})
        hand_in(HubClient(fake.url, "tok-ana"), store)
    fake.feedback["ana"] = [note_row("d" * 32, author="other-sup")]
    client = HubClient(fake.url, "tok-sup")
    copy, attempt = fetch_for_review(client, "ana", None, tmp_path / "sup")
    assert attempt == 2
    (saved,) = (tmp_path / "sup" / "hub-handins").iterdir()
    assert saved.name.endswith("-attempt-2.json") and stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert saved.read_bytes() == fake.handins["ana"][1]  # byte for byte
    with ResponseStore(copy, "ana") as review:
        assert len(review.attempts(role="trainee")) == 3
        assert [a.author for a in review.attempts(role="supervisor")] == ["other-sup"]
    with pytest.raises(HubError) as found:
        fetch_for_review(client, "ana", 7, tmp_path / "sup")
    assert f"error: {found.value}" == "error: 'ana' has no hand-in attempt 7 (attempts: 1, 2)"
    with pytest.raises(HubError, match="'bob' has not handed in anything yet"):
        fetch_for_review(client, "bob", None, tmp_path / "sup")


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (just released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _on_hub(monkeypatch: pytest.MonkeyPatch, url: str, token: str) -> None:
    monkeypatch.setenv("WORKBOOK_HUB_URL", url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", token)


def test_cli_handin(
    fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = init_workspace(tmp_path / "ws", "ana", COURSE)
    monkeypatch.chdir(workspace.root)
    monkeypatch.delenv("WORKBOOK_HUB_URL", raising=False)
    assert main(["handin"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: not on a training hub (WORKBOOK_HUB_URL and JUPYTERHUB_API_TOKEN not set); "
        "hand in a file instead: workbook responses export --out handin.json"
    ]
    _on_hub(monkeypatch, fake.url, "tok-ana")
    assert main(["handin"]) == 1
    assert "no answers saved yet for 'ana': nothing to hand in" in capsys.readouterr().err
    ana_store(workspace.responses).close()
    fake.feedback["ana"] = [note_row("e" * 32)]
    assert main(["handin"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"handed in attempt 1: 2 answers to {fake.url}",
        "1 new feedback note(s) from your supervisor, shown under the answers",
    ]
    fake.fail = (413, b'{"message": "hand-in larger than 8 MiB"}')
    assert main(["handin"]) == 1
    assert capsys.readouterr().err == "error: the hub service refused (413): hand-in larger than 8 MiB\n"
    port = closed_port()
    _on_hub(monkeypatch, f"http://127.0.0.1:{port}/services/workbook/", "tok-ana")
    assert main(["handin"]) == 1
    assert capsys.readouterr().err.replace(f":{port}/", ":10101/").splitlines() == [
        "error: cannot reach the hub service at http://127.0.0.1:10101/services/workbook/: "
        "[Errno 111] Connection refused"
    ]


def test_cli_supervise_hub_writes_the_notebook_for_this_lab(
    fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ana_store(tmp_path / "ana") as store:
        hand_in(HubClient(fake.url, "tok-ana"), store)
    _on_hub(monkeypatch, fake.url, "tok-sup")
    monkeypatch.chdir(tmp_path)
    assert main(["supervise", "--hub", "ana", "--content", str(COURSE)]) == 0
    out = capsys.readouterr().out.strip()
    notebook = Path(out.rsplit(": ", 1)[1])
    assert out.startswith("hand-in 1 of 'ana' is ready") and notebook.parent == Path("supervision")
    text = notebook.read_text(encoding="utf-8")
    assert "hub = True" in text and "supervisor = 'sup'" in text and "supervisor-copies" in text
    assert main(["supervise", "--hub", "ana", "--supervisor", "Someone Else"]) == 1
    assert "your hub name 'sup'" in capsys.readouterr().err
    assert main(["supervise", "--hub", "ana", "--attempt", "0"]) == 1
    assert main(["supervise"]) == 1
    assert "STORE|HANDIN: give the trainee's store" in capsys.readouterr().err
