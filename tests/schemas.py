"""The platforms' official manifest schemas, from ../shared/schemas beside the checkout.

They are read from there when that folder exists (the shared README's rule); a clone without
it skips with the reason rather than validating against a stale copy of our own.
`PRECEPTOR_SCHEMAS` points elsewhere."""

import json
import os
from pathlib import Path

import pytest

BESIDE = Path(__file__).resolve().parents[2] / "shared" / "schemas"
FOLDER = Path(os.environ.get("PRECEPTOR_SCHEMAS") or BESIDE)


def schema(name: str) -> dict:
    path = FOLDER / name
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout; set PRECEPTOR_SCHEMAS to validate")
    return json.loads(path.read_text())
