"""The PHI guard against Microsoft Presidio's pattern recognizers on the labelled sets in
tests/data: recall on texts holding a patient identifier (every HIPAA kind that can be
typed), and the share of benign clinical learning text blocked. Also the two combined.

`phi_labelled.csv` is the development set the guard was tuned on; `phi_heldout.csv` was
written afterwards by someone who saw neither the guard nor the first set.

Presidio runs offline: `NoOpNlpEngine` (no spaCy model, so no named-entity recognition of
names) and no public-suffix download for its email and URL recognizers.

    python -m bench.phi            (needs `pip install -e '.[bench]'`, as `make bench` does)
"""

import csv
import os
import time
from collections.abc import Callable

from bench.common import ROOT, record
from bot.phi import findings

SETS = [ROOT / "tests" / "data" / "phi_labelled.csv", ROOT / "tests" / "data" / "phi_heldout.csv"]


def presidio() -> Callable[[str], bool]:
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    return lambda text: bool(analyzer.analyze(text, language="en"))


def score(rows: list[dict], flags: Callable[[str], bool]) -> dict:
    start = time.perf_counter()
    flagged = [flags(r["text"]) for r in rows]
    seconds = time.perf_counter() - start
    hits = [f for f, r in zip(flagged, rows, strict=True) if r["kind"] != "benign"]
    benign = [f for f, r in zip(flagged, rows, strict=True) if r["kind"] == "benign"]
    missed_by_kind: dict[str, int] = {}
    for f, r in zip(flagged, rows, strict=True):
        if r["kind"] != "benign" and not f:
            missed_by_kind[r["kind"]] = missed_by_kind.get(r["kind"], 0) + 1
    return {"recall": round(sum(hits) / len(hits), 3),
            "benign_blocked": round(sum(benign) / len(benign), 3),
            "missed_by_kind": dict(sorted(missed_by_kind.items())),
            "ms_per_text": round(1000 * seconds / len(rows), 3)}


def main() -> None:
    guard = lambda text: bool(findings(text))  # noqa: E731
    other = presidio()
    both = lambda text: guard(text) or other(text)  # noqa: E731
    results = {}
    for path in SETS:
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        counts = {"identifiers": sum(r["kind"] != "benign" for r in rows),
                  "benign": sum(r["kind"] == "benign" for r in rows)}
        results[path.stem] = {**counts, "preceptor": score(rows, guard),
                              "presidio": score(rows, other), "combined": score(rows, both)}
        for name in ("preceptor", "presidio", "combined"):
            figures = results[path.stem][name]
            print(f"{path.name:18} {name:10} recall {figures['recall']:.1%}  benign blocked "
                  f"{figures['benign_blocked']:.1%}  missed {figures['missed_by_kind']}")
    record("phi", {"sets": results})


if __name__ == "__main__":
    main()
