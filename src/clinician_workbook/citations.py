"""References formatted for reading (APA-like), as HTML with every field escaped."""

from __future__ import annotations

from markupsafe import Markup

from .content.models import Reference


def format_reference(ref: Reference) -> Markup:
    # Markup.format escapes every field; only the literal tags here are markup
    names = [Markup("{}").format(a) for a in ref.authors]
    authors = names[0] if len(names) == 1 else Markup(", ").join(names[:-1]) + Markup(", &amp; ") + names[-1]
    parts = [Markup("{} ({}). {}.").format(authors, ref.year, ref.title)]
    if ref.venue:
        venue = Markup("<i>{}</i>").format(ref.venue)
        if ref.volume:
            venue += Markup(", <i>{}</i>").format(ref.volume)
        if ref.issue:
            venue += Markup("({})").format(ref.issue)
        if ref.pages:
            venue += Markup(", {}").format(ref.pages)
        parts.append(venue + ".")
    if ref.edition:
        parts.append(Markup("({} ed.).").format(ref.edition))
    if ref.publisher:
        parts.append(Markup("{}.").format(ref.publisher))
    if ref.doi:
        parts.append(Markup("doi:{}").format(ref.doi))  # printed, never linked: exports make no external requests
    if ref.note:
        parts.append(Markup("<small>{}</small>").format(ref.note))
    return Markup(" ").join(parts)
