"""The scaling curves from bench/results/, drawn to docs/scaling.png: ranking time
against staff, claiming due work against mentorships, and messages delivered per minute
under Slack's cap.

    python -m bench.chart
"""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench.common import RESULTS, ROOT  # noqa: E402

OUT = ROOT / "docs" / "scaling.png"


def main() -> None:
    latest = {path.stem: json.loads(path.read_text()) for path in RESULTS.glob("*.json")
              if path.stem != "latest"}
    figure, (ranking, due, delivery) = plt.subplots(1, 3, figsize=(15, 4.5), dpi=100)
    if "matching" in latest:
        rows = latest["matching"]["results"]
        staff = [r["staff"] for r in rows]
        ranking.plot(staff, [r["p95_ms"] for r in rows], "o-", label="p95")
        ranking.plot(staff, [r["p50_ms"] for r in rows], "o--", label="p50")
        ranking.axhline(50, color="grey", linestyle=":", label="goal: p95 < 50 ms")
    ranking.set(xscale="log", xlabel="staff (~20 edges each)", ylabel="ms to rank one request",
                title="Matching", ylim=(0, None))
    ranking.legend()
    for backend in ("sqlite", "postgresql"):
        if f"due-{backend}" in latest:
            rows = latest[f"due-{backend}"]["results"]
            due.plot([r["mentorships"] for r in rows], [r["claim_p50_ms"] for r in rows], "o-",
                     label=f"claim one batch, {backend}")
    due.set(xscale="log", xlabel="mentorships", ylabel="ms (p50)", title="Finding due work",
            ylim=(0, None))
    due.legend()
    if "delivery-sqlite" in latest:
        for run in latest["delivery-sqlite"]["runs"]:
            windows = run["minute_windows"]
            delivery.plot(range(1, len(windows) + 1), windows, "o-", label=run["run"])
        delivery.axhline(latest["delivery-sqlite"]["runs"][0]["allowed_per_minute"],
                         color="grey", linestyle=":", label="Slack's cap (fake)")
    delivery.set(xlabel="minute", ylabel="DMs delivered", title="Delivery under rate limits",
                 ylim=(0, None))
    delivery.legend()
    figure.tight_layout()
    figure.savefig(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
