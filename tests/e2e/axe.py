"""axe-core, pinned, run in a Playwright page: the accessibility check every page a person uses passes.

The script is the ``axe.min.js`` that ships in the pinned ``axe-playwright-python`` wheel (axe-core
4.12.1); we inject it ourselves and call ``axe.run`` on the whole document. A check fails on any
serious or critical violation, except those a test names as coming from third-party markup
(JupyterLab, Voilà): each such allowance names the rule *and* a CSS selector the offending nodes
must match, so a violation of the same rule in our own markup still fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
SEVERE = ("serious", "critical")


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    target: str  # the node's CSS selector, as axe gives it
    html: str
    summary: str

    def __str__(self) -> str:
        return f"{self.impact} {self.rule} at {self.target}: {self.summary} [{self.html[:160]}]"


def version() -> str:
    head = AXE_JS.read_text(encoding="utf-8")[:40]
    return head.split("axe v", 1)[1].split()[0]


def audit(page: Any, *, context: str | None = None) -> tuple[list[Finding], int]:
    """Every serious or critical violation on ``page`` (one per node), and how many rules passed."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    options = {"resultTypes": ["violations"]}
    results = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
    found = [
        Finding(
            v["id"],
            node.get("impact") or v.get("impact") or "",
            ", ".join(map(str, node["target"])),
            node.get("html", ""),
            node.get("failureSummary", "").replace("\n", " "),
        )
        for v in results["violations"]
        for node in v["nodes"]
        if (node.get("impact") or v.get("impact")) in SEVERE
    ]
    return found, len(results.get("passes", []))


def own(findings: list[Finding], page: Any, third_party: dict[str, str]) -> list[Finding]:
    """The findings not explained by ``third_party`` ({rule: selector of third-party nodes}):
    a finding is excused only if its node itself matches the selector given for its rule (not
    merely sits inside such a node: all our markup sits inside JupyterLab's)."""
    kept = []
    for finding in findings:
        selector = third_party.get(finding.rule)
        if selector and page.evaluate(
            "([target, sel]) => { const n = document.querySelector(target); return !!n && n.matches(sel); }",
            [finding.target, selector],
        ):
            continue
        kept.append(finding)
    return kept


def report(name: str, findings: list[Finding], excused: int, passes: int, folder: Path) -> None:
    """Keep what axe said in build/e2e/axe/<name>.json, for the note and for debugging."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"axe": version(), "own": [str(f) for f in findings], "third_party_excused": excused, "rules_passed": passes}
    (folder / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
