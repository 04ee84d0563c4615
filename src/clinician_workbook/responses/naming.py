"""File names for trainees' stores: safe on every OS, one per trainee id, never outside the folder."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import StoreError

SUFFIX = ".sqlite"
_MAX_SLUG = 64
_UNSAFE = re.compile(r"[^a-z0-9_-]")
# A clean id that already looks like "<slug>-<8 hex>" is hashed too: otherwise the id
# "bob-1a2b3c4d" could take the file that "Bob" hashes to, and two trainees would share it.
_LOOKS_HASHED = re.compile(r"-[0-9a-f]{8}([0-9a-f]{8})?$")  # this release's names and the older 8-digit ones
_DIGEST = 16  # hex digits = 64 bits: two names sharing a file is not a practical risk
_LEGACY_DIGEST = 8  # what releases before 0.2 used; their stores are still found
# Invisible characters that make two names look identical: zero-width ones and the BOM
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Device names Windows refuses as file names whatever the extension.
_WINDOWS_RESERVED = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)])


def trainee_id(name: str) -> str:
    """The id a trainee name becomes: one form for names that look the same.

    NFKC (so composed and decomposed accents, and fullwidth letters, are one name), without
    zero-width, soft-hyphen or control characters, surrounding spaces stripped and inner runs
    of spaces made one. An empty result is refused.
    """
    text = unicodedata.normalize("NFKC", name).translate(_INVISIBLE)
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in " ")
    text = " ".join(text.split())
    if not text:
        raise StoreError("trainee name is empty (or only spaces and invisible characters)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError("trainee name is not valid text (check the terminal's encoding)") from None
    return text


def safe_filename(trainee: str, digits: int = _DIGEST) -> str:
    """The file name (without suffix) for ``trainee``: safe on every OS, unique per id.

    The readable part is a lowercase slug of ``[a-z0-9_-]`` (accents folded, anything else
    turned into ``-``, no leading ``-``, at most 64 characters), so a coordinator can tell
    whose file is whose. Whenever that slug is not exactly the id -- or could be mistaken for
    another id's hashed name -- ``-`` and the first 16 hex digits (64 bits) of sha256(id) are
    appended, so ``Alice``, ``alice`` and ``../alice`` get three different files. The result is
    at most 81 characters and can never be ``.``, ``..``, contain a separator or a NUL.
    """
    if not trainee:
        raise StoreError("trainee id is empty")
    folded = unicodedata.normalize("NFKD", trainee).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", folded.lower()).lstrip("-")[:_MAX_SLUG]
    if slug == trainee and not _LOOKS_HASHED.search(slug) and slug not in _WINDOWS_RESERVED:
        return slug
    digest = hashlib.sha256(trainee.encode("utf-8", "surrogatepass")).hexdigest()[:digits]
    return f"{slug or 'trainee'}-{digest}"


def store_path(responses: str | Path, trainee: str) -> Path:
    """Where ``trainee``'s store lives, given the notebook's ``responses`` parameter.

    A value ending in ``.sqlite`` names the file itself (one-off or supervisor use); anything
    else is a folder holding one ``<safe_filename>.sqlite`` per trainee. Nothing is created
    here: the store creates the folder (0700) when it creates the file, so merely looking up a
    path (a notebook run with no answer yet, an export with nothing to export) writes nothing.
    """
    name = safe_filename(trainee)  # validates the id even when a file is given
    if str(responses).endswith(SUFFIX):
        return Path(responses)
    path = Path(responses) / f"{name}{SUFFIX}"
    legacy = Path(responses) / f"{safe_filename(trainee, _LEGACY_DIGEST)}{SUFFIX}"
    if legacy != path and legacy.is_file() and not path.exists():
        return legacy  # a store made before names carried 64-bit hashes: keep using it
    return path
