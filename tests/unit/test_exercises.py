"""Every exercise driven in-process, as a trainee would: values set, buttons clicked, store checked."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.curriculum import progress
from clinician_workbook.exercises import (
    Classify,
    KnowledgeCheckQuiz,
    Reflect,
    Respond,
    SpotSigns,
    StrategyMatchQuiz,
    Triage,
)
from clinician_workbook.render.review import Review
from clinician_workbook.responses import ResponseStore
from clinician_workbook.responses.handin import export_responses
from clinician_workbook.session import StoreRecorder
from tests.unit.conftest import PRACTICE


@pytest.fixture
def recorder(tmp_path: Path) -> Any:
    rec = StoreRecorder(tmp_path / "ada.sqlite", "Ada Test", PRACTICE)
    yield rec
    rec.close()


def stored(recorder: StoreRecorder, exercise: str) -> list[Any]:
    with ResponseStore(recorder.path, recorder.trainee) as store:
        return store.attempts(challenge=recorder.challenge, exercise=exercise)


def test_nothing_is_written_until_an_answer(catalog: Catalog, recorder: StoreRecorder) -> None:
    vignette = next(v for v in catalog.vignettes if PRACTICE in v.challenges)
    SpotSigns(catalog, vignette, recorder).close()
    assert not recorder.path.exists()


def test_spot_signs_saves_and_refills(catalog: Catalog, recorder: StoreRecorder) -> None:
    vignette = next(v for v in catalog.vignettes if v.difficulty == "beginner")
    widget = SpotSigns(catalog, vignette, recorder, seed=1)
    key = [s.sign for s in vignette.signs_present]
    widget.check.click()  # nothing ticked: not an attempt, nothing written, the key stays hidden
    assert "Tick the signs" in widget.status.value and not recorder.path.exists() and not widget.feedback.value
    for sign in key:
        widget.boxes[sign].value = True
    widget.check.click()
    assert "Submitted" in widget.status.value
    assert vignette.signs_present[0].evidence[:30] in widget.feedback.value.replace("&#x27;", "'")
    (attempt,) = stored(recorder, "spot-signs")
    assert attempt.item == vignette.id and sorted(attempt.answer["chosen"]) == sorted(key)
    assert "score" not in attempt.answer  # scores are worked out when shown, never stored
    again = SpotSigns(catalog, vignette, recorder, seed=1)
    assert sorted(again.chosen) == sorted(key)
    assert "found" in again.feedback.value


def test_classify(catalog: Catalog, recorder: StoreRecorder) -> None:
    vignette = next(v for v in catalog.vignettes if v.rupture == "withdrawal")
    widget = Classify(catalog, vignette, recorder)
    widget.check.click()
    assert "Choose an answer" in widget.status.value and not recorder.path.exists()
    widget.challenge.value = PRACTICE
    widget.rupture.value = "withdrawal"
    widget.check.click()
    (attempt,) = stored(recorder, "classify")
    assert attempt.answer == {"challenge": PRACTICE, "rupture": "withdrawal"}
    assert Classify(catalog, vignette, recorder).rupture.value == "withdrawal"


def test_respond_round_reveals_examples_and_steps_difficulty(catalog: Catalog, recorder: StoreRecorder) -> None:
    widget = Respond(catalog, PRACTICE, recorder, "beginner")
    first = widget.statement
    assert first.difficulty == "beginner" and widget.reveal.layout.display == "none"
    widget.submit.click()  # empty: nothing saved
    assert not recorder.path.exists()
    widget.response.value = "Mm, I notice we moved away from your mother — Råbu said «c'est dur»."
    widget.submit.click()
    assert widget.reveal.layout.display == "" and "Example 1" in widget.examples.value
    assert len(stored(recorder, "respond")) == 1
    assert all(r.value == "not rated" for r in widget.ratings.values())  # never a silent 0
    widget.felt.value = "about right"
    widget.rate.click()  # untouched ratings: refused, nothing saved
    assert "every criterion" in widget.status.value and len(stored(recorder, "respond")) == 1
    for rating in widget.ratings.values():
        rating.value = "3"
    widget.rate.click()
    rounds = stored(recorder, "respond")
    assert len(rounds) == 2
    assert rounds[-1].answer["ratings"] == dict.fromkeys(widget.ratings, 3)
    assert rounds[-1].answer["next_difficulty"] == "intermediate"
    assert rounds[-1].answer["response"].startswith("Mm, I notice")
    assert widget.difficulty == "intermediate" and widget.statement.difficulty == "intermediate"
    # a new session (kernel restart) carries on at the level reached
    resumed = Respond(catalog, PRACTICE, recorder, "beginner")
    assert resumed.statement.difficulty == "intermediate"
    resumed.response.value = "Too hard for me yet"
    resumed.submit.click()
    resumed.felt.value = "too hard"
    for rating in resumed.ratings.values():
        rating.value = "1"
    resumed.rate.click()
    assert stored(recorder, "respond")[-1].answer["next_difficulty"] == "beginner"
    assert resumed.statement.difficulty == "beginner" and resumed.statement.id != first.id  # least practised first


def test_respond_refills_an_unrated_response(catalog: Catalog, recorder: StoreRecorder) -> None:
    widget = Respond(catalog, PRACTICE, recorder)
    widget.response.value = "Draft answer"
    widget.submit.click()
    again = Respond(catalog, PRACTICE, recorder)
    assert again.response.value == "Draft answer" and again.reveal.layout.display == ""


def test_triage_flags_safety_critical_errors(catalog: Catalog, recorder: StoreRecorder) -> None:
    case = next(c for c in catalog.triage_cases if c.id == "triage-self-harm-clear")
    first = case.key_actions[0]
    widget = Triage(catalog, case, recorder, seed=2)
    assert "Content note:" in widget.children[0].value and "suicide" in widget.children[0].value
    widget.urgency.value = "same-day"
    widget.numbers["act-promise-confidentiality"].value = "1"
    widget.numbers[first].value = "2"
    widget.check.click()
    (attempt,) = stored(recorder, "triage")
    assert attempt.answer == {"urgency": "same-day", "steps": [["act-promise-confidentiality"], [first]]}
    assert "wb-critical" in widget.feedback.value and "Where to get help" in widget.feedback.value
    right = Triage(catalog, case, recorder, seed=2)
    assert right.urgency.value == "same-day" and right.steps == attempt.answer["steps"]
    right.urgency.value = case.urgency
    for number in right.numbers.values():
        number.value = "not chosen"
    for n, step in enumerate(case.actions, 1):
        for action in step:
            right.numbers[action].value = str(n)
    right.check.click()
    latest = stored(recorder, "triage")[-1]
    assert latest.answer["steps"] == sorted_steps(case.actions)
    assert "wb-critical" not in right.feedback.value and "Where to get help" in right.feedback.value


def sorted_steps(steps: list[list[str]]) -> list[list[str]]:
    return [sorted(step) for step in steps]


def test_triage_keeps_a_tie_and_refills_it(catalog: Catalog, recorder: StoreRecorder) -> None:
    case = next(c for c in catalog.triage_cases if any(len(step) > 1 for step in c.actions))
    first, second = next(step for step in case.actions if len(step) > 1)[:2]  # one group in the key
    widget = Triage(catalog, case, recorder, seed=5)
    widget.urgency.value = case.urgency
    widget.numbers[first].value = "1"
    widget.numbers[second].value = "1"
    widget.check.click()
    (attempt,) = stored(recorder, "triage")
    assert attempt.answer["steps"] == [sorted([first, second])]
    assert "You did these together" in widget.feedback.value and "The key puts" not in widget.feedback.value
    again = Triage(catalog, case, recorder, seed=5)
    assert again.numbers[first].value == again.numbers[second].value == "1"


def test_content_notes_come_before_the_case(catalog: Catalog, recorder: StoreRecorder) -> None:
    vignette = next(v for v in catalog.vignettes if v.content_notes)
    story = SpotSigns(catalog, vignette, recorder).children[0].value
    assert story.index("Content note:") < story.index(vignette.body.split()[0])
    quiet = next(v for v in catalog.vignettes if not v.content_notes)
    assert "Content note:" not in SpotSigns(catalog, quiet, recorder).children[0].value


def test_reflection_is_private_unless_shared(catalog: Catalog, recorder: StoreRecorder) -> None:
    prompt = next(p for p in catalog.reflection_prompts if p.challenge == PRACTICE)
    widget = Reflect(prompt, recorder, catalog.course.privacy_notice)
    widget.texts["feelings"].value = "I felt stung <b>and</b> defensive"
    widget.save_button.click()
    widget.share.value = True
    widget.texts["action_plan"].value = "Name the rupture next time"
    widget.save_button.click()
    private, shared = stored(recorder, "reflect")
    assert private.shared is False and shared.shared is True
    assert shared.answer["stages"]["action_plan"] == "Name the rupture next time"
    again = Reflect(prompt, recorder, catalog.course.privacy_notice)
    assert again.texts["feelings"].value.startswith("I felt stung") and again.share.value is True


def test_choice_items(catalog: Catalog, recorder: StoreRecorder) -> None:
    check = next(k for k in catalog.knowledge_checks if k.challenge == PRACTICE)
    quiz = KnowledgeCheckQuiz(check, recorder)
    quiz.choice.value = next(i for i, o in enumerate(check.options) if not o.correct)
    quiz.check.click()
    assert "The best answer" in quiz.feedback.value
    match = catalog.strategy_matches[0]
    sm = StrategyMatchQuiz(catalog, match, recorder)
    sm.choice.value = match.answer
    sm.check.click()
    assert stored(recorder, "strategy-match")[0].answer == {"choice": match.answer}
    assert StrategyMatchQuiz(catalog, match, recorder).choice.value == match.answer


def test_a_failing_save_is_shown_not_raised(catalog: Catalog, recorder: StoreRecorder) -> None:
    class Broken(StoreRecorder):
        def save(self, *args: Any, **kwargs: Any) -> Any:
            raise OSError("disk full")

    broken = Broken(recorder.path, "Ada Test", PRACTICE)
    check = catalog.knowledge_checks[0]
    quiz = KnowledgeCheckQuiz(check, broken)
    quiz.choice.value = 0
    quiz.check.click()  # must not raise
    assert "disk full" in quiz.status.value and "wb-error" in quiz.status.value


def test_typed_text_is_kept_as_a_draft_and_refilled(catalog: Catalog, recorder: StoreRecorder) -> None:
    widget = Respond(catalog, PRACTICE, recorder)
    widget.response.value = "I wonder whether"  # typed, not submitted
    widget.drafts.flush()  # what the pause in typing triggers
    assert "Draft kept" in widget.status.value
    assert [a.role for a in stored(recorder, "respond")] == ["draft"]  # kept, but not an attempt
    again = Respond(catalog, PRACTICE, recorder)  # kernel restarted, notebook run again
    assert again.response.value == "I wonder whether" and again.reveal.layout.display == "none"
    assert "Draft kept" in again.status.value
    with ResponseStore(recorder.path, recorder.trainee) as store:  # never exported, reviewed or counted
        assert "I wonder whether" not in json.dumps(export_responses(store, backup=True))
        page = Review(catalog, PRACTICE, store.attempts(), include_private=True).respond()
        assert "I wonder whether" not in page and "No responses yet" in page
        assert progress(catalog, PRACTICE, store.attempts()).attempts == 0
    again.response.value = "I wonder whether that felt like criticism."
    again.submit.click()
    assert "Submitted" in again.status.value
    with ResponseStore(recorder.path, recorder.trainee) as store:
        assert [a.role for a in store.attempts()] == ["trainee"]  # the draft went with the submission


def test_a_draft_keeper_saves_after_a_pause_not_per_keystroke(catalog: Catalog, recorder: StoreRecorder) -> None:
    prompt = next(p for p in catalog.reflection_prompts if p.challenge == PRACTICE)
    widget = Reflect(prompt, recorder, catalog.course.privacy_notice)
    widget.drafts.delay = 0.05
    for text in ("I", "I felt", "I felt stung"):
        widget.texts["feelings"].value = text
    deadline = time.monotonic() + 5
    while "Draft kept" not in widget.status.value and time.monotonic() < deadline:
        time.sleep(0.02)
    with ResponseStore(recorder.path, recorder.trainee) as store:
        drafts = store.attempts(role="draft")
    assert [d.answer["fields"]["feelings"] for d in drafts] == ["I felt stung"]  # one write, the last text
    assert Reflect(prompt, recorder, catalog.course.privacy_notice).texts["feelings"].value == "I felt stung"


def test_submitting_drops_a_pending_draft_and_a_cleared_box_stays_clear(
    catalog: Catalog, recorder: StoreRecorder
) -> None:
    prompt = next(p for p in catalog.reflection_prompts if p.challenge == PRACTICE)
    widget = Reflect(prompt, recorder, catalog.course.privacy_notice)
    widget.drafts.delay = 0.2
    widget.texts["description"].value = "A"
    widget.texts["feelings"].value = "B: my own history"
    widget.save_button.click()  # within the pause: the pending draft must not land after this
    time.sleep(0.4)
    assert "Submitted" in widget.status.value
    with ResponseStore(recorder.path, recorder.trainee) as store:
        assert store.attempts(role="draft") == []
    widget.texts["feelings"].value = ""  # the trainee takes that back
    widget.texts["description"].value = "A2"
    widget.drafts.flush()
    again = Reflect(prompt, recorder, catalog.course.privacy_notice)
    assert again.texts["description"].value == "A2" and again.texts["feelings"].value == ""
