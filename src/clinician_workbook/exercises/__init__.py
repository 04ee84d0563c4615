"""Exercise widgets: one family per module, each a thin composite over :mod:`..scoring`."""

from __future__ import annotations

from .base import Exercise, Recorder
from .choice import KnowledgeCheckQuiz, StrategyMatchQuiz
from .classify import Classify
from .reflect import Reflect
from .respond import Respond
from .spot_signs import SpotSigns
from .triage import Triage

__all__ = [
    "Classify",
    "Exercise",
    "KnowledgeCheckQuiz",
    "Recorder",
    "Reflect",
    "Respond",
    "SpotSigns",
    "StrategyMatchQuiz",
    "Triage",
]
