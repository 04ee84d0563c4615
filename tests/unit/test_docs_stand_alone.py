"""The README and docs/ stand alone: every file they point to is in this repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")  # [text](target) or [text](target#part)
# a relative path in backquotes that reaches out of the folder it is written in: `../x`
OUTWARD = re.compile(r"`(\.\./[^`\s]+)`")


def local_targets(text: str) -> list[str]:
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("doc", DOCS, ids=[str(doc.relative_to(ROOT)) for doc in DOCS])
def test_every_link_resolves_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target in [*local_targets(text), *OUTWARD.findall(text)]:
        resolved = (doc.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{doc.name} points outside the repository: {target}"
        assert resolved.exists(), f"{doc.name} points to a missing file: {target}"


def test_the_readme_points_at_the_architecture() -> None:
    assert "docs/architecture.md" in local_targets((ROOT / "README.md").read_text(encoding="utf-8"))
