"""``workbook batch``: handouts (or review documents) for a whole cohort, fast and resumable.

One item = one trainee x one challenge. Items run on local worker processes or on a Dask
cluster through the same ``concurrent.futures`` interface and the same ``render_item``
function. Each worker renders notebooks in-process (:class:`~.runner.InProcessRunner`, no
kernel), reuses one HTML exporter and one Chromium, and returns the documents as bytes; the
batch process writes every file atomically and journals it (:func:`run_batch`). So a worker
writes nothing, needs no output folder, and may run on another machine: documents and
journal stay on the disk of the machine that ran ``workbook batch``. A journal beside the
outputs records the key (a hash of the content, the notebook, the parameters, the package
version and, in review mode, the store's state) each output was made from, so a rerun skips
what is up to date.

What a worker reads: the package (it must be the batch's version), the course (the bundled
one ships with the package; a ``--content`` folder is read at the same absolute path), and in
review mode the trainees' stores (``--responses``, at the same absolute path). A worker
checks the version and the course's digest before rendering and fails the item in one line
when they differ from the batch's, so a document is never journaled under a key it was not
made from.

File modes are decided by the mode of the batch (:func:`file_mode`): review documents hold
trainees' answers and are owner-only (0600) in folders created 0700; handouts hold no answers
(a name and a cohort on a blank worksheet, made to be printed and handed out) and are 0644 in
ordinary folders. The journal is always owner-only: nobody else needs it, and in review mode
its keys say when each trainee's answers last changed.

Stopping: local workers never outlive the batch. Workers are forked from a forkserver that has
imported what they need once (:mod:`.workers`); each watches the batch process and exits the
moment it ends (:func:`~.lifetime.die_with`, a pidfd; and SIGKILL with its parent, so even
``kill -9`` of the batch takes them down), and ignores SIGINT (a Ctrl-C reaches the whole process group; the batch
decides). A worker's Playwright driver exits when its pipe from the worker closes and closes
its Chromium on the way out (see :mod:`.export.browser`). On SIGTERM or SIGINT the batch
cancels what has not started, writes and records what has arrived, kills its workers and
exits with one line (:class:`~.lifetime.Stopped`). Each document is journaled as its result
arrives, so a rerun after any kill skips it. Dask workers are the cluster's, not ours: a stop
cancels the batch's tasks there, and a worker renders one item at a time however many threads
it has (one IPython shell per process).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, workers
from .content import forget_loaded, load_bundled
from .content.loader import content_files
from .errors import UsageError, WorkbookError
from .files import PRIVATE, SHARED, make_private_dir, write_atomic
from .lifetime import Stopped, die_with, die_with_parent, stop_on_signals
from .notebooks import notebook_text
from .pages import find_page, page_title
from .paths import bundled_content_dir
from .progress import Progress
from .responses import read_store, safe_filename, store_path
from .roster import Trainee
from .runner import notebook_for

if TYPE_CHECKING:
    from .export.pdf import Paper
    from .export.printing import BackgroundPrinter

JOURNAL = ".workbook-batch.jsonl"
MODES = ("handout", "review")


def file_mode(mode: str) -> int:
    """The file mode of a batch's documents: owner-only unless they are handouts (no answers)."""
    return SHARED if mode == "handout" else PRIVATE


@dataclass(frozen=True)
class Item:
    """One document to make: picklable, so it can go to a worker process or a Dask worker."""

    trainee: str
    challenge: str
    mode: str
    formats: tuple[str, ...]
    parameters: dict[str, Any]
    outputs: tuple[str, ...]  # absolute paths on the batch's machine, one per format
    key: str
    paper: Paper = "A4"
    course: str = ""  # the digest of the course the key was made from (content_digest)
    version: str = __version__  # of the planning process: a worker checks it has the same

    @property
    def label(self) -> str:
        return f"{self.trainee} / {self.challenge}"


@dataclass(frozen=True)
class Result:
    item: Item
    status: str  # done | skipped | failed
    reason: str = ""  # one line, when failed
    seconds: float = 0.0
    documents: tuple[bytes, ...] = ()  # from a worker, one per output; dropped once written


