"""The PHI guard on the labelled sets in tests/data: recall on texts that hold a patient
identifier and the share of benign staff text blocked, per set, per difficulty, per kind and
per stage, and the time a text; beside Microsoft Presidio's pattern recognizers, and with the
guard's optional named-entity stage when a spaCy model is installed.

The sets and who wrote them (each blind: by someone who had not seen the guard):
- `phi_labelled`, `phi_heldout`: the first development set and the first held-out set;
- `phi_staff_chat`, `phi_staff_chat_2`: development sets in the register of staff chat,
  committed before the guard was tuned on them;
- `phi_staff_chat_3`, `phi_staff_chat_4`, `phi_staff_chat_5`: development sets written this round,
  each committed before tuning on it (the fifth after the others were tuned, as a fresh check);
- `phi_acceptance`: held out; the guard was never tuned on it.

    python -m bench.phi [--ner en_core_web_sm]     (Presidio needs `pip install -e '.[bench]'`)
"""

import argparse
import csv
import os
import time
from collections import Counter
from collections.abc import Callable

from bench.common import ROOT, record
from bot.privacy.guard import WARM_UP, Finding, Guard

SETS = ["phi_labelled", "phi_heldout", "phi_staff_chat", "phi_staff_chat_2", "phi_staff_chat_3",
        "phi_staff_chat_4", "phi_staff_chat_5", "phi_acceptance"]
YEAR = 2026   # the year the sets were written in ("born '29" is over 89 then)


def load(name: str) -> list[dict]:
    return list(csv.DictReader((ROOT / "tests" / "data" / f"{name}.csv").open(encoding="utf-8")))


def presidio() -> Callable[[str], list[Finding]]:
    """Presidio's pattern recognizers, offline (no named-entity model, no suffix-list download)."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    return lambda text: [Finding(r.entity_type, "presidio") for r in analyzer.analyze(text, language="en")]


def score(rows: list[dict], find: Callable[[str], list[Finding]]) -> dict:
    """Recall and benign blocked overall and by difficulty; misses by kind; what each stage caught."""
    start = time.perf_counter()
    found = [find(r["text"]) for r in rows]
    seconds = time.perf_counter() - start
    pairs = list(zip(rows, found, strict=True))
    out: dict = {"ms_per_text": round(1000 * seconds / len(rows), 3)}
    for difficulty in ("all", "plain", "hard"):
        chosen = [(r, f) for r, f in pairs if difficulty == "all" or r.get("difficulty") == difficulty]
        hits = [bool(f) for r, f in chosen if r["kind"] != "benign"]
        benign = [bool(f) for r, f in chosen if r["kind"] == "benign"]
        if hits or benign:
            out[difficulty] = {"identifiers": len(hits), "recall": round(sum(hits) / max(1, len(hits)), 3),
                               "benign": len(benign),
                               "benign_blocked": round(sum(benign) / max(1, len(benign)), 3)}
    kinds = Counter(r["kind"] for r in rows if r["kind"] != "benign")
    missed = Counter(r["kind"] for r, f in pairs if r["kind"] != "benign" and not f)
    out["recall_by_kind"] = {k: round(1 - missed[k] / n, 3) for k, n in sorted(kinds.items())}
    out["caught_by_stage"] = dict(Counter(f[0].stage for r, f in pairs if r["kind"] != "benign" and f))
    out["blocked_by_stage"] = dict(Counter(f[0].stage for r, f in pairs if r["kind"] == "benign" and f))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner", help="a spaCy model for the named-entity stage (e.g. en_core_web_sm)")
    args = parser.parse_args()
    rules = Guard()
    systems: dict[str, Callable[[str], list[Finding]]] = {
        "preceptor": lambda text: rules.findings(text, year=YEAR)}
    if args.ner:
        from bot.privacy.ner import EntityModel
        with_ner = Guard(EntityModel(args.ner))
        systems["preceptor+ner"] = lambda text: with_ner.findings(text, year=YEAR)
    try:
        systems["presidio patterns"] = presidio()
    except ImportError:
        print("presidio-analyzer is not installed: its figures are left out")
    for find in systems.values():   # read the word lists before timing
        find(WARM_UP)
    results = {}
    for name in SETS:
        rows = load(name)
        results[name] = {system: score(rows, find) for system, find in systems.items()}
        for system, figures in results[name].items():
            line = "  ".join(f"{d} {figures[d]['recall']:.1%}/{figures[d]['benign_blocked']:.1%}"
                             for d in ("all", "plain", "hard") if d in figures)
            print(f"{name:17} {system:18} recall/benign blocked: {line}  {figures['ms_per_text']} ms")
    record("phi", {"year": YEAR, "sets": results})


if __name__ == "__main__":
    main()
