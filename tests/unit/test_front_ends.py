"""The two trainee front ends: JupyterLab without code in sight, and the app (Voilà).

What the server commands set up (config, CSS, template, environment), the save hook that keeps
pages free of outputs, and what the pages show that only makes sense in a front end: the welcome
page's links with progress, live progress, named controls.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import nbformat
import pytest

from clinician_workbook import session as session_module
from clinician_workbook.app import FRONTEND, TEMPLATES, app_command, app_environment, in_app
from clinician_workbook.content import Catalog
from clinician_workbook.errors import UsageError
from clinician_workbook.exercises import Triage
from clinician_workbook.lab import LAB_CONFIG, LAB_OVERRIDES, keep_no_outputs, lab_environment, write_lab_settings
from clinician_workbook.markup import inline
from clinician_workbook.notebooks import PAGE_MARK, build, notebook_text
from clinician_workbook.pages import find_page
from clinician_workbook.session import StoreRecorder
from tests.unit.test_audiences import CONCERNS, PRACTICE, shown


def _saved(nb: Any) -> dict[str, Any]:
    model = {"type": "notebook", "content": json.loads(json.dumps(nb))}
    for cell in model["content"]["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "display_data", "data": {"text/plain": "Ada's answer"}, "metadata": {}}]
            cell["execution_count"] = 3
    model["content"]["metadata"]["widgets"] = {"state": "Ada's answer"}
    # the running kernel's own description, as Lab saves it
    model["content"]["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    model["content"]["metadata"]["language_info"] = {"name": "python", "version": "3.11.7", "file_extension": ".py"}
    return model


def test_a_workbook_page_is_saved_without_outputs_or_widget_state(catalog: Catalog) -> None:
    model = _saved(build(find_page(catalog, PRACTICE)))
    keep_no_outputs(model)
    code = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "widgets" not in model["content"]["metadata"] and "Ada" not in json.dumps(model)


def test_a_page_nobody_edited_is_saved_byte_for_byte_as_it_was_written(catalog: Catalog) -> None:
    # so Lab's overlapping autosaves on a busy server never find a hash they were not told of
    for page_id in (PRACTICE, CONCERNS):
        page = build(find_page(catalog, page_id))
        model = _saved(page)
        keep_no_outputs(model)
        assert notebook_text(nbformat.from_dict(model["content"])) == notebook_text(page)


def test_a_notebook_of_the_trainees_own_is_saved_as_it_is(catalog: Catalog) -> None:
    model = _saved(build(find_page(catalog, PRACTICE)))
    del model["content"]["metadata"][PAGE_MARK]
    before = json.dumps(model)
    keep_no_outputs(model)
    keep_no_outputs({"type": "file", "content": "text"})
    assert json.dumps(model) == before


def test_lab_hides_code_autosaves_and_keeps_its_settings_in_the_workspace(tmp_path: Path) -> None:
    env = lab_environment(tmp_path, base={"PATH": "/bin"})
    css = Path(env["JUPYTER_CONFIG_DIR"]) / "custom" / "custom.css"
    assert css.is_relative_to(tmp_path) and ".jp-InputPlaceholder" in css.read_text(encoding="utf-8")
    assert LAB_CONFIG["LabApp"]["custom_css"] is True
    assert LAB_CONFIG["ContentsManager"]["pre_save_hook"] == f"{keep_no_outputs.__module__}.keep_no_outputs"
    overrides = json.loads((write_lab_settings(tmp_path) / "overrides.json").read_text(encoding="utf-8"))
    assert overrides == LAB_OVERRIDES and overrides["@jupyterlab/docmanager-extension:plugin"]["autosaveInterval"] <= 2


def test_the_app_serves_on_loopback_with_a_token_and_our_template(tmp_path: Path) -> None:
    command = app_command(tmp_path, port=9001, open_browser=False, token="t0ken")
    assert command[1:3] == ["-m", "voila"] and str(tmp_path) in command
    assert {"--template=workbook", "--Voila.ip=127.0.0.1", "--Voila.port=9001", "--Voila.token=t0ken"} <= set(command)
    assert "--Voila.auto_token=True" in app_command(tmp_path)  # no token given: Voilà makes one
    env = app_environment({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(TEMPLATES), "/elsewhere"] and env[FRONTEND] == "app"
    template = TEMPLATES / "voila" / "templates" / "workbook"
    assert json.loads((template / "conf.json").read_text(encoding="utf-8")) == {"base_template": "lab"}
    page = (template / "index.html.j2").read_text(encoding="utf-8")
    assert "<main" in page and "Skip to the page" in page and "http" not in page.replace("http-equiv", "")


def test_pages_know_which_front_end_they_are_in(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    monkeypatch.delenv(FRONTEND, raising=False)
    assert not in_app()
    lab_page = shown(monkeypatch, session_module.Session(PRACTICE, trainee="Ada", catalog=catalog).header)
    monkeypatch.setenv(FRONTEND, "app")
    assert in_app()
    app_page = shown(monkeypatch, session_module.Session(PRACTICE, trainee="Ada", catalog=catalog).header)
    assert "Tab key" in app_page and "Tab key" not in lab_page


@pytest.fixture
def store_folder(tmp_path: Path, answered_fixture_store: Path) -> Path:
    target = tmp_path / "responses"
    shutil.copytree(answered_fixture_store, target)
    return target


def test_the_welcome_page_links_every_other_page_with_its_progress(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, store_folder: Path
) -> None:
    wb = session_module.Session("welcome", trainee="Ada Test", responses=store_folder, catalog=catalog)
    page = shown(monkeypatch, wb.welcome)
    assert 'href="00-welcome.ipynb"' not in page  # this page itself is not a link
    practice = find_page(catalog, PRACTICE)
    assert f'<a href="{practice.notebook}">' in page
    done = session_module.progress(catalog, PRACTICE, wb._every_attempt())
    assert done.done > 0 and f"({done.done} of {done.total} answered)" in page
    fresh = session_module.Session("welcome", trainee="Bo", responses=store_folder, catalog=catalog)
    assert "(0 of" in shown(monkeypatch, fresh.welcome) and not (store_folder / "Bo.sqlite").exists()
    handout = session_module.Session("welcome", trainee="Ada Test", mode="handout", catalog=catalog)
    assert "<a href" not in shown(monkeypatch, handout.welcome)  # paper has no links


def test_progress_follows_the_answers_as_they_are_saved(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, tmp_path: Path
) -> None:
    wb = session_module.Session(CONCERNS, trainee="Ada", responses=tmp_path, catalog=catalog)
    views: list[Any] = []
    monkeypatch.setattr(session_module, "display", views.append)
    wb.progress()
    (view,) = views
    assert "0 of" in view.value
    case = catalog.triage_cases[0]
    action = catalog.triage_actions[0].id
    wb.recorder.save("triage", case.id, {"urgency": "routine", "steps": [[action]]})
    assert "1 of" in view.value


def test_every_triage_dropdown_is_named_by_its_case_and_action(catalog: Catalog, tmp_path: Path) -> None:
    case = catalog.triage_cases[0]
    exercise = Triage(catalog, case, StoreRecorder(tmp_path / "a.sqlite", "Ada", CONCERNS))
    labels = {a.id: a.text for a in catalog.triage_actions}
    for action, dropdown in exercise.numbers.items():
        assert isinstance(dropdown, widgets.Dropdown) and "wb-named" in dropdown._dom_classes
        name = dropdown.description
        assert name.startswith(case.title.replace("*", "")) and labels[action][:12] in name


def test_one_exercise_per_cell_and_documents_keep_their_sections_whole(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, tmp_path: Path
) -> None:
    case = sorted(c.id for c in catalog.triage_cases)[0]
    views: list[Any] = []
    monkeypatch.setattr(session_module, "display", views.append)
    interactive = session_module.Session(CONCERNS, trainee="Ada", responses=tmp_path, catalog=catalog)
    interactive.triage(case)
    assert [type(v).__name__ for v in views] == ["Triage"] and views[0].item == case  # that case, alone
    views.clear()
    handout = session_module.Session(CONCERNS, trainee="Ada", mode="handout", catalog=catalog)
    handout.triage(case)
    assert views == []  # a document shows the whole section at its heading call
    handout.triage()
    assert len(views) == 1 and all(str(inline(c.title)) in views[0].data for c in catalog.triage_cases)
    with pytest.raises(UsageError, match=r"^'nope' is not an item of this section \(known: triage-"):
        interactive.triage("nope")


def test_a_summary_that_fails_to_refresh_does_not_lose_the_answer(catalog: Catalog, tmp_path: Path) -> None:
    recorder = StoreRecorder(tmp_path / "a.sqlite", "Ada", CONCERNS)
    recorder.on_save.append(lambda: 1 / 0)
    case, action = catalog.triage_cases[0].id, catalog.triage_actions[0].id
    saved = recorder.save("triage", case, {"urgency": "routine", "steps": [[action]]})
    assert recorder.latest("triage", case) == saved
