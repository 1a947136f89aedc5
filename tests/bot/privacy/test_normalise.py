"""Stage 1: one spelling for spaced, spelled and defanged text, never losing an identifier."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy import identifiers
from bot.privacy.guard import Guard
from bot.privacy.normalise import normalise


@pytest.mark.parametrize("raw, canonical", [
    ("m r n 5 5 2 0 9 1 3 if u wanna", "mrn 5520913 if u wanna"),
    ("mrn six one one four two zero nine", "mrn 6114209"),
    ("MR#: four-four-zero-nine-eight-one-two", "MR#: 4409812"),
    ("mrn 7 7 1-0 4 2 9", "mrn 771-0429"),
    ("call back 857 five five five 0147", "call back 857 555 0147"),
    ("the mom @ 781 555 O192", "the mom @ 781 555 0192"),
    ("(six-one-seven) 555-0177", "(617) 555-0177"),
    ("social is five one two, four four, nine oh two one", "social is 512 44 9021"),
    ("ssn six oh two dash eighteen dash four four seven three", "ssn 602-18-4473"),
    ("her email is ana dot ruiz at gmail dot com", "her email is ana.ruiz@gmail.com"),
    ("mrsadeyemi (at) aol (dot) com", "mrsadeyemi@aol.com"),
    ("correo: lupita.flores @ gmail . com", "correo: lupita.flores@gmail.com"),
    ("joao_pereira1960 arroba bol ponto com ponto br", "joao_pereira1960@bol.com.br"),
    ("10[.]4[.]22[.]118", "10.4.22.118"),
    ("ten dot four dot twenty two dot one", "10.4.22.1"),
    ("hxxp://x[.]org", "http://x.org"),
    ("ninety-four-year-old man", "94-year-old man"),
    ("tiene noventa y dos años", "tiene 92 años"),
    ("mass plate 2 B X 9 4 1", "mass plate 2BX941"),
    ("zip is 9 0 0 1 1", "zip is 90011"),
    ("ＭＲＮ １２３４５６７８", "MRN 12345678"),       # full-width forms
    ("call 617\u2011555\u20110142", "call 617-555-0142"),  # non-breaking hyphens
    ("caringbridge dot org slash visit slash anasjourney", "caringbridge.org/visit/anasjourney"),
    ("the son—ray—called", "the son, ray, called"), ("call 555—0192", "call 555-0192"),
])
def test_disguises_take_one_canonical_form(raw, canonical):
    assert normalise(raw) == canonical


@pytest.mark.parametrize("text", [
    "I'm good at it. So tired", "dos o tres veces", "one of my pts", "ABG 7.21/58/62 and",
    "x-ray at 0700", "GCS 3 4 5", "step 2 came back 251",
])
def test_ordinary_text_is_left_as_it_is(text):
    assert normalise(text) == text


_digits = st.text("0123456789", min_size=1, max_size=4)
_TOLL_FREE = {800, 833, 844, 855, 866, 877, 888}   # an organisation's number passes by design
_identifier = st.one_of(
    st.builds(lambda a, b, c: f"{a:03d}-{b:03d}-{c:04d}",
              st.integers(200, 999).filter(lambda a: a not in _TOLL_FREE), st.integers(200, 999),
              st.integers(0, 9999)),
    st.builds(lambda n: f"MRN {n}", st.integers(1_000, 99_999_999)),
    st.builds(lambda a, b, c: f"{a:03d}-{b:02d}-{c:04d}", st.integers(100, 899), st.integers(10, 99),
              st.integers(1000, 9999)),
    st.builds(lambda u, h: f"{u}@{h}.org", st.from_regex(r"[a-z]{2,8}", fullmatch=True),
              st.from_regex(r"[a-z]{3,8}", fullmatch=True)),
    st.builds(lambda a, b: f"10.{a}.{b}.7", st.integers(0, 255), st.integers(0, 255)),
    st.builds(lambda n: f"{n:08d}", st.integers(0, 99_999_999)),
)
_words = st.lists(st.sampled_from(["goal:", "pt", "one", "oh", "at", "dot", "two", "five", "a", "o",
                                   "the", "-", ",", "(", ")", "i", "m", "r", "n", "3", "55", "x"]),
                  max_size=6).map(" ".join)


@settings(deadline=None)   # the first calls fill the word caches
@given(before=_words, identifier=_identifier, after=_words)
def test_normalisation_never_removes_an_identifier_a_pattern_finds(before, identifier, after):
    text = f"{before} {identifier} {after}"
    found = {f.kind for f in Guard().findings(text, year=2026)}
    assert set(identifiers.findings(text)) <= found
    assert list(identifiers.findings(normalise(text)))   # the canonical form alone still has one
