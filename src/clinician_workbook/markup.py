"""Text to HTML, safely: the trust boundary of every page the workbook shows.

Only these functions (and the templates, which autoescape) turn text into
:class:`~markupsafe.Markup`. Course prose may use light Markdown but never raw HTML; trainee
text is always plain data. Anything else reaching HTML is a ``str`` and gets escaped.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# commonmark with raw HTML switched off: content authors write Markdown, never markup
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
# A batch renders the same course prose for every trainee: each text is parsed once per process.
_CACHED = 4096  # texts; a course has a few hundred


@lru_cache(maxsize=_CACHED)
def prose(text: str) -> Markup:
    """Course prose (trusted, but still without raw HTML) as block HTML."""
    return Markup(_MD.render(text))


@lru_cache(maxsize=_CACHED)
def inline(text: str) -> Markup:
    """Course prose as inline HTML (no surrounding paragraph)."""
    return Markup(_MD.renderInline(text))


def spoken(text: str) -> str:
    """Course prose as plain text (Markdown marks dropped), for a control's accessible name."""
    return inline(text).striptags()


def plain(text: str) -> Markup:
    """Trainee text: escaped, line breaks kept. Never interpreted as Markdown or HTML."""
    return escape(text).replace("\n", Markup("<br>"))
