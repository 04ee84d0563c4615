"""The README's malformed-input table promises only what a test asserts.

Every message in the table under "When something is wrong" must appear, word for word, as a
string in a test module; a message changed in the code then fails its test, and a message
changed only in the README fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTION = "### When something is wrong"


def _table_rows() -> list[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 3 and cells[2].startswith("`") and cells[2].endswith("`"):
            rows.append((cells[0], cells[1], cells[2][1:-1]))
    return rows


def _test_strings() -> set[str]:
    strings: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
    return strings


def test_every_message_in_the_table_is_asserted_by_a_test() -> None:
    rows = _table_rows()
    assert len(rows) >= 25
    strings = _test_strings()
    missing = [message for _, _, message in rows if message not in strings]
    assert not missing, "README messages no test asserts:\n" + "\n".join(missing)


def test_each_row_is_one_line_and_names_its_input() -> None:
    for kind, example, message in _table_rows():
        assert kind and example and "\n" not in message
        assert re.match(r"^(error: |[\w./-]+(:\d+)?: )", message), message
