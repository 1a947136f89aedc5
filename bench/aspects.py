"""Aspect resolution on two blind sets of what staff type after `/learn` (abbreviations,
typos, British and Spanish spellings, longer phrases, traps, new topics), labelled by helpers
who had not read the matcher and committed before any tuning: `aspect_typos.csv` (the matcher
was tuned on it) and `aspect_heldout.csv` (never tuned on: its figure is the honest one).

Each row ends one of four ways, as the person would see it:
  sure      the right aspect, with no question (or, for a NEW row, no aspect: "post it?")
  asked     a "Did you mean X?" whose answers hold the right one (X, or "No, post mine")
  missed    asked, but neither answer is right (they retype)
  wrong     a curated aspect named with no question, and it is not the one meant

    python -m bench.aspects [--wrong]
"""

import argparse
import csv
from collections import Counter

from bench.common import ROOT, record
from bot.matching.aspects import Catalog, load_taxonomy

NEW = "NEW"
SETS = {"tuned on": "aspect_typos.csv", "held out": "aspect_heldout.csv"}
OUTCOMES = ("sure", "asked", "missed", "wrong")


def outcome(found, expected: str, taxonomy) -> str:
    got = NEW if found is None else taxonomy[found.aspect_id].name
    if found is not None and found.sure:
        return "sure" if got == expected else "wrong"
    if got == expected:
        return "sure" if found is None else "asked"
    return "asked" if expected == NEW else "missed"


def evaluate(file: str) -> tuple[dict, list[tuple[str, str, str, str]]]:
    taxonomy = load_taxonomy()
    catalog = Catalog([(text, index) for index, aspect in enumerate(taxonomy)
                       for text in (aspect.name, *aspect.synonyms)])
    rows = list(csv.DictReader((ROOT / "tests" / "data" / file).open(encoding="utf-8")))
    counts, wrong = Counter(), []
    for row in rows:
        found = catalog.find(row["text"])
        end = outcome(found, row["expected"], taxonomy)
        for group in ("all", f"kind {row['kind']}"):
            counts[group, end] += 1
        if end in ("missed", "wrong"):
            got = "none" if found is None else taxonomy[found.aspect_id].name + ("?" * (not found.sure))
            wrong.append((row["kind"], row["text"], row["expected"], f"{end}: {got}"))
    groups = sorted({g for g, _ in counts}, key=lambda g: (g != "all", g))
    figures = {g: {end: counts[g, end] for end in OUTCOMES} for g in groups}
    for f in figures.values():
        f["of"] = sum(f.values())
        f["right in the end"] = round((f["sure"] + f["asked"]) / f["of"], 3)
    return figures, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list every row missed or wrong")
    show = parser.parse_args().wrong
    results = {}
    for name, file in SETS.items():
        figures, wrong = evaluate(file)
        results[name] = figures
        print(f"{name} ({file})        sure  asked missed wrong   right in the end")
        for group, f in figures.items():
            print(f"  {group:18} {f['sure']:4} {f['asked']:5} {f['missed']:6} {f['wrong']:5}"
                  f"   {100 * f['right in the end']:5.1f}% of {f['of']}")
        for kind, text, expected, got in wrong if show else ():
            print(f"    [{kind}] {text!r}: expected {expected}, {got}")
    record("aspects", results)


if __name__ == "__main__":
    main()
