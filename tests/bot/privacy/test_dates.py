"""Stage 3a: dates of a patient's life and ages over 89; staff dates and ordinary ages pass."""

import pytest

from bot.privacy.guard import Guard

REFUSED = {
    "DOB 3/4/1956": "a date of birth",
    "fecha de nacimiento 21/07/1949": "a date of birth",
    "pt's bday is march 3rd and she turned 40 in the ICU": "a date of birth",
    "admitted 10/30, still no placement": "a date tied to a patient",
    "LMP 3/1 so she's ~10wk": "a date tied to a patient",
    "op was Jan 9 and she's still not walking": "a date tied to a patient",
    "ingresó el 15 de agosto con neumonía": "a date tied to a patient",
    "she was admitted christmas eve and went home NYE": "a date tied to a patient",
    "pt's colonoscopy got pushed to the twelfth of may": "a date tied to a patient",
    "seen 1956-03-04 in clinic": "a date tied to a patient",
    "92M w hip fx": "an age over 89",
    "93yoF fell at home": "an age over 89",
    "a ninety-one yo lady taught me to crochet": "an age over 89",
    "la señora tiene 97 años": "an age over 89",
    "learned a ton from my pt (F, 92)": "an age over 89",
    "she turns 100 next week": "an age over 89",
    "Patient age: 94.": "an age over 89",
    "pt born '29 is still sharp": "an age over 89",
    "born in 1931 and still drives": "an age over 89",
    "dob 04 / 09 / 1961 per the wristband": "a date of birth",
    "born march the fourteenth, she told me twice": "a date of birth",
    "la fecha en su carnet: 12.viii.1950": "a date tied to a patient",
    "adm twenty-first of june for pna, still here": "a date tied to a patient",
    "her wrist fx was 2/11, still in a cast": "a date tied to a patient",
    "il a été opéré le 12 avril, toujours en réa": "a date tied to a patient",
    "my pt was born 6/14/1931, sharp as anything": "a date of birth",
    "the nonagenarian in 9 wants her own pillow": "an age over 89",
    "celebrated his 101st bday on the unit": "an age over 89",
    "pt 9 4 yo w/ delirium": "an age over 89",
    "age 9O per the face sheet": "an age over 89",
    "ninety-eight and still does the crossword": "an age over 89",
    "a hundred and one, sharp as a tack": "an age over 89",
    "96 y/o M w/ uti": "an age over 89",
    "bà cụ 94 tuổi không chịu ăn": "an age over 89",
    "siyamnapu't dalawa na si lolo, malakas pa": "an age over 89",
    "ela tem noventa e três anos e ainda caminha": "an age over 89",
    "bệnh nhân nhập viện ngày 3 tháng 4 vì viêm phổi": "a date tied to a patient",
    "ngày sinh 12/06/1950 theo hồ sơ": "a date of birth",
    "elle a accouché le 3 mars, hémorragie": "a date tied to a patient",
    "o paciente internou dia 12/07 com febre": "a date tied to a patient",
    "home health soc 3/9 for the wound lady": "a date tied to a patient",
    "na-admit siya noong ika-3 ng hulyo 2025": "a date tied to a patient",
    "my pt, 96 yo, with her son": "an age over 89", "my 92M with his daughter": "an age over 89",
    "my 97 yo patient, grandson at bedside": "an age over 89",
}

ALLOWED = [
    "orientation 02/06/2027, anyone else starting then?", "ACLS recert due 3/15",
    "M&M on the 14th, i'm presenting", "night float starts jan 9", "my bday is 7/4 so i work it",
    "la capacitación de PALS es el 15 de marzo", "CCRN exam booked for 08/12/2026",
    "the 4th of july shift is always wild in the ED", "fellowship interviews oct 3 and oct 17",
    "an 89 yo w a hip fx still crushed PT", "i did 92 compressions a minute in sim",
    "92% of my charts closed on time", "90 day review went well", "pt born in 1962, same age as my mom",
    "temp 101 F overnight", "Guillain-Barré: NIF and FVC, 20/30/40 rule",
    "mock code drill on the 3rd of may", "i was born on june 2 so i always work it",
    "my son was born 4/9 and i went back too soon", "graduated from nursing school 06/01/2019",
    "the daisy awards were 4/2/2025!", "our new wing opened 9/1/2020", "CEUs done by 3/31",
    "sats ninety percent on 2L", "a hundred mg of iron over an hour", "ninety minutes door to needle",
    "em thi chứng chỉ hành nghề ngày 3 tháng 4", "the magnet site visit is 05/20/2027",
    "annual competencies due by 12/31/2026", "nonagenarians need their own fall bundle",
    "my 94 year old great-grandpa taught me to fish", "mi abuela de 96 años me enseñó a cocinar",
    "sinh viên năm 3 được học đặt ống thông ngày 5/4",
]


@pytest.mark.parametrize("text, kind", REFUSED.items())
def test_patient_dates_and_great_ages_are_refused_by_name(kinds, text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_staff_dates_and_ordinary_numbers_pass(kinds, text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", ["orientation 02/06/2027", "admitted 10/30", "LMP 3/1", "seen 1956-03-04"])
def test_no_date_but_a_birth_is_called_a_date_of_birth(kinds, text):
    assert "a date of birth" not in kinds(text)


def test_a_birth_year_counts_as_over_89_by_the_year_it_is_now():
    guard = Guard()
    assert guard.findings("born in 1940", year=2026) == []
    assert [f.kind for f in guard.findings("born in 1940", year=2031)] == ["an age over 89"]
    assert [f.kind for f in guard.findings("born in 1940")] == ["an age over 89"]  # no year: safe side
