"""Text to HTML, safely: course prose may use light Markdown; trainee text is always plain data."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

# commonmark with raw HTML switched off: content authors write Markdown, never markup
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def prose(text: str) -> str:
    """Course prose (trusted, but still without raw HTML) as block HTML."""
    return str(_MD.render(text))


def inline(text: str) -> str:
    """Course prose as inline HTML (no surrounding paragraph)."""
    return str(_MD.renderInline(text))


def plain(text: str) -> str:
    """Trainee text: escaped, line breaks kept. Never interpreted as Markdown or HTML."""
    return html.escape(text).replace("\n", "<br>")
