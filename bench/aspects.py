"""Aspect resolution on `tests/data/aspect_typos.csv`: what staff type after `/learn`
(abbreviations, typos, British and Spanish spellings, longer phrases, traps, new topics),
labelled blind by a helper who had not read the matcher, and committed before any tuning.
A row is right when the curated aspect it names is the one found, or when a NEW row finds
none. Figures overall, by kind, and for curated and NEW rows apart.

    python -m bench.aspects [--wrong]
"""

import argparse
import csv
from collections import Counter

from bench.common import ROOT, record
from bot.matching.aspects import Catalog, load_taxonomy, normalize

NEW = "NEW"


def evaluate() -> tuple[dict, list[tuple[str, str, str, str]]]:
    taxonomy = load_taxonomy()
    catalog = Catalog([(normalize(text), index) for index, aspect in enumerate(taxonomy)
                       for text in (aspect.name, *aspect.synonyms)])
    rows = list(csv.DictReader((ROOT / "tests" / "data" / "aspect_typos.csv").open(encoding="utf-8")))
    right, total, wrong = Counter(), Counter(), []
    for row in rows:
        found = catalog.match(row["text"])
        got = NEW if found is None else taxonomy[found].name
        for group in ("all", f"kind {row['kind']}", "NEW rows" if row["expected"] == NEW else "curated rows"):
            total[group] += 1
            right[group] += got == row["expected"]
        if got != row["expected"]:
            wrong.append((row["kind"], row["text"], row["expected"], got))
    figures = {group: {"right": right[group], "of": total[group],
                       "share": round(right[group] / total[group], 3)} for group in total}
    return figures, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list every row resolved wrongly")
    figures, wrong = evaluate()
    for group, f in sorted(figures.items(), key=lambda item: -item[1]["of"]):
        print(f"{group:14} {f['right']:4}/{f['of']:<4} {100 * f['share']:5.1f}%")
    if parser.parse_args().wrong:
        for kind, text, expected, got in wrong:
            print(f"  [{kind}] {text!r}: expected {expected}, got {got}")
    record("aspects", figures)


if __name__ == "__main__":
    main()
