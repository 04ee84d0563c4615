"""Defer ``rfc3987_syntax`` until an IRI is actually checked: importing nbformat then costs no grammar.

nbformat imports jsonschema, whose ``_format`` module eagerly imports ``rfc3987_syntax`` (the
non-GPL IRI checker of ``jsonschema[format-nongpl]``), and that module builds Earley parsers
with Lark at import: measured here at 1-2 s of CPU, more than rendering a whole batch of
handouts, in every process that imports nbformat (the batch, each worker, ``workbook export``).
No notebook schema uses the ``iri`` formats (upstream: python-jsonschema/jsonschema#1428).

:func:`install` puts a stand-in module in ``sys.modules`` whose ``is_valid_syntax`` imports the
real module on its first call and delegates to it, so a check of an ``iri`` format behaves
exactly as before; only the cost moves to the first such check, which nothing here makes.
Installed by the modules that import nbformat (:mod:`.notebooks`, :mod:`.runner`, the
exporters) before they import it; it does nothing if jsonschema was imported already, if
``rfc3987_syntax`` was imported already, or if it is not installed.
"""

from __future__ import annotations

import sys
import types
from importlib.machinery import PathFinder
from typing import Any

NAME = "rfc3987_syntax"


def _real() -> types.ModuleType:
    """The real module, imported now (replacing the stand-in in ``sys.modules``)."""
    module = sys.modules.get(NAME)
    if module is not None and not getattr(module, "_workbook_stand_in", False):
        return module
    spec = PathFinder.find_spec(NAME)
    if spec is None or spec.loader is None:  # pragma: no cover - uninstalled since install()
        raise ImportError(f"No module named {NAME!r}")
    from importlib.util import module_from_spec

    real = module_from_spec(spec)
    sys.modules[NAME] = real
    try:
        spec.loader.exec_module(real)
    except BaseException:
        sys.modules.pop(NAME, None)
        raise
    return real


def is_valid_syntax(term: str, value: str) -> Any:
    return _real().is_valid_syntax(term, value)


def _attribute(attr: str) -> Any:
    if attr.startswith("__"):  # module machinery and introspection: not worth a grammar
        raise AttributeError(attr)
    return getattr(_real(), attr)


def install() -> None:
    if NAME in sys.modules or "jsonschema" in sys.modules or PathFinder.find_spec(NAME) is None:
        return
    stand_in = types.ModuleType(NAME, "rfc3987_syntax, imported on first use (clinician_workbook.lazy_iri)")
    vars(stand_in).update(
        is_valid_syntax=is_valid_syntax,
        __getattr__=_attribute,  # any other name: the real module's
        _workbook_stand_in=True,
    )
    sys.modules[NAME] = stand_in
