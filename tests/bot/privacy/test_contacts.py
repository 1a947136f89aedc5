"""Whose number or address (`bot.privacy.contacts`): a unit's, an office's or an event's
passes; the same number or address tied to a patient or their family is refused."""

import pytest

STAFF = [
    "questions on vanc dosing? the pharmacy line is x5-3318",
    "ortho clinic front desk: (614) 555-0142, ask for the PA",
    "night supervisor hotline 412-555-0177 if staffing is short",
    "switchboard +1 617 555 0100, ask for the sim coordinator",
    "employee health office 555-0166 for flu shots",
    "the med-surg unit printer sits at 10.22.4.9",
    "symposium venue: 300 lakeshore dr, room B, parking in garage 2",
    "our simulation center moved to 2400 university ave, suite 110",
    "curso de ventilación en av. reforma 222, piso 3",
    "call the interpreter services line 1-877-555-0190 any time",
    "the lot 7H33K of practice IV kits expired", "QC batch 20045518 failed this morning",
    "nice guideline at emcrit.org/ibcc is worth a read",
    "questions? email the sim coordinator at simlab@ourhospital.org",
    "1-877-555-0190 is the transfer center, they take outside calls",
    "page the picu fellow at 555-2201 for transfers", "the stroke team number is (617) 555-0123",
]
PATIENT = {
    "pt's daughter picks up at 412-555-0177": "a phone number",
    "her cell is 614 555 0142, call after 5": "a phone number",
    "call the caregiver at 1-877-555-0190 ext 22": "a phone number",
    "the family lives at 300 lakeshore dr, apt 4": "a street address",
    "pt's ipad on the unit wifi was 10.22.4.9": "an IP address",
    "pt in bed 6, home health office called from 555-016-6401": "an identifying number",
    "she keeps a blog at example.org/visit/rositasjourney": "a web address",
    "the sim coordinator said her daughter's email is ana.ruiz@gmail.com": "an email address",
}


@pytest.mark.parametrize("text", STAFF)
def test_a_units_number_or_an_events_address_passes(kinds, text):
    assert kinds(text) == []


@pytest.mark.parametrize("text, kind", PATIENT.items())
def test_the_same_tied_to_a_patient_is_refused(kinds, text, kind):
    assert kind in kinds(text)
