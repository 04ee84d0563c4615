"""Static HTML for the handout and review modes: no widgets, no scripts, print-ready.

Templates are Jinja with autoescaping on, so trainee text is always escaped; course prose is
passed through :mod:`..markup` first and marked safe.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import clock, feedback, markup


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("clinician_workbook.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["prose"] = lambda text: Markup(markup.prose(str(text)))
    env.filters["inline"] = lambda text: Markup(markup.inline(str(text)))
    env.filters["plain"] = lambda text: Markup(markup.plain(str(text)))
    env.filters["html"] = Markup  # for HTML built by feedback.py (escaped there)
    env.filters["local_date"] = clock.local_date
    env.filters["content_note"] = lambda notes: Markup(feedback.content_note(list(notes)))
    return env


def render(template: str, macro: str, **context: Any) -> str:
    """Call ``macro`` of ``template`` with ``context``; returns HTML."""
    module = environment().get_template(template).make_module(context)
    return str(getattr(module, macro)(**context))


def draft_notice(course: Any) -> str:
    """The "not yet clinically reviewed" notice every page of draft content shows (one macro)."""
    return render("common.html.j2", "draft_notice", course=course)
