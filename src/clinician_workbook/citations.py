"""References formatted for reading (APA-like), as HTML with every field escaped.

DOIs and web addresses are printed as text, never linked or fetched: exports make no request
to any external host.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from .content.models import Reference


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _sentence(text: Markup) -> Markup:
    """``text`` ending in one full stop (none added after ? or !)."""
    return text if text.rstrip().endswith((".", "?", "!")) else text + Markup(".")


def format_reference(ref: Reference) -> Markup:
    # Markup.format escapes every field; only the literal tags here are markup
    names = [Markup("{}").format(a) for a in ref.authors]
    authors = names[0] if len(names) == 1 else Markup(", ").join(names[:-1]) + Markup(", &amp; ") + names[-1]
    when = f"{ref.published.year}, {ref.published:%B} {ref.published.day}" if ref.published else str(ref.year)
    title = Markup("{}").format(ref.title)
    if ref.edition:
        title += Markup(" ({} ed.)").format(ref.edition)
    parts = [Markup("{} ({}).").format(authors, when), _sentence(title)]
    if ref.venue:
        venue = Markup("<i>{}</i>").format(ref.venue)
        if ref.volume:
            venue += Markup(", <i>{}</i>").format(ref.volume)
        if ref.issue:
            venue += Markup("({})").format(ref.issue)
        if ref.pages:
            venue += Markup(", {}").format(ref.pages)
        parts.append(venue + ".")
    if ref.publisher:
        parts.append(_sentence(Markup("{}").format(ref.publisher)))
    if ref.doi:
        parts.append(Markup("https://doi.org/{}").format(ref.doi))
    if ref.url and ref.accessed:
        parts.append(Markup("Retrieved {}, from {}").format(_long_date(ref.accessed), ref.url))
    elif ref.url:
        parts.append(Markup("{}").format(ref.url))
    if ref.note:
        parts.append(Markup("<small>{}</small>").format(ref.note))
    return Markup(" ").join(parts)
