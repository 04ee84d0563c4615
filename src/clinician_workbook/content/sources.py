"""Read one content file into plain data plus a map from data paths to source lines.

This module is the input boundary for course content: every byte of a content file passes
through :func:`read_text` and :func:`parse_yaml` (Markdown front matter too), and anything
hostile or broken stops here as one located :class:`~clinician_workbook.errors.Problem`:

- a file larger than :attr:`ReadLimits.max_bytes`, one that cannot be read, one that is not
  UTF-8 or holds a NUL byte or a control character;
- YAML syntax errors, at the line where the mistake is (an unclosed quote is reported where it
  opens, not where the parser gives up);
- anchors and aliases (``&name`` / ``*name``): content never needs them, and refusing them while
  the file is composed means a "billion laughs" file is never expanded;
- nesting deeper than :attr:`ReadLimits.max_depth`, more than :attr:`ReadLimits.max_nodes`
  values in one file, and a key given twice in one mapping (at any depth);
- a value YAML types but cannot build (``2025-02-30``, ``!!int x``) and numbers of 2**63 or more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..errors import Problem

DataPath = tuple[str | int, ...]


def format_field(loc: DataPath) -> str:
    """('signs', 1, 'rupture') -> 'signs[1].rupture'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class ReadLimits:
    """How much one content file may hold; far above real content, far below what hurts."""

    max_bytes: int = 2 * 1024 * 1024
    max_depth: int = 32  # real content nests 7 (file, collection, item, field, steps, group, action)
    max_nodes: int = 200_000  # every key, value and list item; a 2 MiB file of real items has ~100,000


DEFAULT_LIMITS = ReadLimits()


@dataclass
class Source:
    """The data read from one file, with the line of every key and list item."""

    path: str
    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict)
    # path -> (its index, index past its last descendant) in ``lines``' insertion order: the walk
    # records a subtree contiguously, so an item's fields are one slice, not a scan of the file
    spans: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    _order: list[DataPath] = field(default_factory=list, repr=False)

    def line_of(self, path: DataPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor the parser located."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def fields_under(self, base: DataPath) -> dict[DataPath, int]:
        """The line of every path below ``base``, relative to it (in time linear in their number)."""
        if not base:
            return {path: line for path, line in self.lines.items() if path}
        if base not in self.spans:
            return {}
        if len(self._order) != len(self.lines):
            self._order = list(self.lines)
        start, end = self.spans[base]
        size = len(base)
        return {path[size:]: self.lines[path] for path in self._order[start + 1 : end]}


class SourceProblem(Exception):
    """A file could not be read at all; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Refused(Exception):
    """The YAML is well-formed but not acceptable as content; raised at the event or node."""

    def __init__(self, at: yaml.Event | yaml.Node, message: str) -> None:
        super().__init__(message)
        self.line: int | None = at.start_mark.line if at.start_mark else None  # 0-based
        self.message = message


def _event_parser(text: str) -> Any:
    """A YAML event parser: libyaml's when PyYAML was built with it (about 8x faster), else PyYAML's."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return yaml.SafeLoader(text)
    return CParser(text)


class _ContentLoader(Composer, SafeConstructor, Resolver):
    """PyYAML's safe loader, refusing anchors, aliases, deep nesting and huge files as it composes.

    PyYAML's own composer runs over the events, with checks before any node is built, so nothing
    a hostile file asks for is ever expanded.
    """

    def __init__(self, text: str, limits: ReadLimits) -> None:
        self.events = _event_parser(text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.limits = limits
        self.depth = 0
        self.nodes = 0

    # the composer asks for events through these three
    def check_event(self, *choices: type[yaml.Event]) -> bool:
        return bool(self.events.check_event(*choices))

    def peek_event(self) -> yaml.Event:
        event: yaml.Event = self.events.peek_event()
        return event

    def get_event(self) -> yaml.Event:
        event: yaml.Event = self.events.get_event()
        return event

    def dispose(self) -> None:
        self.events.dispose()

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep)
        except (ValueError, OverflowError) as err:
            # a value that matches a type's pattern but not its range (2025-13-45, a 5,000-digit
            # int): PyYAML lets the plain Python error out, unlocated; the innermost node names it
            kind = {"int": "a whole number", "float": "a number", "timestamp": "a date"}.get(
                str(node.tag).rsplit(":", 1)[-1], "a value"
            )
            reason = str(err).split(";")[0]
            raise _Refused(
                node, f"cannot read this as {kind} ({reason}); put it in quotes if it is meant as text"
            ) from err
        # content counts small things (order, rubric levels); a huge int (0xfff... runs to any
        # length) would only fail later, where printing it raises instead of reporting it
        if isinstance(value, int) and value.bit_length() > 63:
            raise _Refused(node, "number too large (content numbers are below 2**63)")
        return value

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                event,
                "YAML anchors and aliases (&name, *name) are not allowed in content; write the value out",
            )
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Refused(
                event,
                f"more than {self.limits.max_nodes:,} keys, values and list items in one file; split it",
            )
        if self.depth >= self.limits.max_depth:
            raise _Refused(event, f"nested more than {self.limits.max_depth} levels deep")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        return node