@dataclass
class Summary:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def table(self) -> str:
        lines = [
            f"{'done':>8} {self.count('done')}",
            f"{'skipped':>8} {self.count('skipped')}  (up to date)",
            f"{'failed':>8} {self.count('failed')}",
            f"{'time':>8} {self.seconds:.1f} s",
        ]
        for r in self.failed:
            lines.append(f"  failed: {r.item.label}: {r.reason}")
        return "\n".join(lines)


# -- planning -----------------------------------------------------------------------------------


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def content_digest(root: Path | None = None) -> str:
    root = root or bundled_content_dir()
    files = content_files(root)
    return _digest(*[p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() for p in files])


def store_state(path: Path, trainee: str) -> str:
    """What a review document depends on in a store (cheap: counts and the newest attempt)."""
    if not path.exists():
        return "missing"
    try:
        _, attempts = read_store(path, trainee)  # read-only: planning never locks or converts a store
        newest = max((a.seq for a in attempts), default=0)
        return f"{len(attempts)}:{newest}:{attempts[-1].uid if attempts else ''}"
    except WorkbookError as err:
        return f"unreadable:{err}"  # the item will fail and say why; the key must not hide it


def plan(
    trainees: Sequence[Trainee],
    challenges: Sequence[str],
    mode: str,
    formats: Sequence[str],
    out: Path,
    *,
    responses: Path | None = None,
    date: str | None = None,
    paper: Paper = "A4",
    content: Path | None = None,
) -> list[Item]:
    """The documents to make. ``content`` is the course folder (None: the bundled course); each
    item's key hashes the content files actually used and the notebook built from them."""
    if mode not in MODES:
        raise UsageError(f"--mode: {mode!r} is not one of {', '.join(MODES)}")
    when = date or Date.today().isoformat()
    catalog = load_bundled(content)
    digest = content_digest(content)
    pages = {c: find_page(catalog, c, "--challenges", work=True) for c in challenges}
    notebooks = {c: _digest(notebook_text(notebook_for(catalog, c)).encode()) for c in challenges}
    items = []
    for t in trainees:
        state = ""
        if mode == "review":
            state = store_state(store_path(responses or Path("responses"), t.trainee_id), t.trainee_id)
        for challenge in challenges:
            parameters: dict[str, Any] = {"mode": mode, "date": when, "difficulty": t.difficulty, "seed": 0}
            parameters["content"] = str(content.resolve()) if content else None  # absolute: a worker's
            if mode == "handout":  # working folder is not the batch's
                parameters |= {"trainee": t.name, "cohort": t.cohort}
            else:
                parameters |= {"trainee": t.trainee_id, "responses": str((responses or Path("responses")).resolve())}
            stem = out.resolve() / safe_filename(t.trainee_id) / f"{pages[challenge].stem}.{mode}"
            key = _digest(
                __version__.encode(),
                digest.encode(),
                notebooks[challenge].encode(),
                json.dumps(parameters, sort_keys=True).encode(),
                paper.encode(),
                state.encode(),
            )
            outputs = tuple(str(stem) + f".{fmt}" for fmt in formats)
            items.append(Item(t.trainee_id, challenge, mode, tuple(formats), parameters, outputs, key, paper, digest))
    return items


class Journal:
    """Which key each output was made from; appended line by line, so an interrupted run keeps its work."""

    def __init__(self, out: Path) -> None:
        self.path = out / JOURNAL
        self.keys: dict[str, str] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.keys[entry["path"]] = entry["key"]
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line from a killed run: that output is simply redone

    def up_to_date(self, item: Item) -> bool:
        return all(self.keys.get(p) == item.key and Path(p).exists() for p in item.outputs)

    def record(self, item: Item) -> None:
        make_private_dir(self.path.parent)
        with os.fdopen(
            os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE), "a", encoding="utf-8"
        ) as handle:
            if os.name == "posix":  # open()'s mode is filtered by the umask; this also tightens an older journal
                os.fchmod(handle.fileno(), PRIVATE)
            for p in item.outputs:
                handle.write(json.dumps({"path": p, "key": item.key}) + "\n")
                self.keys[p] = item.key


