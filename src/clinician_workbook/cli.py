"""The ``workbook`` command: parse arguments, make one library call, map errors to exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Only what every run needs is imported here; each command imports its own modules, so
# `workbook --help` loads no Jupyter, and `validate` none of nbformat, nbconvert or papermill
# (tests/unit/test_cli_imports.py holds that; benchmarks/cli.py times it).
from . import __version__
from .courses import ENV
from .errors import ProblemsError, UsageError, WorkbookError

if TYPE_CHECKING:
    from .content import Catalog
    from .responses import Attempt
    from .workspace import Workspace


def _course(args: argparse.Namespace) -> Path | None:
    """The course folder a command uses (``--content``, WORKBOOK_CONTENT, the workspace's); None: bundled."""
    from .courses import content_dir

    folder, option = getattr(args, "folder", None), args.content
    if folder and option and Path(folder).resolve() != Path(option).resolve():
        raise UsageError(f"--content: {option} and CONTENT_DIR {folder} name two courses; give one")
    return content_dir(folder or option)


def cmd_validate(args: argparse.Namespace) -> int:
    from .content import validate_content
    from .content.stats import format_summary
    from .paths import bundled_content_dir

    catalog = validate_content(_course(args) or bundled_content_dir())
    print(format_summary(catalog))
    return 0


def cmd_content_stats(args: argparse.Namespace) -> int:
    from .content import validate_content
    from .content.stats import format_stats
    from .paths import bundled_content_dir

    catalog = validate_content(_course(args) or bundled_content_dir())
    print(format_stats(catalog))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .courses import chosen_content
    from .workspace import init_workspace

    # --content or WORKBOOK_CONTENT; an existing workspace keeps its own course
    workspace = init_workspace(Path(args.dir), args.trainee, chosen_content(args.content))
    print(f"workspace ready: {workspace.root} (trainee: {workspace.trainee}); open it with: workbook lab {args.dir}")
    return 0


def _open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace ``lab`` and ``app`` open: DIR's own, made for --trainee if there is none."""
    from .courses import chosen_content
    from .options import check_trainee
    from .workspace import find_workspace, init_workspace

    args.trainee = check_trainee(args.trainee)
    root = Path(args.dir or "workbook-demo")
    workspace = find_workspace(root) if root.exists() else None
    content = chosen_content(args.content)
    if workspace is None or workspace.root != root.resolve():
        workspace = init_workspace(root, args.trainee, content)
    elif content is not None and workspace.content != content:
        made_for = workspace.content or "the bundled course"
        raise UsageError(f"--content: {root / 'workbook.json'} was made for {made_for}")
    return workspace


def cmd_lab(args: argparse.Namespace) -> int:
    from .lab import run_lab

    return run_lab(_open_workspace(args), port=args.port, open_browser=not args.no_browser)


def cmd_app(args: argparse.Namespace) -> int:
    from .app import run_app

    return run_app(_open_workspace(args), port=args.port, open_browser=not args.no_browser)


def _whose(args: argparse.Namespace, need_trainee: bool = True) -> tuple[str, Path, Workspace | None]:
    """Trainee and responses folder: from the options, else from the workspace around us."""
    from .options import check_trainee
    from .workspace import find_workspace

    workspace = find_workspace()
    given = getattr(args, "trainee", None)
    if given is not None:  # an explicit "" is a mistake; only a missing --trainee means "this workspace's"
        given = check_trainee(given)
    trainee = given if given is not None else (workspace.trainee if workspace else "")
    if need_trainee and not trainee:
        raise UsageError("--trainee: needed outside a workspace")
    folder = Path(args.responses) if args.responses else (workspace.responses if workspace else Path("responses"))
    return trainee, folder, workspace


def cmd_responses_export(args: argparse.Namespace) -> int:
    from .outputs import check_file
    from .responses import ResponseStore, store_path
    from .responses.handin import write_export

    trainee, folder, _ = _whose(args)
    check_file(Path(args.out))  # before the store is opened
    path = store_path(folder, trainee)
    if not path.exists():
        raise UsageError(f"{path}: no answers saved yet for {trainee!r}")
    with ResponseStore(path, trainee) as store:
        write_export(store, Path(args.out), backup=args.backup)
    count = len(json.loads(Path(args.out).read_text(encoding="utf-8"))["attempts"])
    what = "backup of every answer" if args.backup else "hand-in (private reflections and drafts left out)"
    print(f"exported {count} attempts of {trainee!r} to {args.out}: {what}")
    return 0


def cmd_responses_import(args: argparse.Namespace) -> int:
    from .responses.handin import import_handin

    _, folder, _ = _whose(args, need_trainee=False)
    result = import_handin(Path(args.file), folder, backup=args.backup)
    print(
        f"imported {result.added} attempts of {result.trainee!r} into {result.store} "
        f"({result.skipped_existing} already there)"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export.printing import printer_for
    from .options import parse_formats, parse_paper

    formats, paper = parse_formats(args.format), parse_paper(args.paper)
    # Chromium starts first, in a thread of its own, while the exporter loads and the notebooks run
    with printer_for(formats, pages=2) as printer:
        from .content import load_bundled
        from .export.document import ExportRequest, export_workbook
        from .pages import parse_challenges
        from .responses import read_store, store_path

        trainee, responses, workspace = _whose(args)
        # a trainee exporting their own workspace sees their private reflections; anyone else only shared ones
        own = workspace is not None and workspace.trainee == trainee and not args.responses
        request = ExportRequest(
            trainee=trainee,
            responses=responses,
            challenges=parse_challenges(args.challenge, load_bundled(content := _course(args))),
            formats=formats,
            out=Path(args.out),
            paper=paper,
            include_private=args.include_private or own,
            content=content,
        )
        for path in export_workbook(request, printer):
            print(path)
    _warn_foreign(load_bundled(content), read_store(store_path(responses, trainee), trainee)[1])
    return 0


def _warn_foreign(catalog: Catalog, attempts: Sequence[Attempt]) -> None:
    """Say so when answers were filed under pages this course lacks (read against the wrong course?)."""
    from .pages import foreign_pages, foreign_warning

    found = foreign_pages(catalog, [a.challenge for a in attempts if a.role == "trainee"])
    if found:
        print(f"warning: {foreign_warning(found)}", file=sys.stderr)


def cmd_preview(args: argparse.Namespace) -> int:
    from .export.preview import preview_page
    from .options import check_trainee
    from .workspace import find_workspace

    trainee = check_trainee(args.trainee, "--trainee") if args.trainee is not None else None
    responses = Path(args.responses) if args.responses else None
    if trainee is not None and responses is None:  # a named trainee's answers: the workspace's store
        workspace = find_workspace()
        if workspace is None:
            raise UsageError("--responses: needed with --trainee outside a workspace")
        responses = workspace.responses
    path = preview_page(
        args.page,
        args.mode,
        Path(args.out) if args.out else None,
        content=_course(args),
        trainee=trainee,
        responses=responses,
    )
    print(path)
    return 0


def cmd_supervise(args: argparse.Namespace) -> int:
    from .content import load_bundled
    from .lab import run_supervision
    from .notebooks import write_supervision_notebook
    from .options import check_trainee
    from .responses import read_store, store_owner
    from .responses.handin import read_handin

    if args.hub is not None:
        return _supervise_hub(args)
    if args.attempt is not None:
        raise UsageError("--attempt: only with --hub TRAINEE")
    if args.responses is None:
        raise UsageError("STORE|HANDIN: give the trainee's store or hand-in file (or --hub TRAINEE on a hub)")
    if args.supervisor is None:
        raise UsageError("--supervisor: give your name; it is saved with your feedback")
    responses = Path(args.responses)
    if responses.suffix not in (".sqlite", ".json"):
        raise UsageError(f"{responses}: neither a trainee store (.sqlite) nor a hand-in file (.json)")
    if not responses.is_file():
        raise UsageError(f"{responses}: no such file")
    supervisor = check_trainee(args.supervisor, "--supervisor")  # a name a file can hold, never empty
    # read (never written) now, so a wrong file is one line here rather than an error in Jupyter
    if responses.suffix == ".sqlite":
        attempts = read_store(responses, store_owner(responses))[1]
    else:
        attempts = read_handin(responses)[1]
    content = _course(args)
    _warn_foreign(load_bundled(content), attempts)
    copies = Path(args.copies) if args.copies else None
    notebook = write_supervision_notebook(Path(args.dir), responses, supervisor, copies, content)
    if args.prepare_only:
        print(notebook)
        return 0
    return run_supervision(Path(args.dir).resolve(), notebook, port=args.port, open_browser=not args.no_browser)


def _supervise_hub(args: argparse.Namespace) -> int:
    """``supervise --hub TRAINEE``: the hand-in from the hub service, the notebook in this Lab."""
    from .hub.client import HubClient
    from .hub.exchange import fetch_for_review
    from .notebooks import write_supervision_notebook
    from .options import check_trainee

    if args.responses is not None:
        raise UsageError(f"--hub: give the trainee's hub name or a file ({args.responses}), not both")
    if args.attempt is not None and args.attempt < 1:
        raise UsageError(f"--attempt: {args.attempt} is not an attempt; attempts are numbered from 1")
    trainee = check_trainee(args.hub, "--hub")
    client = HubClient.from_env()
    me = str(client.me().get("name", ""))  # feedback is sent under the hub name, so it is saved under it too
    if args.supervisor is not None and check_trainee(args.supervisor, "--supervisor") != me:
        raise UsageError(f"--supervisor: on the hub your feedback is saved under your hub name {me!r}; leave it out")
    folder = Path(args.dir)
    store, attempt = fetch_for_review(client, trainee, args.attempt, folder)
    notebook = write_supervision_notebook(folder, store, me, content=_course(args), hub=True)
    print(f"hand-in {attempt} of {trainee!r} is ready; open it in JupyterLab and Run All: {notebook}")
    return 0


def cmd_handin(args: argparse.Namespace) -> int:
    from .hub.client import HubClient
    from .hub.exchange import hand_in
    from .responses import ResponseStore, store_path

    trainee, folder, _ = _whose(args)
    client = HubClient.from_env()  # off a hub: one line pointing at `responses export`
    path = store_path(folder, trainee)
    if not path.exists():
        raise UsageError(f"{path}: no answers saved yet for {trainee!r}: nothing to hand in")
    with ResponseStore(path, trainee) as store:
        done = hand_in(client, store)
    print(f"handed in attempt {done.attempt}: {done.answers} answers to {done.url}")
    if done.feedback_added:
        print(f"{done.feedback_added} new feedback note(s) from your supervisor, shown under the answers")
    return 0


def cmd_singleuser(args: argparse.Namespace) -> int:
    from .hub.spawn import run_singleuser

    run_singleuser(app=args.app, extra=args.extra)  # replaces this process
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    if not args.scheduler:  # local workers: their forkserver loads what they need while this process plans
        from .workers import start_early

        start_early()
    from .batch import plan, run_batch
    from .content import load_bundled
    from .options import parse_date, parse_formats, parse_jobs, parse_paper
    from .outputs import check_folder
    from .pages import parse_challenges
    from .progress import Progress
    from .roster import read_roster

    jobs, when = parse_jobs(args.jobs), parse_date(args.date)
    check_folder(Path(args.out))
    trainees = read_roster(Path(args.roster))  # every row checked before any work starts
    content = _course(args)
    items = plan(
        trainees,
        parse_challenges(args.challenges, load_bundled(content), "--challenges"),
        args.mode,
        parse_formats(args.format),
        Path(args.out),
        responses=Path(args.responses) if args.responses else None,
        date=when,
        paper=parse_paper(args.paper),
        content=content,
    )
    summary = run_batch(
        items, Path(args.out), jobs=jobs, scheduler=args.scheduler, force=args.force, progress=Progress(len(items))
    )
    print(summary.table())
    return 1 if summary.failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .export.printing import printer_for
    from .options import parse_date

    today, formats = parse_date(args.date), parse_list(args.format)
    # Chromium starts first, in a thread of its own, while the report module loads and the cohort is read
    with printer_for(formats) as printer:
        from .report import write_report

        report, written = write_report(
            Path(args.responses_dir), Path(args.out), formats, today=today, content=_course(args), printer=printer
        )
    for line in report.unchecked:  # what the misses list cannot vouch for, said before the count
        print(f"warning: {line}", file=sys.stderr)
    print(
        f"{len(report.trainees)} trainee{'' if len(report.trainees) == 1 else 's'}, "
        f"{len(report.misses)} safety-critical misses "
        f"({len(report.corrected)} more corrected later)"
    )
    for path in written:
        print(path)
    if report.skipped:  # the report is made, but a script running it must learn that it is partial
        print(f"error: {len(report.skipped)} file(s) left out of the report (listed above)", file=sys.stderr)
        return 1
    return 0


def parse_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


CONTENT_HELP = f"course folder (default: ${ENV}, else the workspace's course, else the bundled one)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Training workbook on facing challenges in therapy, for trainees and supervisors.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the course content; print a summary")
    validate.add_argument("folder", nargs="?", metavar="CONTENT_DIR", help="content folder (same as --content)")
    validate.set_defaults(func=cmd_validate)

    content = commands.add_parser("content", help="look at the course content")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    stats = content_commands.add_parser("stats", help="counts per challenge and difficulty")
    stats.add_argument("folder", nargs="?", metavar="CONTENT_DIR", help="content folder (same as --content)")
    stats.set_defaults(func=cmd_content_stats)

    init = commands.add_parser("init", help="create a trainee workspace: notebooks, store, config")
    init.add_argument("dir", metavar="DIR")
    init.add_argument("--trainee", required=True, metavar="NAME", help="the trainee's name or id")
    init.set_defaults(func=cmd_init)

    lab = commands.add_parser("lab", help="open JupyterLab on a workspace (a demo one if none is given)")
    app = commands.add_parser("app", help="open the workbook app on a workspace: the pages, no code (Voilà)")
    for opener, func in ((lab, cmd_lab), (app, cmd_app)):
        opener.add_argument(
            "dir", nargs="?", metavar="DIR", help="workspace folder (created if missing; default: workbook-demo)"
        )
        opener.add_argument("--trainee", default="demo", metavar="NAME", help="trainee for a new workspace")
        opener.add_argument("--port", type=int, default=None)
        opener.add_argument("--no-browser", action="store_true", help="do not open a browser window")
        opener.set_defaults(func=func)

    responses = commands.add_parser("responses", help="hand in or back up a trainee's answers")
    actions = responses.add_subparsers(dest="responses_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write a trainee's answers to a JSON file")
    export.add_argument("--trainee", metavar="ID", help="default: this workspace's trainee")
    export.add_argument("--responses", metavar="PATH", help="store folder or .sqlite file")
    export.add_argument("--out", required=True, metavar="FILE.json")
    export.add_argument(
        "--backup", action="store_true", help="keep everything, private reflections included (still owner-only)"
    )
    export.set_defaults(func=cmd_responses_export)
    imp = actions.add_parser("import", help="add the answers in a hand-in JSON file to that trainee's store")
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--responses", metavar="PATH", help="store folder (default: this workspace's)")
    imp.add_argument("--backup", action="store_true", help="restore your own backup, supervisor notes included")
    imp.set_defaults(func=cmd_responses_import)

    export = commands.add_parser("export", help="a trainee's answers as HTML/PDF documents, per challenge and combined")
    export.add_argument("--trainee", metavar="ID", help="default: this workspace's trainee")
    export.add_argument("--challenge", default="all", metavar="ID|all", help="one or more challenge ids, or all")
    export.add_argument("--format", default="html,pdf", metavar="html,pdf")
    export.add_argument("--responses", metavar="PATH", help="store folder or .sqlite file (default: the workspace's)")
    export.add_argument("--paper", default="A4", metavar="A4|Letter")
    export.add_argument(
        "--include-private",
        action="store_true",
        help="include unshared reflections (default: only in your own workspace)",
    )
    export.add_argument("--out", default="build/export", metavar="DIR")
    export.set_defaults(func=cmd_export)

    batch = commands.add_parser("batch", help="handouts (or review documents) for a whole cohort from a roster")
    batch.add_argument(
        "roster", metavar="ROSTER.csv", help="columns: trainee_id, name, cohort, supervisor (+ difficulty)"
    )
    batch.add_argument("--challenges", default="all", metavar="all|ID,...")
    batch.add_argument("--mode", default="handout", choices=["handout", "review"])
    batch.add_argument("--format", default="html,pdf", metavar="html,pdf")
    batch.add_argument("--jobs", default=None, metavar="N", help="worker processes, 1 or more (default: CPU count)")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="Dask cluster, e.g. tcp://host:8786 (files written here)")
    batch.add_argument("--responses", metavar="DIR", help="review mode: folder of trainee stores (default: responses)")
    batch.add_argument("--date", metavar="YYYY-MM-DD", help="date printed on the documents (default: today)")
    batch.add_argument("--paper", default="A4", metavar="A4|Letter")
    batch.add_argument("--force", action="store_true", help="redo outputs even when they are up to date")
    batch.add_argument("--out", default="build/batch", metavar="DIR")
    batch.set_defaults(func=cmd_batch)

    supervise = commands.add_parser("supervise", help="open the supervisor notebook on a trainee's store or hand-in")
    supervise.add_argument(
        "responses", nargs="?", metavar="STORE|HANDIN", help="the trainee's .sqlite store or .json hand-in"
    )
    supervise.add_argument("--supervisor", metavar="NAME", help="your name, saved with your feedback")
    supervise.add_argument("--hub", metavar="TRAINEE", help="on a hub: the trainee's latest hand-in from the service")
    supervise.add_argument("--attempt", type=int, metavar="N", help="with --hub: that hand-in attempt, not the latest")
    supervise.add_argument("--copies", metavar="DIR", help="where a hand-in is imported (default: beside it)")
    supervise.add_argument("--dir", default="supervision", metavar="DIR", help="your folder for the notebook")
    supervise.add_argument("--port", type=int, default=None)
    supervise.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    supervise.add_argument("--prepare-only", action="store_true", help="write the notebook, print its path, stop")
    supervise.set_defaults(func=cmd_supervise)

    handin = commands.add_parser("handin", help="on a hub: hand in your answers to the hub service, get feedback")
    handin.add_argument("--trainee", metavar="ID", help="default: this workspace's trainee")
    handin.add_argument("--responses", metavar="PATH", help="store folder (default: this workspace's)")
    handin.set_defaults(func=cmd_handin)

    singleuser = commands.add_parser(
        "singleuser", help="JupyterHub's spawner command: the user's workspace, then jupyterhub-singleuser on it"
    )
    singleuser.add_argument("--app", action="store_true", help="land on the app (Voilà) instead of JupyterLab")
    singleuser.set_defaults(func=cmd_singleuser)

    preview = commands.add_parser("preview", help="one page as HTML without Jupyter, for course authors")
    preview.add_argument("page", metavar="PAGE", help="a page id, e.g. welcome or a challenge id")
    preview.add_argument("--mode", default="handout", choices=["handout", "review"])
    preview.add_argument("--trainee", metavar="ID", help="review: whose answers (default: none answered)")
    preview.add_argument("--responses", metavar="PATH", help="review: store folder or .sqlite file")
    preview.add_argument("--out", metavar="FILE.html", help="default: build/preview/NN-PAGE.MODE.html")
    preview.set_defaults(func=cmd_preview)

    report = commands.add_parser("report", help="cohort report: safety-critical misses first, then an overview")
    report.add_argument("responses_dir", metavar="RESPONSES_DIR", help="folder of trainee stores and hand-in files")
    report.add_argument("--out", default="build/report", metavar="FILE", help="output path (suffix per format)")
    report.add_argument("--format", default="html,pdf,csv", metavar="html,pdf,csv")
    report.add_argument("--date", metavar="YYYY-MM-DD", help="date printed on the report (default: today)")
    report.set_defaults(func=cmd_report)
    for command in (
        validate,
        stats,
        init,
        lab,
        app,
        export,
        batch,
        preview,
        supervise,
        report,
    ):  # every command that reads the course
        command.add_argument("--content", metavar="DIR", help=CONTENT_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "singleuser":  # the spawner's own arguments go on to the server
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return int(args.func(args))
    except ProblemsError as err:
        for problem in err.problems:  # one line per problem, nothing else: easy to grep
            print(problem, file=sys.stderr)
        return 1
    except WorkbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # the machine's, not the program's: a full disk, a permission (see outputs.py)
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:  # Ctrl-C, or a SIGTERM turned into lifetime.Stopped
        print(f"error: {err or 'interrupted'}", file=sys.stderr)
        return int(getattr(err, "exit_code", 130))


if __name__ == "__main__":
    sys.exit(main())