def _map_lines(source: Source, node: yaml.Node, path: DataPath, line: int, offset: int) -> None:
    """Record ``path`` and everything below it; refuse a key given twice in one mapping."""
    start = len(source.lines)
    source.lines[path] = line
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            key_line = key_node.start_mark.line + 1 + offset
            if key in first:
                raise SourceProblem(
                    Problem(
                        source.path,
                        key_line,
                        format_field((*path, key)),
                        f"duplicate key (first at line {first[key]})",
                    )
                )
            first[key] = key_line
            _map_lines(source, value_node, (*path, key), key_line, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(source, item, (*path, index), item.start_mark.line + 1 + offset, offset)
    source.spans[path] = (start, len(source.lines))


# what a parser context names -> how a trainer would say it; these errors are noticed where the
# parser gives up (often the end of the file), so they are reported where the construct opens
_UNCLOSED = {
    "while scanning a quoted scalar": "a quoted value",
    "while parsing a flow sequence": "a '[' list",
    "while parsing a flow mapping": "a '{' mapping",
}


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    problem, context = err.problem or "", err.context or ""
    problem_line = err.problem_mark.line + 1 + offset if err.problem_mark else None
    if context in _UNCLOSED and err.context_mark is not None:
        line = err.context_mark.line + 1 + offset
        noticed = f" at line {problem_line}" if problem_line and problem_line != line else ""
        return Problem(
            path, line, "", f"YAML syntax error: {_UNCLOSED[context]} opened here is not closed ({problem}{noticed})"
        )
    if context == "while scanning a simple key" and err.context_mark is not None:
        # a key without its ':' is noticed on the next line that is not a comment
        line = err.context_mark.line + 1 + offset
        noticed = f" at line {problem_line}" if problem_line and problem_line != line else ""
        return Problem(
            path, line, "", f"YAML syntax error: this line is neither 'key: value' nor '- item' ({problem}{noticed})"
        )
    cause = _dedent_before(text, err.problem_mark) if problem in _LOST_PLACE else None
    if cause is not None and problem_line is not None:
        return Problem(
            path,
            cause + 1 + offset,
            "",
            f"YAML syntax error: this line is indented less than line {problem_line} after it, which then "
            f"belongs to nothing; check the indentation of both ({problem})",
        )
    opened = _runaway_quote(text, err.problem_mark)
    if opened is not None and problem_line is not None:
        return Problem(
            path,
            opened + 1 + offset,
            "",
            f"YAML syntax error: a quoted value opened here runs on to line {problem_line}; "
            "is its closing quote missing?",
        )
    mark = err.problem_mark or err.context_mark
    where = mark.line + 1 + offset if mark else None
    return Problem(path, where, "", f"YAML syntax error: {problem or context or 'invalid YAML'}")


# the parser met a line it cannot place in the block it is in
_LOST_PLACE = {"did not find expected '-' indicator", "did not find expected key"}


def _dedent_before(text: str, at: yaml.Mark | None) -> int | None:
    """The (0-based) line that closed the block a deeper line at ``at`` was meant for, if any.

    A line indented less than the one after it (``  - bad`` above ``    text: ...``) ends the
    block; the parser only trips on the next line, which may be many comment lines further on.
    Only when that next line's indent is one an earlier line opened is the earlier line blamed:
    a line at an indent no block ever had is itself the mistake.
    """
    if at is None:
        return None
    lines = text.splitlines()
    if at.line >= len(lines):
        return None
    content = [index for index in range(at.line) if lines[index].strip() and not lines[index].strip().startswith("#")]
    if not content:
        return None
    *before, previous = content
    wanted = _indent(lines[at.line])
    if _indent(lines[previous]) >= wanted:
        return None
    opened: set[int] = set()
    for index in before:
        line = lines[index]
        column = _indent(line)
        opened.add(column)
        while line[column:].startswith("- "):  # "  - id: x" opens a block at the column of "id"
            column += 2
            column += _indent(line[column:])
            opened.add(column)
    return previous if wanted in opened else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _runaway_quote(text: str, at: yaml.Mark | None) -> int | None:
    """The (0-based) opening line of a quoted value that ends on the line of the error at ``at``.

    A missing closing quote swallows every line up to the next quote character; the parser then
    trips over what follows it, far below the real mistake. Only then is this rescan worth it.
    """
    if at is None:
        return None
    last: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            # by line and column: libyaml's marks may count the index differently
            if (token.start_mark.line, token.start_mark.column) >= (at.line, at.column):
                break
            last = token
    except yaml.YAMLError:
        pass  # the scan stops at the same mistake; the last good token is what matters
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in {'"', "'"}
        and last.end_mark.line == at.line
        and last.start_mark.line < at.line
    ):
        return int(last.start_mark.line)
    return None


