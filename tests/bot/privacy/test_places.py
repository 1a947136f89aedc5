"""Stage 3b: where a patient lives, and addresses; the speaker's own places and sites pass."""

import pytest

REFUSED = [
    "lives in Roxbury, 3rd floor no elevator", "pt from Kendall, long bus ride to dialysis",
    "she's from over in Dorchester", "lives in mattapan w her son", "el paciente vive en Hialeah",
    "pt lives out in Plymouth county", "lives in a trailer outside Tulare", "pt from the Bronx",
    "elle habite à Laval", "la señora es de Ponce", "lives off Maple ave in a walkup",
    "vive en calle Pino 12", "rua das Flores 230", "17 Rue Saint-Denis, Montréal",
    "postcode M13 9PL", "zip is 9 0 0 1 1", "lives at 12 Elm Street", "she's in 02119",
    "corner of 5th and Main above the laundromat", "her family is from fishtown, no car",
    "home is in kalihi, needs transport", "she's at 1412 W. Addison, 3rd fl",
    "postcode area is bristol BS5, needs a district nurse", "sleeps under the i-93 north overpass, homeless",
    "my patient lives in Hialeah, no car", "o paciente mora em campinas",
    "kid lives in flint, lead 12", "pt lives in little india, no car",
    "she is a resident of the willows home in Chelmsford", "she lives in south philly w her mom",
    "pt is unhoused, sleeps near the 30th st station", "the gentleman from bayamón needs a ride",
    "pt going home to Cicero tomorrow, 14 steps", "bệnh nhân sống ở quận 4, không có xe",
    "bn ở quận 8 lên khám", "she lives in district 7 with her son",
    "địa chỉ: 12 nguyễn huệ, gửi thuốc về", "dirección: 221 los álamos, depto 3",
]

ALLOWED = [
    "going to SCCM in Orlando, who else?", "i grew up in Roxbury so this hospital means a lot",
    "commute from Quincy is killing me", "moving from Chicago to start residency",
    "born and raised in Hialeah, hablo español", "mi papá es de Ponce", "pt moved here from Texas",
    "pt from Haiti, speaks kreyol", "lots of our pts are from Brazil", "floating to the Brighton campus",
    "Kendall clinic staff huddle is at 8", "attending from the Park Slope clinic came to teach us",
    "/learn FAST exams on nights with Dr. Ito", "worked at St. Mary's before coming here",
    "what is IP address whitelisting for the telehealth carts", "WBC 18 w left shift, why?",
    "my mom is visiting from manila, off thurs-sun", "em làm ở quận 8 ba năm rồi", "i live in district 7",
    "amylase of 2000 but ct was clean", "she lives in hope of going home",
    "my dad is visiting from cebu",
    "our resident of the month is from the Boston campus",
    "psych unit 5C is locked after 8", "pt is from west africa, speaks twi",
    "PALS at the red cross building on main st", "her cx came back pansensitive, abx?",
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_patients_place_or_an_address_is_refused(kinds, text):
    assert {"a place where a patient lives", "a street address"} & set(kinds(text))


@pytest.mark.parametrize("text", ALLOWED)
def test_staff_places_sites_countries_and_states_pass(kinds, text):
    assert kinds(text) == []
