"""HTML and PDF export: answers carried, unicode intact, nothing external, trainee text inert."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pypdf import PdfReader

from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.runner import InProcessRunner

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "export-check"
UNICODE = "Holding the silence — “Råbu’s” point, Ελληνικά, кириллица"
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click me](javascript:alert(3))",
    "**bold** <b>html</b> <iframe src='//evil.example'></iframe>",
]
PRIVATE = "PRIVATE-REFLECTION-7f3a"
SHARED = "SHARED-REFLECTION-91bc"

pytestmark = [pytest.mark.requires_browser, pytest.mark.requires_kernel]


@dataclass
class Exported:
    folder: Path
    responses: Path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, answered_store: Path, chromium_path: str) -> Exported:
    responses = tmp_path_factory.mktemp("exp") / "responses"
    shutil.copytree(answered_store, responses)
    with ResponseStore(store_path(responses, "Ada Test"), "Ada Test") as store:
        for n, text in enumerate([UNICODE, *XSS]):
            statement = f"ra-cs-beginner-{n % 3 + 1}"
            store.save(
                "resistance-avoidance",
                "respond",
                statement,
                {
                    "statement": statement,
                    "difficulty": "beginner",
                    "response": text,
                    "ratings": {"ra-crit-name-the-shift": 3},
                    "felt": "about right",
                    "next_difficulty": "beginner",
                },
            )
        store.save("resistance-avoidance", "reflect", "ra-reflect-1", {"stages": {"feelings": PRIVATE}})
        store.save("resistance-avoidance", "reflect", "ra-reflect-2", {"stages": {"feelings": SHARED}}, shared=True)
    out = tmp_path_factory.mktemp("out")
    request = ExportRequest("Ada Test", responses, ("resistance-avoidance", "when-concerning"), ("html", "pdf"), out)
    export_workbook(request)
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return Exported(folder, responses)


def test_predictable_names_and_no_partial_files(exported: Exported) -> None:
    folder = exported.folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "02-resistance-avoidance.html",
        "02-resistance-avoidance.pdf",
        "05-when-concerning.html",
        "05-when-concerning.pdf",
        "workbook.html",
        "workbook.pdf",
    ]


def test_pdf_carries_the_answers_and_unicode(exported: Exported) -> None:
    reader = PdfReader(exported.folder / "02-resistance-avoidance.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = re.sub(r"\s+", " ", text)
    for piece in ["Holding the silence —", "“Råbu’s”", "Ελληνικά", "кириллица", "<script>alert(1)</script>"]:
        assert piece in squashed, piece
    assert "not yet clinically reviewed" in squashed
    assert "emergency services" in squashed
    assert re.search(r"Page 1 of \d+", squashed)


def _structure(node: Any, found: list[str]) -> list[str]:
    """The structure types under a tagged PDF's node, in document order."""
    node = node.get_object()
    if "/S" in node:
        found.append(str(node["/S"]))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
            _structure(kid, found)
    return found


