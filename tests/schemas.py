"""The platforms' official manifest schemas, from ../shared/schemas beside the checkout.

A fresh clone without that folder skips with the reason. `PRECEPTOR_SCHEMAS` names the folder
explicitly, and then a missing schema fails: `.ci/run` sets it, because CI has the schemas and
a validation that silently skipped there would be a check that cannot fail."""

import json
import os
from pathlib import Path

import pytest

BESIDE = Path(__file__).resolve().parents[2] / "shared" / "schemas"
REQUIRED = bool(os.environ.get("PRECEPTOR_SCHEMAS"))
FOLDER = Path(os.environ.get("PRECEPTOR_SCHEMAS") or BESIDE)


def schema(name: str) -> dict:
    path = FOLDER / name
    if not path.exists():
        if REQUIRED:
            pytest.fail(f"{path} is missing: PRECEPTOR_SCHEMAS names it, so the manifests must be validated")
        pytest.skip(f"{path} is not beside this checkout; set PRECEPTOR_SCHEMAS to validate")
    return json.loads(path.read_text())