# -- rendering (runs in worker processes) -------------------------------------------------------

# per worker process: one runner, one exporter, one printer (its own Chromium), and the courses seen
_WORKER: dict[str, Any] = {}
_RENDERING = threading.Lock()  # one IPython shell per process: a Dask worker's threads take turns


def _worker() -> tuple[Any, Any]:
    if "runner" not in _WORKER:
        from .export.html import WorkbookHTMLExporter
        from .runner import InProcessRunner

        _WORKER["runner"], _WORKER["exporter"], _WORKER["courses"] = InProcessRunner(), WorkbookHTMLExporter(), {}
    return _WORKER["runner"], _WORKER["exporter"]


def _printer() -> BackgroundPrinter:
    """This worker's printer, started on first use: its Chromium starts in a thread of its own, so
    a worker that starts it before its first item (:func:`_start_worker`) renders meanwhile."""
    if "printer" not in _WORKER:
        from .export.printing import BackgroundPrinter

        _WORKER["printer"] = BackgroundPrinter()
        atexit.register(_WORKER["printer"].close)  # a Dask worker's; a pool worker ends without atexit
    printer: BackgroundPrinter = _WORKER["printer"]
    return printer


def _start_worker(batch: int, prints: bool) -> None:
    """Pool initializer: this worker ends with the batch process, and leaves Ctrl-C to it; a
    batch that ``prints`` PDFs starts the worker's Chromium now.

    Its parent is the batch's forkserver (or the batch itself, spawned): the worker dies with
    its parent, and with the batch (:func:`~.lifetime.die_with`), since the forkserver outlives
    the batch for as long as a worker is alive. Its printer's Playwright driver and Chromium end
    with it (see :mod:`.export.browser`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(os.getppid())
    if os.getppid() != batch:
        die_with(batch)
    if prints:
        _printer()


def _check_sources(item: Item) -> Path | None:
    """The item's course folder (None: bundled), once this worker is known to have the batch's
    package version and course; a course changed since this process loaded it is loaded again."""
    if item.version != __version__:
        raise UsageError(
            f"this worker has clinician-workbook {__version__}, the batch {item.version}: "
            "install the same version on every worker"
        )
    content = item.parameters.get("content")
    root = Path(content) if content else None
    if root is not None and not root.is_dir():
        raise UsageError(f"{root}: no such course folder on this worker (workers read it at the batch's path)")
    digest = content_digest(root)
    if digest != item.course:
        raise UsageError(
            f"{root or 'the bundled course'}: differs on this worker from the course the batch was planned "
            "from (edited meanwhile, or another copy); give every worker the same course and run again"
        )
    seen = _WORKER["courses"]
    if seen.get(root, digest) != digest:
        forget_loaded()
    seen[root] = digest
    return root


def render_item(item: Item) -> Result:
    """Make one item's documents, as bytes (one per output), writing nothing.

    Never raises: a failure is a Result with a one-line reason.
    """
    started = time.monotonic()
    try:
        from .export.document import render_documents

        with _RENDERING:
            runner, exporter = _worker()
            catalog = load_bundled(_check_sources(item))
            page = find_page(catalog, item.challenge, "--challenges", work=True)
            nb = runner.run(notebook_for(catalog, page.id), item.parameters, page.notebook)
            title = f"{item.parameters['trainee']}: {page_title(catalog, page.id)} ({item.mode})"
            printer = _printer() if "pdf" in item.formats else None
            documents = tuple(render_documents(exporter, nb, item.formats, item.paper, title, printer))
    except Exception as err:  # a batch must finish: report the item, keep going
        return Result(item, "failed", _one_line(err), time.monotonic() - started)
    return Result(item, "done", "", time.monotonic() - started, documents)


def _one_line(err: Exception) -> str:
    reason = str(err).splitlines()[0] if str(err) else ""
    return reason if isinstance(err, WorkbookError) else f"{type(err).__name__}: {reason}"


def write_result(result: Result) -> Result:
    """Write a worker's documents to the item's outputs, atomically, with the batch's file mode;
    return the result without its bytes (failed, in one line, if a file cannot be written)."""
    try:
        for output, payload in zip(result.item.outputs, result.documents, strict=True):
            write_atomic(Path(output), payload, mode=file_mode(result.item.mode))
    except WorkbookError as err:  # a full disk, a folder in the way: this item fails, not the batch
        return replace(result, status="failed", reason=_one_line(err), documents=())
    return replace(result, documents=())


# -- running ------------------------------------------------------------------------------------


@contextmanager
def executor_for(jobs: int, scheduler: str | None, prints: bool = False) -> Iterator[Executor]:
    """Local worker processes, or a Dask cluster: the same ``submit(render_item, item)`` either way.
    Local workers of a batch that ``prints`` PDFs start their Chromium as they start.

    Leaving on an exception (a stop) cancels what has not started and, locally, ends the
    workers at once rather than waiting for the documents they are making.
    """
    if scheduler:
        try:
            from distributed import Client
        except ImportError as err:
            raise UsageError("--scheduler needs Dask: pip install 'clinician-workbook[dask]'") from err
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as err:
            raise UsageError(f"--scheduler: cannot reach {scheduler}: {err}") from err
        executor = client.get_executor()
        try:
            yield executor
        except BaseException:
            executor.shutdown(wait=False)  # Dask's executor: wait=False cancels its futures
            raise
        finally:
            client.close()
    else:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=workers.context(),
            initializer=_start_worker,
            initargs=(os.getpid(), prints),
        )
        try:
            yield pool
        except BaseException:
            # the pool forgets its processes on shutdown: take them first
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            workers.end(processes)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def run_batch(
    items: Sequence[Item],
    out: Path,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Make ``items`` (skipping those up to date), journaling each as it finishes.

    On SIGTERM or SIGINT (main thread only): raises :class:`~.lifetime.Stopped`, whose message
    says how many documents were finished and kept, after the workers are gone.
    """
    started = time.monotonic()
    if all(file_mode(item.mode) == SHARED for item in items):
        out.mkdir(parents=True, exist_ok=True)
    else:
        make_private_dir(out)
    journal = Journal(out)
    summary = Summary()
    todo = []
    for item in items:
        if not force and journal.up_to_date(item):
            summary.results.append(Result(item, "skipped"))
            if progress:
                progress.update(item.label, "skipped")
        else:
            todo.append(item)

    def finish(arrived: Result) -> None:
        result = write_result(arrived) if arrived.status == "done" else arrived
        if result.status == "done":
            journal.record(result.item)  # now, not at the end: a kill after this keeps the document
        summary.results.append(result)
        if progress:
            progress.update(result.item.label, result.status)

    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        try:
            with stop_on_signals(), executor_for(jobs, scheduler, any("pdf" in item.formats for item in todo)) as pool:
                # held only until written: a result's bytes are freed as soon as its files are on disk
                waiting: set[Future[Result]] = {pool.submit(render_item, item) for item in todo}
                try:
                    for future in as_completed(waiting):
                        waiting.discard(future)
                        finish(future.result())
                except Stopped:
                    # results that arrived while we were stopping are finished documents too
                    for future in list(waiting):
                        if future.done() and not future.cancelled() and not future.exception():
                            finish(future.result())
                    raise
        except Stopped as err:
            # only this process writes, and write_atomic removes its temporary file when stopped
            if progress and progress.tty and progress.done < progress.total:
                progress.stream.write("\n")  # end the bar's line before the message
            done = summary.count("done") + summary.count("skipped")
            raise Stopped(
                err.signum,
                f"stopped by {signal.Signals(err.signum).name}: {done} of {len(items)} documents finished "
                "and kept; run the same command again to make the rest",
            ) from err
    summary.seconds = time.monotonic() - started
    return summary
