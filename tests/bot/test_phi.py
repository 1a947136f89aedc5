"""The PHI guard refuses patient identifiers and lets clinical language through."""

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import PhiRefused
from bot.phi import check, findings

DATA = Path(__file__).parents[1] / "data"
HIPAA_KINDS = {"name", "mrn", "date", "phone", "email", "address", "ssn", "insurance", "account",
               "license", "device", "url", "ip"}

REFUSED = {
    "MRN 12345678": "a medical record number",
    "med record number: 0098765": "a medical record number",
    "pt 1234567 on 5 west": "a medical record number",
    "DOB 3/4/1956": "a date of birth",
    "born 03/04/1956": "a date of birth",
    "seen 1956-03-04 in clinic": "a date of birth",
    "call her at (555) 123-4567": "a phone number",
    "555.123.4567": "a phone number",
    "+44 20 7946 0958": "a phone number",
    "SSN 123-45-6789": "a social security number",
    "write to jo.smith@example.org": "an email address",
    "lives at 12 Elm Street": "a street address",
    "my patient John Smith": "a patient's name",
    "patient named Maria": "a patient's name",
    "Mrs. Alvarez in room 4": "a patient's name",
    "Alvarez in bed 12 coded": "a patient's name",
    "pt Jones was difficult": "a patient's name",
    "my pt. Garcia coded": "a patient's name",
    "patient in room 12, Alvarez": "a patient's name",
    "born March 3, 1962": "a date of birth",
    "admitted 3rd March 1962": "a date of birth",
    "born in 1948": "a date of birth",
}

ALLOWED = [
    "PGY-2 wanting FAST exams on nights", "30-day readmissions", "CKD stage 4 management",
    "the 2024 guidelines", "patient safety culture", "Patient Safety Week",
    "my patient with sepsis", "12-hour ICU night shifts", "Dr. Smith taught me lines",
    "a 3-day course", "stage 2 pressure injury", "Level 1 trauma center",
    "patient-centered care", "Patient experience scores", "I-PASS handoffs in 2025",
    "R01 grant", "about 10 patients per shift", "Q4 2025 goals", "HbA1c below 7.5",
    "NIHSS of 12", "GCS 8 intubate", "a 1:1 sitter", "1-2 times a week",
    "room 4 Tuesday debriefs", "the March 2025 M&M", "bay 3 Monday huddles",
]


@pytest.mark.parametrize("text, kind", REFUSED.items())
def test_patient_identifiers_are_refused(text, kind):
    assert kind in findings(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_clinical_words_with_numbers_pass(text):
    assert findings(text) == []


def test_refusal_explains_why_without_echoing_the_text():
    with pytest.raises(PhiRefused) as error:
        check("fine", "MRN 12345678, call 555-123-4567")
    message = error.value.message
    assert "medical record number" in message and "phone number" in message
    assert "12345678" not in message and "555" not in message


@given(
    before=st.sampled_from(ALLOWED),
    area=st.integers(200, 999), exchange=st.integers(200, 999), line=st.integers(0, 9999),
    sep=st.sampled_from(["-", ".", " "]),
)
def test_any_phone_number_inside_clinical_text_is_refused(before, area, exchange, line, sep):
    text = f"{before}, reach me on {area}{sep}{exchange}{sep}{line:04d}"
    assert "a phone number" in findings(text)


@given(st.integers(1_000_000, 9_999_999_999))
def test_any_long_number_is_treated_as_a_record_number(number):
    assert findings(f"follow up on {number} tomorrow") != []


@pytest.mark.parametrize("name", ["phi_labelled", "phi_heldout"])
def test_labelled_sets_recall_at_least_99_percent_and_block_at_most_2_percent_of_benign(name):
    rows = list(csv.DictReader((DATA / f"{name}.csv").open(encoding="utf-8")))
    identifiers = [r for r in rows if r["kind"] != "benign"]
    benign = [r for r in rows if r["kind"] == "benign"]
    assert len(benign) >= 100 and {r["kind"] for r in identifiers} >= HIPAA_KINDS
    missed = [f"{r['kind']}: {r['text']}" for r in identifiers if not findings(r["text"])]
    blocked = [r["text"] for r in benign if findings(r["text"])]
    assert len(missed) <= 0.01 * len(identifiers), missed
    assert len(blocked) <= 0.02 * len(benign), blocked
