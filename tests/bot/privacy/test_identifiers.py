"""Stage 2: identifiers known by their form; codes staff quote for their work pass."""

import pytest

REFUSED = {
    "MRN 12345678": "a medical record number",
    "her armband # BB 662 104 was wrong": "an identifying number",
    "the plate number of the patient's car, which is KLR-2291": "a licence or plate number",
    "med record number: 0098765": "a medical record number",
    "historia clínica nº 00923-44, caso interesante": "a medical record number",
    "prontuário 283391-0": "a medical record number",
    "pt #7731-2204 the one w the rash": "an identifying number",
    "follow up on 4471092 tomorrow": "an identifying number",
    "call her at (555) 123-4567": "a phone number",
    "555.123.4567": "a phone number",
    "+44 20 7946 0958": "a phone number",
    "tél. 06 12 34 56 78, sa fille": "a phone number",
    "numero ng anak: 0917 123 4567": "a phone number",
    "SSN 123-45-6789": "a social security number",
    "ss# 6 0 2 1 8 4 4 7 3 for the SW referral": "a social security number",
    "DNI 45123987K turista": "a national id number",
    "SIN 046 454 286 for the forms": "a national id number",
    "NHS no 943 476 5919": "a national id number",
    "RUT 12.345.678-5, paciente chileno": "a national id number",
    "uhc member id 912440018": "an insurance number",
    "bcbs policy XYP9920184": "an insurance number",
    "hospital acct 77201938 keeps getting denied": "a medical record number",
    "placa ABC-1234, la familia": "a licence or plate number",
    "tag # GHL 4412 blocking the helipad": "a licence or plate number",
    "ICD SN: RRK 449201": "a device serial number",
    "CGM transmitter id 8GM4AB": "a device serial number",
    "write to jo.smith@example.org": "an email address",
    "aruiz@yahoo for the son": "an email address",
    "cashapp $TinaG1988": "a social media handle",
    "ig @marisol.rios_ posts about her baby": "a social media handle",
    "bit.ly/3xKpQz9 is the gofundme": "a web address",
    "her blog annabelles-fight.blogspot.com": "a web address",
    "pt shared example.com/my-cancer-diary": "a web address",
    "tablet was 10.4.22.118": "an IP address",
    "172 16 0 44 the ipad the family used": "an IP address",
    "card 4111 1111 1111 1111": "an account or card number",
    "call her at 6 1 7 . 5 5 5 . 0 1 4 2": "a phone number",
    "son's cell is 617 dot 555 dot 0142": "a phone number",
    "DNI 31 . 552 . 809, turista argentino": "a national id number",
    "her tablet ip 10 . 4 . 22 . 118": "an IP address",
    "pt's NI number QQ 12 34 56 C": "a national id number",
    "hospital no. RX7 448120 for the records": "a medical record number",
    "expediente clínico número 88 412 09": "a medical record number",
    "the reg is \"LK19 ODF\", car's in the ED bay": "a licence or plate number",
}

ALLOWED = [
    "goal: learn SNOMED mapping, like 44054006 for T2DM", "NDC 0409-4888-02 scanning fails",
    "LOINC 2160-0 is serum creatinine", "ICD-10 Z79.4 for long term insulin use",
    "CPT 36556 for CVC placement", "sepsis order set v2.3 is better", "read policy NUR-220",
    "preceptor training 1/14 and 1/21, 0800-1200", "my step count was 22,000", "ABG 7.21/58/62",
    "vent on AC 450/16/+8/40%", "BP 182/104 asymptomatic", "thanks @priya for the tutoring",
    "idsa.org guidelines for CAP", "acep.org/clinical-policies has one on syncope",
    "cdc.gov/std/treatment-guidelines", "the cerner downtime drill is at 0200",
    "epic smartphrase .SEPSISBUNDLE saves me 10 min", "vacation 12/20-1/2 approved",
    "cdc.gov/vaccines/hcp/acip-recs for the adult schedule", "2027-01-15 is the abstract deadline",
]


@pytest.mark.parametrize("text, kind", REFUSED.items())
def test_each_kind_of_identifier_is_refused_by_name(kinds, text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_codes_values_and_public_sites_pass(kinds, text):
    assert kinds(text) == []
