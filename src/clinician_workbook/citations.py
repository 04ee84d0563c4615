"""References formatted for reading (APA-like), as HTML with every field escaped."""

from __future__ import annotations

import html

from .content.models import Reference


def format_reference(ref: Reference) -> str:
    e = html.escape
    names = [e(a) for a in ref.authors]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", &amp; " + names[-1]
    parts = [f"{authors} ({e(str(ref.year))}). {e(ref.title)}."]
    if ref.venue:
        venue = f"<i>{e(ref.venue)}</i>"
        if ref.volume:
            venue += f", <i>{e(ref.volume)}</i>"
        if ref.issue:
            venue += f"({e(ref.issue)})"
        if ref.pages:
            venue += f", {e(ref.pages)}"
        parts.append(venue + ".")
    if ref.edition:
        parts.append(f"({e(ref.edition)} ed.).")
    if ref.publisher:
        parts.append(f"{e(ref.publisher)}.")
    if ref.doi:
        parts.append(f"doi:{e(ref.doi)}")  # printed, never linked: exports make no external requests
    if ref.note:
        parts.append(f"<small>{e(ref.note)}</small>")
    return " ".join(parts)
