"""GET / : the page a trainee or supervisor opens in the browser (HTML, no scripts)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from .conftest import PREFIX, Service
from .helpers import feedback_row


def test_a_trainee_sees_their_hand_ins_and_no_one_elses(service: Service, handin_of: Any) -> None:
    service.post("api/handins", "ada", handin_of("ada"))
    service.post("api/handins", "ada", handin_of("ada"))
    service.post("api/handins", "bob", handin_of("bob"))
    reply = service.get("", "ada")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'none';")
    assert reply.headers["Cache-Control"] == "no-store" and reply.headers["X-Content-Type-Options"] == "nosniff"
    page = reply.body.decode()
    assert '<html lang="en">' in page and "<script" not in page and "http" not in page.split("<body>")[1]
    assert re.findall(r"<tr><td>(\d+)</td>", page) == ["1", "2"]
    assert "bob" not in page and "Your trainees" not in page


def test_a_supervisor_sees_each_trainee_with_the_command_to_open_it(service: Service, handin_of: Any) -> None:
    service.post("api/handins", "ada", handin_of("ada"))
    service.post("api/feedback/ada", "sam", {"attempts": [feedback_row("sam"), feedback_row("sam")]})
    service.post("api/handins", "cy", handin_of("cy"))
    page = service.get("", "sam").body.decode()
    assert "Your trainees" in page
    ada = page.split('<th scope="row">ada</th>')[1].split("</tr>")[0]
    assert "<td>1</td>" in ada and "<td>2</td>" in ada  # attempt 1, 2 feedback notes
    assert "<code>workbook supervise --hub ada</code>" in ada
    bob = page.split('<th scope="row">bob</th>')[1].split("</tr>")[0]
    assert "not handed in yet" in bob and "workbook supervise" not in bob
    assert ">cy<" not in page  # another cohort


def test_names_are_escaped_and_quoted_for_the_shell(service: Service, handin_of: Any) -> None:
    name = "<b>Ann O'Neil</b>"
    service.hub.add_user(name, "cohort-a")
    assert service.post("api/handins", name, handin_of(name)).status == 201
    page = service.get("", "sam").body.decode()
    assert "<b>Ann" not in page
    assert "workbook supervise --hub &#39;&lt;b&gt;Ann O&#39;&#34;&#39;&#34;&#39;Neil&lt;/b&gt;&#39;" in page


def test_a_browser_without_a_login_is_sent_to_the_hub(service: Service) -> None:
    reply = service.get("")
    assert reply.status == 302
    target = urlparse(reply.headers["Location"])
    assert target.path == "/hub/api/oauth2/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["service-workbook"] and query["redirect_uri"] == [PREFIX + "oauth_callback"]
    assert "state" in query
    if getattr(service.settings.hub_auth, "pkce_enabled", False):  # JupyterHub 6 adds PKCE
        assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert any(c.startswith("service-workbook-oauth-state") for c in reply.headers.get_all("Set-Cookie") or [])


def test_a_user_without_access_gets_an_html_403(service: Service) -> None:
    reply = service.get("", "eve")
    assert reply.status == 403 and "<h1>Hand-ins and feedback: error 403</h1>" in reply.body.decode()
