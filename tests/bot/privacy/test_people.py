"""Stage 4: names of patients and relatives, initials; the colleague rule lets staff pass."""

import pytest

PATIENTS = [
    "bed 4 okafor still septic", "reyes in 12 finally extubated!!", "the Moreau kid taught me asthma",
    "baby girl Lindqvist was my first cooling protocol", "her name was Celestine",
    "sr. quintana (cama 3) me enseñó mucho", "doña Pilar en la 7 no quiere comer",
    "mrs adeyemi's echo was wild", "Mr. O'Sullivan in bed 11 knew his warfarin",
    "M. Dubois ne parle pas anglais",
    "kowalczyk is back again, 4th time this yr", "Priyanka Venkataraman (the pt, not our PA!) asked me",
    "thanks dr lee for coaching me before i told Tomasz Wiśniewski about his scan",
    "Rose Park got d/c'd and hugged me", "the Van der Berg case still bugs me",
    "my patient john smith has refractory afib",
    "consult re: priyanka subramaniam, her lactate is up", "can't stop thinking about omar el-hashimi",
    "ang pasyente si ernesto villanueva ay may lagnat", "the szymanski lady with the PE",
    "marie-claire dubois, the older lady in 14, wants a priest", "the nowakowski case still bugs me",
    "ok so r. wojciechowski's cultures grew MRSA", "fyi m. santos's wound cx grew pseudomonas",
    "update: r. castellanos tolerated the extubation",
    "we ran the code on ignacio bermúdez last night", "debrief about the code on Mendoza at 1400",
    "my pt mrs.blanco had a fall", "mr van der linde walked 30 ft today", "little tayanita starts chemo",
    "pt bell in micu 14 is on pressors", "pt gay in 12b goes home today", "hartley (bed 11) wants to go home",
    "helping min ji-hoon (pt, 6B) walk was the best part", "marisol (paciente) me enseñó mucho",
    "shoutout to kim so-yeon (pt) for doing her exercises", "sat with joy (the pt) for an hour",
    "patient name is bell young, the one on tele", "pt's name: will price",
    "Joy, the pt not the nurse, went home today", "thanks to Grace, our pt, for the feedback",
]
RELATIVES = [
    "his wife Rosalind called back", "pt's son (Dmitri) was upset", "the daughter, Ines Paredes, is HCP",
    "mom is jolene, she's 17", "stepdad jerome is not allowed to visit", "su hija Guadalupe nos ayudó",
    "next of kin: Gregory Tan (son)", "ang asawa niya si Rolando, very involved",
    "her nephew, mr. adeyemi-cole, is the HCP", "pt's dad (faith) signed the consent",
    "the baby's father is named tariq", "su nieta, la joven valentina, le traduce",
    "pt's ex-wife bernadette keeps calling the unit", "his sister (joy) flew in last night",
    "her son, called will, wants updates", "the granddaughter, joy, interpreted for her",
    "a filha da paciente, renata, chega às 15h", "la fille de la patiente, amandine, signe",
    "son in law marvin wants updates", "her dtr lucinda is the poa", "the son—will—called twice",
]
INITIALS = ["mrs k, 84yo, from last week still haunts me",
            "K.T. 81F w new afib", "JB 5/17 clinic f/u", "RS 67M s/p CABG", "mj 45 yo f with lupus",
            "thanks team for the resus on JRT (22M)", "Patient initials CK, 29M", "bn HT nữ 72 tuổi, sốt"]
