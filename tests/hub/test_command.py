"""`python -m clinician_workbook.hub`: one-line errors for what an admin can get wrong, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinician_workbook.hub.__main__ import main


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith(("JUPYTERHUB_", "WORKBOOK_HUB_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_the_options_and_their_env_vars(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--db", "--max-bytes", "--supervisors-group", "--admins-group", "WORKBOOK_HUB_DB"):
        assert option in out


def test_outside_a_hub_it_says_who_starts_it(clean_env: Path) -> None:
    """The real command, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "WORKBOOK_HUB_"))}
    done = subprocess.run(
        [sys.executable, "-m", "clinician_workbook.hub"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stdout.strip().splitlines() == [
        "error: JUPYTERHUB_API_TOKEN is not set: JupyterHub starts this service (c.JupyterHub.services)"
    ]
    assert list(clean_env.iterdir()) == []  # nothing created


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--db", "sqlite://"], {}, "an in-memory database would lose every hand-in"),
        ([], {"WORKBOOK_HUB_DB": "nonsense"}, "not a database URL"),
        (["--max-bytes", "10"], {}, "--max-bytes 10: too small for a hand-in"),
        ([], {"WORKBOOK_HUB_MAX_BYTES": "lots"}, "WORKBOOK_HUB_MAX_BYTES='lots': not a whole number of bytes"),
    ],
)
def test_bad_settings_are_one_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    expected: str,
) -> None:
    for name, value in {"JUPYTERHUB_API_TOKEN": "x", **env}.items():
        monkeypatch.setenv(name, value)
    assert main(args) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


def service_env(**given: str) -> dict[str, str]:
    """This process's environment without any hub or service setting, plus what JupyterHub gives a service."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "WORKBOOK_HUB_"))}
    return env | {"JUPYTERHUB_API_TOKEN": "t", "JUPYTERHUB_CLIENT_ID": "service-workbook", **given}


def test_it_serves_where_told_and_stops_on_sigterm(tmp_path: Path) -> None:
    """As a hub starts it: env from JupyterHub; --bind (WORKBOOK_HUB_BIND) when the service URL names another host."""
    import http.client
    import signal
    import time

    from tornado.testing import bind_unused_port

    sock, port = bind_unused_port()
    sock.close()
    env = service_env(
        JUPYTERHUB_API_URL="http://127.0.0.1:9/hub/api",
        JUPYTERHUB_SERVICE_URL=f"http://hub.invalid:{port}",  # a name this machine cannot bind
        JUPYTERHUB_SERVICE_PREFIX="/services/workbook/",
        WORKBOOK_HUB_BIND="127.0.0.1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "clinician_workbook.hub"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/services/workbook/api/me")
                status = connection.getresponse().status
                connection.close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stdout.read()  # type: ignore[union-attr]
                time.sleep(0.2)
        assert status == 401
        db = tmp_path / "workbook-hub.sqlite"  # the default: the working folder, owner-only
        assert db.exists() and db.stat().st_mode & 0o077 == 0
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output and f"serving on http://127.0.0.1:{port}" in output


def test_an_address_it_cannot_listen_on_is_one_line(tmp_path: Path) -> None:
    env = service_env(JUPYTERHUB_SERVICE_URL="http://hub.invalid:10101")
    done = subprocess.run(
        [sys.executable, "-m", "clinician_workbook.hub"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("error: cannot listen on hub.invalid:10101: ")
    assert done.stdout.splitlines()[-1].endswith(" (see --bind)")
