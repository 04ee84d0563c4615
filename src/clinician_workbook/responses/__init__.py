"""Trainees' answers: one store per trainee, hand-ins, a cohort read from a folder, the current rule.

attempts   one saved answer, and which attempt is current
naming     trainee id -> safe file name
store      the SQLite store (append-only, whole in its .sqlite file) and read-only reading
handin     JSON hand-in and backup: export, validate, import
cohort     a folder of stores and hand-ins read as one cohort
"""

from __future__ import annotations

from .attempts import ROLES, Attempt, Role, current, in_order
from .naming import safe_filename, store_path, trainee_id
from .store import ResponseStore, read_store, store_owner

__all__ = [
    "ROLES",
    "Attempt",
    "ResponseStore",
    "Role",
    "current",
    "in_order",
    "read_store",
    "safe_filename",
    "store_owner",
    "store_path",
    "trainee_id",
]