COLLEAGUES = [
    "Nurse manager Ms. Whitcombe approved my CCRN time", "Mr. Adebayo from pharmacy showed me",
    "dr okafor taught me the LP", "thanks @priya for the ekg tutoring", "shoutout to jen in 5W",
    "mrs kowalski our educator walked me thru it", "charge nurse Tasha is a legend",
    "mrs adeyemi (our NM) said i can go", "shoutout to mr. petrov in biomed",
    "jo from PT taught me transfers",
    "mang Jun sa security walked me to my car", "doña Rosa de la cafetería nos guarda café",
    "la enfermera jefe Sra. Beltrán aprobó mis horas", "profile: I'm Dr. Anjali Ramaswamy, PGY-2 IM",
    "hi i'm Tomás, RN on 7N", "my husband Dev works at the other campus",
    "my daughter Maya starts kindergarten",
    "Sister Bernadette from spiritual care taught us", "so grateful for Ivy the therapy dog",
    "my preceptor Kealoha is teaching me to prioritize", "thanks ms. rose from the float pool",
    "shadowed ngozi okonkwo, the cath lab RN, all day", "wen li (our new CNA) is a natural",
    "thanks j. ramirez for the sim", "marisol, la de farmacia, me enseñó la heparina",
    "tuan nguyen (our new PCT) is so good with pts",
    "adaeze is the charge nurse tonight, ask her", "my husband (Dev) says hi to the unit",
    "shoutout to marcus, the float pool guy, for the save", "thanks to omar, the icu guy, for the line",
    "sra. beatriz, la de farmacia, me explicó la insulina",
    "i want to learn from oluwaseun how he sets up the cath lab", "learning from bich ngoc on nights",
    "shoutout to jen in icu 4 nights in a row", "the little ones in peds 4 are my favourite",
    "nurse practitioner aoife mcnamara runs the derm clinic", "cardiologist ngozi adeyemi-bello read my echo",
    "shout out to deepa, farrukh and lakshmi for the wellness day", "kemi and tunde from rt fixed the bipap",
]
THINGS = [
    "virchow's triad is my DVT personality", "Kussmaul breathing in DKA", "Grey Turner and Cullen signs",
    "first time scrubbing a whipple!!", "Rivers et al, EGDT 2001", "meeting about the Rose Garden wing",
    "the Kendall Square shuttle", "Parkinson's meds timing on the floor", "Mallory-Weiss vs Boerhaave",
    "rotating at Mass General next month", "grace under pressure is my goal",
    "will someone teach me art lines",
    "hope to sit for CCRN by summer", "the Young Investigators award deadline is friday",
    "Mallampati 4 - learned to call anesthesia early", "bed 12 had a rough night",
    "room 4 debriefs on Tuesday",
    "patient portal training for the new MyChart release", "1:1 sitter for the pt in bed 7",
    "2 day old w/ bili of 16, phototherapy?", "the takotsubo case from grand rounds",
    "our sim mannequin's name is Hope", "62 y.o. female, syncope", "burch-wartofsky of 45, storm?",
    "moving to ho chi minh city for a fellowship", "the pt name is not on the board yet",
    "afib rvr: 72 yo with hr 160s",
]


@pytest.mark.parametrize("text", PATIENTS)
def test_a_patients_name_is_refused(kinds, text):
    assert {"a patient's name", "a name that could be a patient's"} & set(kinds(text))


@pytest.mark.parametrize("text", RELATIVES)
def test_a_relatives_name_is_refused_as_one(kinds, text):
    assert "a relative's name" in kinds(text)


@pytest.mark.parametrize("text", INITIALS)
def test_a_patients_initials_are_refused(kinds, text):
    assert "a patient's initials" in kinds(text)


@pytest.mark.parametrize("text", COLLEAGUES)
def test_colleagues_and_ones_own_family_pass(kinds, text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", THINGS)
def test_eponyms_sites_and_words_that_are_names_pass(kinds, text):
    assert kinds(text) == []


VIETNAMESE_PATIENTS = {
    "bệnh nhân lê văn tám bị suy tim, em muốn học về lợi tiểu": "a patient's name",
    "bà hoa phòng 3 không chịu uống thuốc": "a patient's name",
    "bn tên nguyễn thị lan bị té hôm qua": "a patient's name",
    "con gái của bệnh nhân tên là hằng, muốn gặp bác sĩ": "a relative's name",
}
VIETNAMESE_STAFF = [
    "em muốn học cách đọc phim x quang ngực", "cảm ơn chị lan đã chỉ em cách đặt sonde dạ dày",
    "có ai biết tài liệu về cai máy thở không", "ca trực hôm qua em học được rất nhiều",
]


@pytest.mark.parametrize("text, kind", VIETNAMESE_PATIENTS.items())
def test_in_vietnamese_a_name_is_one_where_a_patient_word_a_title_a_bed_or_a_relative_says_so(
        kinds, text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text", VIETNAMESE_STAFF)
def test_in_vietnamese_syllables_that_names_are_made_of_are_words(kinds, text):
    """Every Vietnamese name is made of ordinary syllables ("lan", "tám"), and "có" (has) is no
    "cô" (a title): a sentence is words unless a cue says a name is there."""
    assert kinds(text) == []


def test_a_colleague_and_a_patient_in_one_text_are_told_apart(kinds):
    assert kinds("thx jess for covering, nguyen in 22 was a LOT") == ["a patient's name"]
    assert kinds("thx jess for covering, the guy in 22 was a LOT") == []
