"""The guard on the labelled sets of tests/data, each written blind (see bench/phi.py).

The first two staff-chat development sets are held to the goal: recall of at least 99% on
plain text and 97% on hard text, at most 2% of benign text blocked. The sets written this round
and the acceptance set (never tuned on) are held to what they measured when the guard was
finished (README, "Patient information"), so a change that makes one worse fails here, while
the goal they do not reach yet stays written down.
"""

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).parents[2] / "data"
HIPAA_KINDS = {"name", "mrn", "date", "phone", "email", "address", "ssn", "insurance", "account",
               "license", "device", "url", "ip"}
GOAL = {"plain": 0.99, "hard": 0.97, "all": 0.99}
ACCEPTANCE_FLOOR = {"plain": 0.99, "hard": 0.945, "all": 0.955}
# (set, difficulty): (recall at least, benign blocked at most), as measured
FLOORS = {("phi_staff_chat_3", "plain"): (0.99, 0.02), ("phi_staff_chat_3", "hard"): (0.955, 0.02),
          ("phi_staff_chat_4", "plain"): (0.99, 0.02), ("phi_staff_chat_4", "hard"): (0.935, 0.07),
          ("phi_staff_chat_5", "plain"): (0.99, 0.02), ("phi_staff_chat_5", "hard"): (0.94, 0.025)}


def rows(name: str) -> list[dict]:
    return list(csv.DictReader((DATA / f"{name}.csv").open(encoding="utf-8")))


def measure(kinds, name: str, difficulty: str):
    chosen = [r for r in rows(name) if difficulty == "all" or r.get("difficulty") == difficulty]
    identifiers = [r for r in chosen if r["kind"] != "benign"]
    missed = [f"{r['kind']}: {r['text']}" for r in identifiers if not kinds(r["text"])]
    blocked = [r["text"] for r in chosen if r["kind"] == "benign" and kinds(r["text"])]
    benign = sum(r["kind"] == "benign" for r in chosen)
    return 1 - len(missed) / len(identifiers), missed, len(blocked) / benign, blocked


@pytest.mark.parametrize("name", ["phi_labelled", "phi_heldout", "phi_staff_chat", "phi_staff_chat_2",
                                  "phi_staff_chat_3", "phi_staff_chat_4", "phi_staff_chat_5",
                                  "phi_acceptance"])
def test_each_set_is_large_and_covers_every_kind(name):
    labelled = rows(name)
    assert sum(r["kind"] == "benign" for r in labelled) >= 150
    assert sum(r["kind"] != "benign" for r in labelled) >= 130
    assert {r["kind"] for r in labelled} >= HIPAA_KINDS


@pytest.mark.parametrize("name, difficulty", [
    ("phi_labelled", "all"), ("phi_heldout", "all"), ("phi_staff_chat", "plain"),
    ("phi_staff_chat", "hard"), ("phi_staff_chat_2", "plain"), ("phi_staff_chat_2", "hard"),
])
def test_development_sets_meet_the_goal(kinds, name, difficulty):
    recall, missed, blocked_share, blocked = measure(kinds, name, difficulty)
    assert recall >= GOAL[difficulty], missed
    assert blocked_share <= 0.02, blocked


@pytest.mark.parametrize("name, difficulty", FLOORS)
def test_this_rounds_sets_hold_what_they_measured(kinds, name, difficulty):
    recall, missed, blocked_share, blocked = measure(kinds, name, difficulty)
    least, most = FLOORS[name, difficulty]
    assert recall >= least, missed
    assert blocked_share <= most, blocked


@pytest.mark.parametrize("difficulty", ["plain", "hard", "all"])
def test_the_acceptance_set_holds_its_measured_floor(kinds, difficulty):
    recall, _, blocked_share, _ = measure(kinds, "phi_acceptance", difficulty)
    assert recall >= ACCEPTANCE_FLOOR[difficulty]   # misses are not printed: it stays held out
    assert blocked_share <= 0.022
