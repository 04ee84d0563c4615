"""Static HTML for every page: templates with autoescaping on, one macro per section or piece.

Trainee text and every other plain value are escaped by the templates; course prose is passed
through :mod:`..markup` (the ``prose``/``inline`` filters), which returns ``Markup``. Only
``Markup`` is ever inserted unescaped.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import clock, markup


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("clinician_workbook.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["prose"] = lambda text: markup.prose(str(text))
    env.filters["inline"] = lambda text: markup.inline(str(text))
    env.filters["plain"] = lambda text: markup.plain(str(text))
    env.filters["local_date"] = clock.local_date
    return env


def render(template: str, macro: str, **context: Any) -> Markup:
    """Call ``macro`` of ``template`` with ``context``; returns HTML."""
    module = environment().get_template(template).make_module(context)
    return Markup(getattr(module, macro)(**context))


def privacy_notice(text: str) -> Markup:
    """The course's reminder to leave out anything that identifies a client."""
    return render("common.html.j2", "privacy_notice", text=text)


def supervisor_notes(text: str | None) -> Markup:
    """Guidance for supervisors (review exports, supervisor notebook); empty when there is none."""
    return render("common.html.j2", "supervisor_notes", text=text)


def draft_notice(course: Any) -> Markup:
    """The "not yet clinically reviewed" notice every page of draft content shows (one macro)."""
    return render("common.html.j2", "draft_notice", course=course)
