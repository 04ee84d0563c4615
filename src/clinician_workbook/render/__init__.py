"""Static HTML for every page: templates with autoescaping on, one macro per section or piece.

Trainee text and every other plain value are escaped by the templates; course prose is passed
through :mod:`..markup` (the ``prose``/``inline`` filters), which returns ``Markup``. Only
``Markup`` is ever inserted unescaped.
"""

from __future__ import annotations

import contextlib
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup

from .. import clock, markup


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept between processes (compiling them all costs a fifth of a second
    each time a page, an export or a batch worker starts): Jinja's cache, keyed by each template's
    source, in a folder of the temporary directory that only this user can open (Jinja checks
    its owner and mode). A cache that cannot be written only means compiling next time too."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> FileSystemBytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # the folder is someone else's, or open to others: no cache
        return None


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("clinician_workbook.render", "templates"),
        bytecode_cache=_compiled_templates(),
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
