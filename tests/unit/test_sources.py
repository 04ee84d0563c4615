"""Reading files: YAML with line numbers, Markdown front matter, undecodable bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinician_workbook.content.sources import (
    SourceProblem,
    parse_front_matter,
    parse_yaml,
    read_text,
)


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
