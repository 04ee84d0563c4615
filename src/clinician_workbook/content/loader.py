"""Load a content folder: files -> sources -> typed items, collecting every problem.

``load_catalog`` never stops at the first problem: a trainer fixing content wants the
whole list at once. Cross-file rules live in :mod:`.validate`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from .catalog import Catalog, Location
from .models import (
    Challenge,
    ClientStatement,
    CourseInfo,
    Item,
    KnowledgeCheck,
    RedFlag,
    Reference,
    ReflectionPrompt,
    SafetyNotice,
    SkillCriterion,
    Strategy,
    StrategyMatch,
    TriageAction,
    TriageCase,
    Vignette,
)
from .sources import (
    DEFAULT_LIMITS,
    DataPath,
    ReadLimits,
    Source,
    SourceProblem,
    format_field,
    parse_front_matter,
    parse_yaml,
    read_text,
)

# collection name in a YAML file -> (kind of item, model)
COLLECTIONS: dict[str, tuple[str, type[Item]]] = {
    "course": ("course", CourseInfo),
    "challenges": ("challenge", Challenge),
    "strategies": ("strategy", Strategy),
    "triage_actions": ("triage_action", TriageAction),
    "red_flags": ("red_flag", RedFlag),
    "safety_notices": ("safety_notice", SafetyNotice),
    "references": ("reference", Reference),
    "vignettes": ("vignette", Vignette),
    "skill_criteria": ("skill_criterion", SkillCriterion),
    "client_statements": ("client_statement", ClientStatement),
    "knowledge_checks": ("knowledge_check", KnowledgeCheck),
    "reflection_prompts": ("reflection_prompt", ReflectionPrompt),
    "triage_cases": ("triage_case", TriageCase),
    "strategy_matches": ("strategy_match", StrategyMatch),
}
# `kind:` in a Markdown file's front matter -> collection name
MARKDOWN_KINDS = {"vignette": "vignettes", "triage_case": "triage_cases"}


def suggest(value: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for a close match, else '' ."""
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def _owner(model: type[Item], loc: tuple[str | int, ...]) -> Any:
    """The (possibly nested) model that holds the field at ``loc``."""
    owner: Any = model
    for part in loc[:-1]:
        field = owner.model_fields.get(part) if isinstance(part, str) else None
        annotation = getattr(field, "annotation", None)
        args = getattr(annotation, "__args__", ())
        owner = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), owner)
    return owner


def _close_fields(error: Any, model: type[Item]) -> list[str]:
    loc = tuple(error["loc"])
    return difflib.get_close_matches(str(loc[-1]), list(_owner(model, loc).model_fields), n=1)


def _describe(error: Any, model: type[Item], loc: tuple[str | int, ...]) -> str:
    kind: str = error["type"]
    message: str = error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = sorted(_owner(model, loc).model_fields)
        return "unknown field" + (suggest(str(loc[-1]), allowed) or f" (allowed: {', '.join(allowed)})")
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    value = error.get("input")
    if kind in {
        "literal_error",
        "string_pattern_mismatch",
        "int_parsing",
        "bool_parsing",
        "string_type",
        "list_type",
        "dict_type",
        "model_type",
        "int_type",
    }:
        shown = type(value).__name__ if isinstance(value, (dict, list)) else repr(value)
        message += f" (got {shown})"
    return message


def _problems_from(err: ValidationError, source: Source, base: DataPath, model: type[Item]) -> list[Problem]:
    problems = []
    errors = err.errors()
    # a misspelt key shows up twice (unknown key + missing field): report it once, as the typo
    misspelt = {
        (*e["loc"][:-1], close) for e in errors if e["type"] == "extra_forbidden" for close in _close_fields(e, model)
    }
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = _describe(error, model, loc)
        field = format_field(loc)
        # model-level rules name their field as "field: message"
        if not field and ": " in message and message.split(": ", 1)[0].isidentifier():
            field, message = message.split(": ", 1)
            loc = (field,)
        problems.append(Problem(source.path, source.line_of((*base, *loc)), field, message))
    return problems


def _add_item(
    catalog: Catalog,
    kind: str,
    model: type[Item],
    raw: Any,
    source: Source,
    base: DataPath,
    problems: list[Problem],
) -> None:
    if not isinstance(raw, dict):
        shown = "a list" if isinstance(raw, list) else repr(raw)
        problems.append(
            Problem(
                source.path,
                source.line_of(base),
                format_field(base[-2:]) or kind,
                f"each {kind} must be a mapping of fields, got {shown}",
            )
        )
        return
    try:
        item = model.model_validate(raw)
    except ValidationError as err:
        problems.extend(_problems_from(err, source, base, model))
        return
    _register(catalog, kind, item, _locate(source, base), problems)
    if isinstance(item, Challenge):  # signs are written inside their challenge
        for index, sign in enumerate(item.signs):
            _register(catalog, "sign", sign, _locate(source, (*base, "signs", index)), problems)


