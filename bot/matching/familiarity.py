"""Familiarity learned from the workspace, content-free: who interacted with whom, how often,
how recently, and which aspects the threads someone answered touched.

A platform edge turns each event into an `Observation`. Its text is read in memory, only to
spot aspect words, and is dropped: it is never stored or logged. Observations are written
down (`bot.core.workspace_events`) and folded in batches (`bot.matching.fold`).
"""

import math
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_DAYS = 90
KIND_WEIGHT = {"reply": 1.0, "mention": 0.6, "reaction": 0.3}
INFER_AFTER_ANSWERS = 3  # thread answers on an aspect before expertise is inferred
MAX_OTHERS = 20  # a message mentioning half the hospital says nothing about familiarity


@dataclass(frozen=True)
class Observation:
    kind: str  # "reply" | "mention" | "reaction" | "joined" | "left" | "roster"
    user: str
    others: tuple[str, ...] = ()
    channel: str | None = None
    text: str = ""  # read for aspect words, then dropped


def decayed(weight: float, since: datetime, now: datetime) -> float:
    """A weight recorded at `since`, as it stands at `now` (halving every HALF_LIFE_DAYS)."""
    days = max((now - since).total_seconds() / 86400, 0.0)
    return weight * 0.5 ** (days / HALF_LIFE_DAYS)


def closeness(weight: float) -> float:
    """Bounded familiarity in [0, 1) from a decayed weight; more never lowers it."""
    return 1 - math.exp(-weight / 3)