def parse_yaml(text: str, path: str, offset: int = 0, limits: ReadLimits = DEFAULT_LIMITS) -> Source:
    """Parse YAML ``text``; ``offset`` is the number of lines before it in the file."""
    loader = _ContentLoader(text, limits)
    source = Source(path, None)
    try:
        node = loader.get_single_node()
        if node is not None:
            # lines and duplicate keys are checked on the nodes, before any value is built
            _map_lines(source, node, (), node.start_mark.line + 1 + offset, offset)
            source.data = loader.construct_document(node)
    except _Refused as err:
        line = err.line + 1 + offset if err.line is not None else None
        raise SourceProblem(Problem(path, line, "", err.message)) from err
    except yaml.constructor.ConstructorError as err:  # well-formed YAML, but a tag or key we do not read
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else None
        raise SourceProblem(Problem(path, line, "", f"YAML error: {err.problem or err.context}")) from err
    except yaml.MarkedYAMLError as err:
        raise SourceProblem(_syntax_problem(err, text, path, offset)) from err
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1 + offset
        shown = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        raise SourceProblem(Problem(path, line, "", f"character {shown} is not allowed in YAML; remove it")) from err
    except yaml.YAMLError as err:
        raise SourceProblem(Problem(path, None, "", "YAML error: " + " ".join(str(err).split()))) from err
    except RecursionError as err:  # the depth limit should stop this first; never a traceback
        raise SourceProblem(Problem(path, None, "", "nested too deeply to read")) from err
    finally:
        loader.dispose()
    return source


def read_text(file: Path, display: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """The file's text as UTF-8, or a problem: unreadable, too large, a NUL byte, not UTF-8."""
    try:
        with file.open("rb") as stream:
            # read one byte past the limit rather than trusting stat(): a FIFO or a growing file lies
            raw = stream.read(limits.max_bytes + 1)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SourceProblem(Problem(display, None, "", f"cannot read the file: {reason.lower()}")) from err
    if len(raw) > limits.max_bytes:
        raise SourceProblem(
            Problem(
                display,
                None,
                "",
                f"file is larger than {_size(limits.max_bytes)}, the limit for one content file; split it",
            )
        )
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise SourceProblem(Problem(display, line, "", "contains a NUL byte (is it a binary file?); save it as text"))
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


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count % (1024 * 1024) == 0 else f"{count:,} bytes"


def parse_front_matter(text: str, path: str, limits: ReadLimits = DEFAULT_LIMITS) -> Source:
    """Split a Markdown file into front matter (data) and body (``data['body']``)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise SourceProblem(Problem(path, 1, "", "front matter must start with a '---' line"))
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise SourceProblem(Problem(path, 1, "", "front matter has no closing '---' line"))
    source = parse_yaml("".join(lines[1:index]), path, offset=1, limits=limits)
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