def _locate(source: Source, base: DataPath) -> Location:
    return Location(source.path, source.line_of(base), source.fields_under(base))


def _register(catalog: Catalog, kind: str, item: Item, where: Location, problems: list[Problem]) -> None:
    first = catalog.add(kind, item, where)
    if first is not None:
        problems.append(Problem(where.path, where.line, "id", f"duplicate id {item.id!r} (first defined at {first})"))


def _add_yaml(catalog: Catalog, source: Source, problems: list[Problem]) -> None:
    if source.data is None:
        problems.append(Problem(source.path, None, "", "file is empty"))
        return
    if not isinstance(source.data, dict):
        problems.append(
            Problem(
                source.path,
                1,
                "",
                f"top level must be a mapping of collection names ({', '.join(COLLECTIONS)}) to lists",
            )
        )
        return
    for name, entries in source.data.items():
        if name not in COLLECTIONS:
            problems.append(
                Problem(
                    source.path,
                    source.line_of((name,)),
                    str(name),
                    "unknown collection"
                    + (suggest(str(name), list(COLLECTIONS)) or f" (known: {', '.join(COLLECTIONS)})"),
                )
            )
            continue
        kind, model = COLLECTIONS[name]
        if not isinstance(entries, list):
            problems.append(
                Problem(
                    source.path,
                    source.line_of((name,)),
                    name,
                    f"must be a list of {kind} items (each starting with '- ')",
                )
            )
            continue
        for index, raw in enumerate(entries):
            _add_item(catalog, kind, model, raw, source, (name, index), problems)


def _add_markdown(catalog: Catalog, source: Source, problems: list[Problem]) -> None:
    if "kind" not in source.data:
        # guessing a kind would bury this one mistake under that kind's missing fields
        problems.append(
            Problem(source.path, 2, "kind", f"required field is missing (one of: {', '.join(MARKDOWN_KINDS)})")
        )
        return
    kind_name = source.data.pop("kind")
    if not isinstance(kind_name, str) or kind_name not in MARKDOWN_KINDS:
        # every known kind, typo or not: an author may not know there are only these
        known = f"known: {', '.join(MARKDOWN_KINDS)}"
        hint = suggest(kind_name, list(MARKDOWN_KINDS)) if isinstance(kind_name, str) else ""
        if hint:
            known += "; did you mean " + hint[len(" (did you mean ") : -1]
        shown = repr(kind_name) if not isinstance(kind_name, (dict, list)) else type(kind_name).__name__
        problems.append(Problem(source.path, source.line_of(("kind",)), "kind", f"unknown kind {shown} ({known})"))
        return
    kind, model = COLLECTIONS[MARKDOWN_KINDS[kind_name]]
    _add_item(catalog, kind, model, source.data, source, (), problems)


def content_files(root: Path, unreadable: list[OSError] | None = None) -> list[Path]:
    """Every content file under ``root``, in a stable order.

    The error for each folder that cannot be listed is appended to ``unreadable``
    (``Path.rglob`` skips them silently: every item in them would vanish without a word).
    """
    found: list[Path] = []

    def skipped(err: OSError) -> None:
        if unreadable is not None:
            unreadable.append(err)

    for folder, subfolders, names in os.walk(root, onerror=skipped):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix in {".yaml", ".yml", ".md"}
        )
    return sorted(p for p in found if p.is_file())


def load_catalog(
    root: Path, display_root: Path | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[Catalog, list[Problem]]:
    """Read every file under ``root``; return what loaded and every problem found on the way.

    Paths in problems are shown relative to ``display_root`` (default: the folder above
    ``root``, so they read ``content/vignettes/x.md``). ``limits`` bounds what one file may hold.
    """
    catalog, problems = Catalog(), list[Problem]()
    shown_from = display_root or root.parent

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(shown_from))
        except ValueError:
            return str(path)

    unreadable: list[OSError] = []
    files = content_files(root, unreadable)
    for err in unreadable:
        reason = (err.strerror or type(err).__name__).lower()
        problems.append(Problem(shown(Path(err.filename or root)), None, "", f"cannot list this folder: {reason}"))
    for file in files:
        display = shown(file)
        try:
            text = read_text(file, display, limits)
            if file.suffix == ".md":
                _add_markdown(catalog, parse_front_matter(text, display, limits), problems)
            else:
                _add_yaml(catalog, parse_yaml(text, display, limits=limits), problems)
        except SourceProblem as err:
            problems.append(err.problem)
    return catalog, problems
