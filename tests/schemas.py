"""The platforms' official manifest schemas, from ../shared/schemas beside the checkout.

CI has them, so there a missing schema fails the test; a fresh clone without them skips with
the reason. `PRECEPTOR_SCHEMAS` points elsewhere."""

import json
import os
from pathlib import Path

import pytest

BESIDE = Path(__file__).resolve().parents[2] / "shared" / "schemas"
FOLDER = Path(os.environ.get("PRECEPTOR_SCHEMAS") or BESIDE)


def schema(name: str) -> dict:
    path = FOLDER / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI validates the manifests against it")
        pytest.skip(f"{path} is not beside this checkout (CI has it)")
    return json.loads(path.read_text())
