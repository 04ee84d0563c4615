"""A test-only pytest plugin: the bundled course is the folder named by ``WORKBOOK_BIGGER_COURSE``.

Loaded with ``-p tests.course.bigger_course_plugin`` before any test module is imported, it points
``clinician_workbook.paths`` at another course, so every caller of ``bundled_content_dir`` (the
loader, the CLI, ``load_bundled()``) sees that course instead of content/. Used by
tests/course/test_unit_tests_hold_for_a_bigger_course.py; it does nothing when the variable is unset.
"""

from __future__ import annotations

import os
from pathlib import Path

from clinician_workbook import paths

VARIABLE = "WORKBOOK_BIGGER_COURSE"

_folder = os.environ.get(VARIABLE)
if _folder:
    _original = paths._bundled
    _course = Path(_folder).resolve()
    if not (_course / "course.yaml").is_file():
        raise RuntimeError(f"{VARIABLE}={_folder}: no course.yaml there")

    def _bundled(name: str) -> Path:
        # Only the content moves; the notebooks stay the package's own.
        return _course if name == "content" else _original(name)

    paths._bundled = _bundled


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Say which course stood in for the bundled one, so a run shows the plugin was in effect."""
    if _folder:
        from clinician_workbook.content import load_bundled

        course = load_bundled()
        terminalreporter.write_line(
            f"bundled course: {paths.bundled_content_dir()} ({len(course.challenges)} challenges)"
        )
