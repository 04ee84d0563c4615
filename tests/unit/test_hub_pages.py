"""Pages on a hub: feedback fetched as a page starts (and a failure only a quiet line), the welcome
page's hand-in panel and its status line, and off a hub none of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook import session as session_module
from clinician_workbook.content import Catalog
from clinician_workbook.exercises.handin import HandInPanel
from clinician_workbook.responses import ResponseStore, store_path
from tests.unit.hub_fake import Fake, fake_service
from tests.unit.test_audiences import shown
from tests.unit.test_hub_client import TOKENS, ana_store, note_row


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    with fake_service(TOKENS) as fake:
        monkeypatch.setenv("WORKBOOK_HUB_URL", fake.url)
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "tok-ana")
        yield fake


def test_a_page_fetches_feedback_as_it_starts(hub: Fake, tmp_path: Path, catalog: Catalog) -> None:
    ana_store(tmp_path).close()
    hub.feedback["ana"] = [note_row("f" * 32)]
    wb = session_module.Session("welcome", trainee="ana", responses=tmp_path, catalog=catalog)
    assert wb.hub_note is None
    with ResponseStore(store_path(tmp_path, "ana"), "ana") as store:
        assert [a.author for a in store.attempts(role="supervisor")] == ["sup"]
    session_module.Session("welcome", trainee="ana", responses=tmp_path, catalog=catalog, mode="review")
    assert len([r for r in hub.requests if "/api/feedback/" in r[1]]) == 1  # a document fetches nothing


def test_a_page_opens_when_the_service_does_not_answer(
    hub: Fake, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana_store(tmp_path).close()
    hub.fail = (502, b"")
    wb = session_module.Session("welcome", trainee="ana", responses=tmp_path, catalog=catalog)
    assert wb.hub_note == "the hub service refused (502): Bad Gateway"
    page = shown(monkeypatch, wb.header)
    assert 'role="status"' in page and "could not be fetched just now" in page and "Bad Gateway" in page


def test_the_welcome_page_hands_in_on_a_hub_only(
    hub: Fake, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def panels(call: Any) -> list[HandInPanel]:
        found: list[HandInPanel] = []
        monkeypatch.setattr(session_module, "display", lambda obj, *a, **k: found.append(obj))
        call()
        return [p for p in found if isinstance(p, HandInPanel)]

    wb = session_module.Session("welcome", trainee="ana", responses=tmp_path, catalog=catalog)
    assert "until you hand in" in shown(monkeypatch, wb.welcome)
    (panel,) = panels(wb.welcome)
    assert panel.button.description == "Hand in to my supervisor"
    panel.button.click()
    assert "Not handed in: you have not answered anything yet." in panel.status.value
    ana_store(tmp_path).close()
    hub.feedback["ana"] = [note_row("9" * 32)]
    panel.button.click()
    assert 'role="status"' in panel.status.value and "Handed in attempt 1 (2 answers)" in panel.status.value
    assert "1 new feedback note(s)" in panel.status.value and not panel.button.disabled
    hub.fail = (413, b'{"message": "hand-in larger than 8 MiB"}')
    panel.button.click()
    assert "Not handed in: the hub service refused (413): hand-in larger than 8 MiB" in panel.status.value

    monkeypatch.delenv("WORKBOOK_HUB_URL")
    hub.requests.clear()
    off = session_module.Session("welcome", trainee="ana", responses=tmp_path, catalog=catalog)
    assert panels(off.welcome) == [] and hub.requests == []
    assert "Nothing is sent anywhere." in shown(monkeypatch, off.welcome)