def test_pdfs_are_tagged_with_an_outline_for_screen_readers(exported: Exported) -> None:
    reader = PdfReader(exported.folder / "02-resistance-avoidance.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    # the language a reader speaks it in, and the document's title shown (and read) for its file name
    assert root["/Lang"] == "en" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and "Resistance" in str(reader.metadata.title)
    kinds = _structure(root["/StructTreeRoot"], [])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/P"} <= set(kinds), sorted(set(kinds))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles and "Resistance" in titles[0]
    # the running header and the page numbers are outside the tags: not read as part of the page
    stream = reader.pages[1].get_contents().get_data().decode("latin-1")
    assert stream.index("BT") < stream.index("BDC")


class _Audit(HTMLParser):
    """Collects every tag, attribute and URL an HTML document would act on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in {"src", "href", "action", "formaction", "data", "poster", "srcset"}:
                self.urls.append(value or "")
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name == "style":
                self.styles.append(value or "")

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


@pytest.mark.parametrize("name", ["02-resistance-avoidance.html", "05-when-concerning.html", "workbook.html"])
def test_html_is_self_contained_and_inert(exported: Exported, name: str) -> None:
    document = (exported.folder / name).read_text(encoding="utf-8")
    audit = _Audit()
    audit.feed(document)
    assert not {"script", "iframe", "object", "embed", "img", "link", "base", "form"} & set(audit.tags)
    assert audit.urls == [] and audit.handlers == []
    assert not any(re.search(r"url\(\s*['\"]?(?!data:)", css) for css in audit.styles)
    # web addresses appear only as the printed text of a citation (a reference list), never as a link
    cited = re.findall(r"<(ol|ul) class=.wb-refs.>(.*?)</\1>", document, flags=re.S)
    assert not any("href" in text for _, text in cited)
    assert not re.search(r"https?://", re.sub(r"<(ol|ul) class=.wb-refs.>.*?</\1>", "", document, flags=re.S))


def test_planted_markup_shows_as_text(exported: Exported) -> None:
    document = (exported.folder / "02-resistance-avoidance.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(2)&gt;" in document
    assert "[click me](javascript:alert(3))" in document
    assert "**bold** &lt;b&gt;html&lt;/b&gt;" in document


def test_reflections_private_unless_shared(exported: Exported) -> None:
    document = (exported.folder / "02-resistance-avoidance.html").read_text(encoding="utf-8")
    assert SHARED in document and PRIVATE not in document
    assert "1 private reflection not shown" in document


def test_own_export_includes_private_reflections(exported: Exported, tmp_path: Path) -> None:
    request = ExportRequest(
        "Ada Test", exported.responses, ("resistance-avoidance",), ("html",), tmp_path, include_private=True
    )
    (path,) = export_workbook(request)
    assert PRIVATE in path.read_text(encoding="utf-8")


def test_first_pages_rendered_for_a_person(
    exported: Exported, tmp_path: Path, notebook_runner: InProcessRunner
) -> None:
    """Page 1 of a review PDF and of a handout PDF, as PNGs under build/export-check/."""
    BUILD.mkdir(parents=True, exist_ok=True)
    review = exported.folder / "05-when-concerning.pdf"
    handout_nb = tmp_path / "handout.ipynb"  # run in this process (see run_notebook), printed by nbconvert's CLI
    parameters = {"mode": "handout", "trainee": "Ada Test", "cohort": "Spring 2027"}
    nbformat.write(notebook_runner.run(ROOT / "notebooks" / "02-resistance-avoidance.ipynb", parameters), handout_nb)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "workbook_pdf",
            str(handout_nb),
            "--output-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    handout = tmp_path / "handout.pdf"
    assert handout.read_bytes().startswith(b"%PDF")
    for pdf, stem in [(review, "review-page1"), (handout, "handout-page1")]:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(BUILD / stem)],
            check=True,
        )
        assert (BUILD / f"{stem}.png").stat().st_size > 10_000


def test_missing_browser_is_one_clear_line(tmp_path: Path, answered_store: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clinician_workbook.cli",
            "export",
            "--trainee",
            "Ada Test",
            "--responses",
            str(answered_store),
            "--challenge",
            "feeling-stuck",
            "--format",
            "pdf",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "WORKBOOK_CHROMIUM": "/nope"},
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "install one" in lines[0] and "Traceback" not in done.stderr


def test_letter_paper_and_an_escaped_running_header(tmp_path: Path, chromium_path: str) -> None:
    from clinician_workbook.export.pdf import print_pdf

    header = '<b>Ada</b> & “Råbu” ") } </style><p>out</p> \\ A) B'  # nothing in it may end the CSS string
    pdf = print_pdf(
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>",
        paper="Letter",
        header=header,
    )
    (tmp_path / "x.pdf").write_bytes(pdf)
    page = PdfReader(tmp_path / "x.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    lines = page.extract_text().splitlines()
    assert header in lines and "Page 1 of 1" in lines and "Hello" in lines and "out" not in lines


def test_a_combined_workbook_holds_its_styles_once(exported: Exported) -> None:
    document = (exported.folder / "workbook.html").read_text(encoding="utf-8")
    assert document.count(".wb-critical {") == 1


def test_the_printer_takes_the_longest_waiting_document_first(chromium_path: str) -> None:
    """Documents that wait for a page (here: all three, sent while Chromium starts) are printed
    longest first, so the longest does not finish last; each still gets its own PDF."""
    from clinician_workbook.export.printing import BackgroundPrinter

    documents = {
        name: f"<h1>{name}</h1>" + "<p>line</p>" * lines
        for name, lines in (("short", 1), ("long", 400), ("middle", 40))
    }
    finished: list[str] = []
    with BackgroundPrinter(pages=1) as printer:
        futures = {name: printer.submit(document, header=name) for name, document in documents.items()}
        for name, future in futures.items():
            future.add_done_callback(lambda _, name=name: finished.append(name))
        pdfs = {name: future.result() for name, future in futures.items()}
    assert finished == ["long", "middle", "short"]
    for name, pdf in pdfs.items():
        assert name in " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_printing_page_is_replaced_after_so_many_documents(
    chromium_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's workers print with a BackgroundPrinter: its page is replaced every
    RECYCLE_AFTER documents (a fresh context, the old one closed), so a long batch's Chromium
    stays the same size; every document still gets its own PDF."""
    from clinician_workbook.export import printing

    monkeypatch.setattr(printing, "RECYCLE_AFTER", 2)
    made: list[Any] = []
    new_page = printing.BackgroundPrinter._new_page

    async def counted(self: Any) -> Any:
        made.append(await new_page(self))
        return made[-1]

    monkeypatch.setattr(printing.BackgroundPrinter, "_new_page", counted)
    with printing.BackgroundPrinter(pages=1) as printer:
        pdfs = [printer.print(f"<p>document {n}</p>") for n in range(5)]
        contexts = len(printer._browser.contexts)
    assert len(made) == 3  # the first page, then one after the 2nd and the 4th documents
    assert contexts == 1  # the pages replaced went with their contexts
    for n, pdf in enumerate(pdfs):
        assert f"document {n}" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


def test_a_page_that_could_not_be_replaced_is_made_again_for_the_next_document(
    chromium_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replacement page that fails to open (say, Chromium busy) costs no document: the next one
    opens a page again instead of failing on the closed one."""
    from clinician_workbook.export import printing

    monkeypatch.setattr(printing, "RECYCLE_AFTER", 2)
    calls = 0
    new_page = printing.BackgroundPrinter._new_page

    async def flaky(self: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:  # the first replacement, after the 2nd document
            raise RuntimeError("no page this time")
        return await new_page(self)

    monkeypatch.setattr(printing.BackgroundPrinter, "_new_page", flaky)
    with printing.BackgroundPrinter(pages=1) as printer:
        pdfs = [printer.print(f"<p>document {n}</p>") for n in range(4)]
    assert calls == 3
    for n, pdf in enumerate(pdfs):
        assert f"document {n}" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


def test_printing_pages_show_documents_in_print_media(chromium_path: str) -> None:
    """Both printers' pages lay a document out as printed from the start (CSS print media), so
    Chromium does not lay it out for the screen first: the same PDFs, about a third less printing."""
    import asyncio

    from clinician_workbook.export import printing

    media = "() => [matchMedia('print').matches, matchMedia('screen').matches]"
    assert printing.BROWSER.printing_page().evaluate(media) == [True, False]
    with printing.BackgroundPrinter(pages=1) as printer:
        printer.print("<p>started</p>")

        async def check() -> Any:
            page = await printer._new_page()
            try:
                return await page.evaluate(media)
            finally:
                await page.context.close()

        assert asyncio.run_coroutine_threadsafe(check(), printer._loop).result() == [True, False]


def test_a_very_long_trainee_id_does_not_shrink_the_review(tmp_path: Path, chromium_path: str) -> None:
    """The review's cover names the trainee: a 300-character id with no space breaks there, so
    Chromium does not shrink every page to fit it (same answers, same number of pages)."""
    from tests.factories import LONG_NAME, answer_all

    pages = {}
    answer_all(tmp_path / "responses", ("Ann Lee", LONG_NAME), seed=1)  # the same answers
    for trainee in ("Ann Lee", LONG_NAME):
        request = ExportRequest(trainee, tmp_path / "responses", ("emotional-overwhelm",), ("pdf",), tmp_path / "out")
        (pdf,) = export_workbook(request)
        pages[trainee] = len(PdfReader(pdf).pages)
    assert len(set(pages.values())) == 1, pages
