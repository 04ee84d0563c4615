"""The proof that tests/unit tests code, not the bundled course: they pass with a bigger course.

A fifth challenge is added to a copy of the bundled course (one practice challenge's files copied
under new ids, with the next ``order``), and ``pytest tests/unit`` runs in a subprocess with the
bundled content pointed at that copy (tests/course/bigger_course_plugin.py). A unit test that
leans on the bundled course's size or shape fails there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import clinician_workbook
from clinician_workbook.content import Catalog, validate_content

pytestmark = [pytest.mark.course, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = "WORKBOOK_BIGGER_COURSE"  # read by the plugin (not imported here: importing it would apply it)
NEW_ID_SUFFIX = "-again"
NEW_PREFIX = "ag"


def _files_of(catalog: Catalog, challenge: str) -> list[str]:
    """The files (relative to the content folder) that hold the challenge and everything of its own."""
    found = catalog.challenge(challenge)
    own = {challenge, *(s.id for s in found.signs)}
    for kind in ("vignette", "client_statement", "skill_criterion", "knowledge_check", "reflection_prompt"):
        for item in catalog.items.get(kind, {}).values():
            if challenge in getattr(item, "challenges", [getattr(item, "challenge", None)]):
                own.add(item.id)
    paths = {catalog.locations[item].path for item in own}
    others = [i for i, where in catalog.locations.items() if where.path in paths and i not in own]
    assert not others, f"these files also hold other items: {others}"  # copying them would duplicate those
    return sorted(path.split("/", 1)[1] for path in paths)


def build_bigger_course(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` and add a copy of its last practice challenge; return the new id."""
    catalog = validate_content(source)
    shutil.copytree(source, target)
    practice = [c for c in catalog.challenges if c.signs]
    old = practice[-1]
    prefix = old.signs[0].id.split("-", 1)[0]  # a challenge's items share its prefix (st-, ra-, ...)
    new_id, order = old.id + NEW_ID_SUFFIX, max(c.order for c in catalog.challenges) + 1

    def renamed(text: str) -> str:
        text = re.sub(rf"\b{re.escape(old.id)}\b", new_id, text)
        text = re.sub(rf"\b{re.escape(prefix)}-", f"{NEW_PREFIX}-", text)
        text = re.sub(rf"(?m)^(    order:) {old.order}$", rf"\g<1> {order}", text, count=1)
        return re.sub(rf"(?m)^(    title: ){re.escape(old.title)}$", rf"\g<1>{old.title} again", text, count=1)

    for rel in _files_of(catalog, old.id):
        copy = target / renamed(rel)
        assert not copy.exists(), copy
        copy.write_text(renamed((source / rel).read_text(encoding="utf-8")), encoding="utf-8")
    return new_id


def test_the_unit_tests_pass_on_a_bigger_course(tmp_path: Path) -> None:
    from clinician_workbook.paths import bundled_content_dir

    bigger = tmp_path / "content"
    new_id = build_bigger_course(bundled_content_dir(), bigger)
    course = validate_content(bigger)  # a valid course: any unit test failing on it is the test's fault
    assert len(course.challenges) == len(validate_content(bundled_content_dir()).challenges) + 1
    assert course.challenge(new_id).signs

    package_root = str(Path(clinician_workbook.__file__).resolve().parents[1])  # the same package, in the child
    env = {**os.environ, VARIABLE: str(bigger)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*command, "-p", "tests.course.bigger_course_plugin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # the plugin was in effect: the child's bundled course was the bigger one
    assert f"bundled course: {bigger.resolve()} ({len(course.challenges)} challenges)" in run.stdout, run.stdout[-2000:]
