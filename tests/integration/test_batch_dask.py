"""``workbook batch --scheduler``: Dask workers render and send the documents back; only the
batch's own process writes them, so its machine keeps every document and the journal.

The cluster is a ``LocalCluster`` whose worker processes run elsewhere: each moves to a folder of
its own (as a worker on another machine has another working folder) and refuses, by an audit
hook, to create, open for writing, rename or chmod anything under the batch's output folder (as
if that folder were on another disk). The tests check both hold before trusting them.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.batch import JOURNAL, plan, run_batch
from clinician_workbook.roster import Trainee
from tests.factories import answer_all

distributed = pytest.importorskip("distributed")

PAGES = ("feeling-stuck",)
DATE = "2026-02-03"
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
TRAINEES = [Trainee("t000", "Ann One", "C1", "Dr S"), Trainee("t001", "Bob Two", "C1", "Dr S")]


class Elsewhere(distributed.WorkerPlugin):  # type: ignore[misc]
    """In each worker process: work in ``folder``, and never write under ``forbidden``."""

    def __init__(self, folder: str, forbidden: str) -> None:
        self.folder, self.forbidden = folder, forbidden

    def setup(self, worker: Any) -> None:
        os.chdir(self.folder)
        forbidden = self.forbidden

        def refuse(event: str, args: tuple[Any, ...]) -> None:
            if event == "open":
                path, mode, flags = args
                writing = any(c in (mode or "") for c in "wax+") or bool((flags or 0) & WRITES)
                paths = [path] if writing else []
            elif event in ("os.mkdir", "os.chmod", "os.rename", "os.replace", "os.remove", "os.rmdir"):
                paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            else:
                return
            for target in paths:
                if isinstance(target, (str, bytes, os.PathLike)) and os.fsdecode(target).startswith(forbidden):
                    raise PermissionError(f"worker {os.getpid()} may not write {os.fsdecode(target)}")

        sys.addaudithook(refuse)


def _tries_to_write(folder: str) -> str:
    try:
        Path(folder, "probe").write_bytes(b"x")
    except PermissionError as err:
        return f"refused: {err}"
    return "written"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path, Path]]:
    """(a client of a 2-worker cluster, the client's folder, the workers' folder).

    The client's folder is where the tests run the batch; the workers never see it as theirs."""
    root = tmp_path_factory.mktemp("dask")
    client_folder, worker_folder = root / "client", root / "workers"
    client_folder.mkdir()
    worker_folder.mkdir()
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # the scheduler's HTTP routes (metrics) still listen with no dashboard, by default on
            # port 8787 with a warning (an error here) when another run holds it: a free port instead
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            local_directory=str(worker_folder),
        ) as local,
        distributed.Client(local) as client,
    ):
        client.register_plugin(Elsewhere(str(worker_folder), str(client_folder)))
        yield client, client_folder, worker_folder


@pytest.mark.slow
def test_dask_workers_elsewhere_send_documents_that_the_client_writes_and_journals(
    cluster: tuple[Any, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, client_folder, worker_folder = cluster
    monkeypatch.chdir(client_folder)
    # the workers run in another folder and cannot write under the client's: checked, not assumed
    assert set(client.run(os.getcwd).values()) == {str(worker_folder)} != {os.getcwd()}
    assert all(v.startswith("refused") for v in client.run(_tries_to_write, str(client_folder)).values())
    assert set(client.run(os.getpid).values()).isdisjoint({os.getpid()})

    # relative paths, as typed in the client's folder: the workers are elsewhere
    answer_all(Path("responses"), tuple(t.trainee_id for t in TRAINEES))
    out = Path("out")
    items = plan(TRAINEES, PAGES, "review", ("html",), out, responses=Path("responses"), date=DATE)
    first = run_batch(items, out, scheduler=client.scheduler_info()["address"])
    assert first.count("done") == 2 and not first.failed, first.table()
    assert all(not r.documents for r in first.results)  # the bytes are not kept once written

    documents = {Path(item.outputs[0]) for item in items}
    assert {p for p in out.resolve().rglob("*") if p.is_file()} == documents | {out.resolve() / JOURNAL}
    for item in items:
        html = Path(item.outputs[0]).read_text(encoding="utf-8")
        assert f"{item.trainee}:" in html and len(html) > 20_000
    # review documents hold answers: owner-only, in folders made owner-only; the journal too
    assert {stat.S_IMODE(p.stat().st_mode) for p in documents | {out / JOURNAL}} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in {out, *(d.parent for d in documents)}} == {0o700}
    journal = [json.loads(line) for line in (out / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert sorted((e["path"], e["key"]) for e in journal) == sorted((i.outputs[0], i.key) for i in items)
    assert not list(worker_folder.rglob("*.html"))

    again = run_batch(items, out, scheduler=client.scheduler_info()["address"])
    assert again.count("skipped") == 2 and again.count("done") == 0


@pytest.mark.slow
def test_dask_cluster_makes_the_same_handouts_as_local_workers(
    cluster: tuple[Any, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, client_folder, _ = cluster
    monkeypatch.chdir(client_folder)
    pages = ("feeling-stuck", "when-concerning")
    items = plan(TRAINEES, pages, "handout", ("html",), Path("handouts"), date=DATE)
    summary = run_batch(items, Path("handouts"), scheduler=client.scheduler_info()["address"])
    assert summary.count("done") == 4 and not summary.failed, summary.table()
    twins = plan(TRAINEES, pages, "handout", ("html",), Path("local"), date=DATE)
    assert run_batch(twins, Path("local"), jobs=1).count("done") == 4
    for item, twin in zip(items, twins, strict=True):
        made = Path(item.outputs[0])
        assert made.read_bytes() == Path(twin.outputs[0]).read_bytes()
        assert stat.S_IMODE(made.stat().st_mode) == 0o644  # handouts hold no answers: the local path's mode
