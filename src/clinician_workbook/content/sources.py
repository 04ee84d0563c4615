"""Read one content file into plain data plus a map from data paths to source lines.

YAML files are read whole; Markdown files are split into YAML front matter and body.
Every failure becomes a :class:`~clinician_workbook.errors.Problem` naming the file and,
where the parser knows it, the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

DataPath = tuple[str | int, ...]


@dataclass
class Source:
    """The data read from one file, with the line of every key and list item."""

    path: str
    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict)

    def line_of(self, path: DataPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor the parser located."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


class SourceProblem(Exception):
    """A file could not be read at all; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _map_lines(node: yaml.Node, path: DataPath, lines: dict[DataPath, int], offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + 1 + offset
            _map_lines(value_node, (*path, key), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*path, index), lines, offset)


def parse_yaml(text: str, path: str, offset: int = 0) -> Source:
    """Parse YAML ``text``; ``offset`` is the number of lines before it in the file."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else None
        reason = err.problem or err.context or "invalid YAML"
        raise SourceProblem(Problem(path, line, "", f"YAML syntax error: {reason}")) from err
    except yaml.YAMLError as err:
        raise SourceProblem(Problem(path, None, "", f"YAML error: {err}")) from err
    finally:
        loader.dispose()
    source = Source(path, data)
    if node is not None:
        _map_lines(node, (), source.lines, offset)
    return source


def read_text(file: Path, display: str) -> str:
    """The file's text as UTF-8, or a problem naming the first undecodable byte."""
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SourceProblem(
            Problem(
                display,
                line,
                "",
                f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8",
            )
        ) from err


def parse_front_matter(text: str, path: str) -> Source:
    """Split a Markdown file into front matter (data) and body (``data['body']``)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise SourceProblem(Problem(path, 1, "", "front matter must start with a '---' line"))
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise SourceProblem(Problem(path, 1, "", "front matter has no closing '---' line"))
    source = parse_yaml("".join(lines[1:index]), path, offset=1)
    if not isinstance(source.data, dict):
        raise SourceProblem(Problem(path, 2, "", "front matter must be a mapping of fields (key: value)"))
    if "body" in source.data:
        raise SourceProblem(
            Problem(
                path,
                source.line_of(("body",)),
                "body",
                "set by the Markdown text after the front matter, not in it",
            )
        )
    source.data["body"] = "".join(lines[index + 1 :]).strip()
    source.lines[("body",)] = index + 2
    return source
