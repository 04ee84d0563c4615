"""Reading files: YAML with line numbers, Markdown front matter, and the limits of the input boundary."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from clinician_workbook.content.sources import (
    DEFAULT_LIMITS,
    ReadLimits,
    SourceProblem,
    parse_front_matter,
    parse_yaml,
    read_text,
)
from tests.unit.conftest import COURSE


def test_lines_of_keys_and_items() -> None:
    source = parse_yaml("a:\n  - id: x\n    text: y\n  - id: z\n", "f.yaml")
    assert source.data == {"a": [{"id": "x", "text": "y"}, {"id": "z"}]}
    assert source.line_of(("a",)) == 1
    assert source.line_of(("a", 0, "text")) == 3
    assert source.line_of(("a", 1)) == 4
    assert source.line_of(("a", 1, "missing")) == 4  # falls back to the item


def test_front_matter_lines_are_file_lines() -> None:
    source = parse_front_matter("---\nid: v\ntitle: T\n---\nBody *text*.\n", "v.md")
    assert source.data == {"id": "v", "title": "T", "body": "Body *text*."}
    assert source.line_of(("title",)) == 3
    assert source.line_of(("body",)) == 5


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no fence\n", "must start with a '---'"),
        ("---\nid: v\n", "no closing '---'"),
        ("---\n- a\n---\nbody", "must be a mapping"),
        ("---\nbody: x\n---\nb", "not in it"),
    ],
)
def test_front_matter_problems(text: str, words: str) -> None:
    with pytest.raises(SourceProblem) as caught:
        parse_front_matter(text, "v.md")
    assert words in str(caught.value)


def test_syntax_error_has_line() -> None:
    with pytest.raises(SourceProblem) as caught:
        parse_yaml("a: 1\nb: [2\nc: 3\n", "f.yaml")
    assert caught.value.problem.path == "f.yaml"
    assert caught.value.problem.line is not None and caught.value.problem.line >= 2


def test_non_utf8_names_line(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(SourceProblem) as caught:
        read_text(file, "x.yaml")
    assert str(caught.value) == "x.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def _problem(text: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(SourceProblem) as caught:
        parse_yaml(text, "f.yaml", limits=limits)
    return str(caught.value)


def test_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefghi", "bcdefghij", strict=True)]
    started = time.perf_counter()
    assert _problem("\n".join(lines)).startswith("f.yaml:1: YAML anchors and aliases")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: *x\n", "f.yaml:1: YAML anchors and aliases"),  # an alias to nothing is refused as an alias
        ("a: 1\nb: &x 2\n", "f.yaml:2: YAML anchors and aliases"),  # an anchor alone, too
        ("a:\n  - !!str &x v\n", "f.yaml:2: YAML anchors and aliases"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, expected: str) -> None:
    assert _problem(text).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3: a: duplicate key (first at line 1)"),
        ("a:\n  - id: x\n    t: 1\n    t: 2\n", "f.yaml:4: a[0].t: duplicate key (first at line 3)"),
        ("a: {b: 1, b: 2}\n", "f.yaml:1: a.b: duplicate key (first at line 1)"),
        ("1: x\n'1': y\n", "f.yaml:2: 1: duplicate key (first at line 1)"),  # one field name, however quoted
    ],
)
def test_duplicate_keys_at_any_depth(text: str, expected: str) -> None:
    assert _problem(text) == expected


def test_duplicate_key_in_front_matter_names_the_file_line() -> None:
    with pytest.raises(SourceProblem) as caught:
        parse_front_matter("---\nid: v\ntitle: A\ntitle: B\n---\nbody\n", "v.md")
    assert str(caught.value) == "v.md:4: title: duplicate key (first at line 3)"


def test_nesting_and_value_limits() -> None:
    limits = ReadLimits(max_depth=3, max_nodes=10)
    assert parse_yaml("a: [1]\n", "f.yaml", limits=limits).data == {"a": [1]}
    assert _problem("a: [[1]]\n", limits) == "f.yaml:1: nested more than 3 levels deep"
    many = "a: [" + ", ".join(["1"] * 9) + "]\n"
    assert _problem(many, limits) == "f.yaml:1: more than 10 keys, values and list items in one file; split it"


def test_recursion_past_the_limit_is_one_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    # a depth limit above what Python's stack allows still ends in one problem (libyaml has its
    # own depth limit, so this needs PyYAML's pure-Python parser)
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)
    deep = "a: " + "[" * 5000 + "]" * 5000
    assert _problem(deep, ReadLimits(max_depth=100_000)) == "f.yaml: nested too deeply to read"


def test_control_character_names_its_line() -> None:
    assert _problem("a: 1\nb: x\x01y\n") == "f.yaml:2: character U+0001 is not allowed in YAML; remove it"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: 1\nb: x\0y\n", "x.yaml:2: contains a NUL byte (is it a binary file?); save it as text"),
        (b"\0", "x.yaml:1: contains a NUL byte (is it a binary file?); save it as text"),
    ],
)
def test_nul_byte_names_its_line(tmp_path: Path, raw: bytes, expected: str) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes(raw)
    with pytest.raises(SourceProblem) as caught:
        read_text(file, "x.yaml")
    assert str(caught.value) == expected


def test_size_limit(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes(b"a: 12345\n")
    assert read_text(file, "x.yaml", ReadLimits(max_bytes=9)) == "a: 12345\n"
    with pytest.raises(SourceProblem) as caught:
        read_text(file, "x.yaml", ReadLimits(max_bytes=8))
    assert str(caught.value) == "x.yaml: file is larger than 8 bytes, the limit for one content file; split it"


def test_same_rules_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML built without libyaml falls back to its own parser: same data, lines and refusals
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)
    source = parse_yaml("a:\n  - id: x\n    text: y\n", "f.yaml")
    assert source.data == {"a": [{"id": "x", "text": "y"}]}
    assert source.line_of(("a", 0, "text")) == 3
    assert _problem("a: &x 1\n").startswith("f.yaml:1: YAML anchors and aliases")
    assert _problem("a: 1\na: 2\n") == "f.yaml:2: a: duplicate key (first at line 1)"


def test_fields_under_matches_a_scan_of_every_path() -> None:
    # the slice-based lookup must give exactly what scanning all of the file's paths gives
    text = (COURSE / "practice" / "test-practice.yaml").read_text(encoding="utf-8")
    source = parse_yaml(text, "f.yaml")
    for base in source.lines:
        size = len(base)
        scanned = {p[size:]: line for p, line in source.lines.items() if len(p) > size and p[:size] == base}
        assert source.fields_under(base) == scanned


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('a:\n  - t: "open\n' + "  # filler\n" * 30, 2, "a quoted value opened here is not closed"),
        ("a:\n  - t: 'open\n" + "  # filler\n" * 30, 2, "a quoted value opened here is not closed"),
        ('a:\n  - t: "open\n    u: 1\n' + "  - t: x\n" * 30 + '  - t: "y"\n', 2, "runs on to line 34"),
        ("a:\n  - t: [x, y\n    u: 1\n", 2, "a '[' list opened here is not closed"),
        ("a:\n  - t: {x: y\n    u: 1\n", 2, "a '{' mapping opened here is not closed"),
        ("a:\n  - t: x\n   u: 1\n", 3, "YAML syntax error"),  # a bad indent: where it is
        ("a: 1\nb: x: y\n", 2, "YAML syntax error"),
    ],
)
def test_syntax_errors_at_the_line_of_the_mistake(text: str, line: int, words: str) -> None:
    problem = _problem(text)
    assert problem.startswith(f"f.yaml:{line}: YAML syntax error"), problem
    assert words in problem and "\n" not in problem, problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2025-13-45\n", "f.yaml:2: cannot read this as a date (month must be in 1..12)"),
        ("a: [1, !!int x]\n", "f.yaml:1: cannot read this as a whole number"),
        ("a: !!float abc\n", "f.yaml:1: cannot read this as a number"),
        ("a: " + "1" * 5000 + "\n", "f.yaml:1: cannot read this as a whole number (Exceeds the limit"),
        ("a: 0x" + "f" * 5000 + "\n", "f.yaml:1: number too large (content numbers are below 2**63)"),
        ("a: 9223372036854775808\n", "f.yaml:1: number too large"),
        ("a: !!python/object:os.system x\n", "f.yaml:1: YAML error: could not determine a constructor"),
    ],
)
def test_values_yaml_cannot_build_are_located(text: str, expected: str) -> None:
    # each of these was a Python ValueError (a traceback in `workbook validate`) or a value that
    # raised later, when a message tried to print it
    problem = _problem(text)
    assert problem.startswith(expected) and "\n" not in problem, problem
    assert "sys.set_int_max_str_digits" not in problem


def test_largest_content_number_is_read() -> None:
    assert parse_yaml("a: 9223372036854775807\n", "f.yaml").data == {"a": 2**63 - 1}
