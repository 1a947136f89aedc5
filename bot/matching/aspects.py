"""Aspects: the curated taxonomy, and mapping what people type onto it.

Matching goes from strict to loose: an exact name or synonym; a near spelling or word order
(rapidfuzz); a known aspect named inside a longer phrase ("central line placement in the
ICU"). Anything else becomes a new aspect of the workspace rather than an error.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import MAX_ASPECT
from bot.core.errors import BadCommand
from storage.models import Aspect, AspectSynonym
from storage.queries.aspects import (
    curated_aspects,
    insert_workspace_aspect,
    lock_for_seeding,
    synonym_keys,
    synonyms_of,
)

NEAR_SPELLING = 90   # token_sort_ratio at or above: the same words, slipped
WEAK_SPELLING = 80   # at or above: close enough to ask "did you mean"
SURE_SHARE = 0.6     # an aspect inside a phrase is sure when it covers this share of its topic words
_NON_WORD = re.compile(r"[\W_]+")  # Unicode: letters and digits of every script are words


def normalize(text: str) -> str:
    """Lower-cased words of any script, so `エコー`, `الموجات فوق الصوتية` and `Υπέρηχος` are
    aspects like `POCUS`; accents come off Latin letters (`ecografía` finds `ecografia`),
    never marks that other scripts need (Japanese voicing, Arabic vowels stay)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    kept, latin = [], False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if latin:
                continue
        else:
            latin = unicodedata.name(char, "").startswith("LATIN")
        kept.append(char)
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", "".join(kept))).strip()


@dataclass(frozen=True)
class CuratedAspect:
    name: str
    category: str
    synonyms: tuple[str, ...]

    @property
    def slug(self) -> str:
        return normalize(self.name).replace(" ", "-")


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("bot.matching.data").joinpath(name).read_text("utf-8"))


def load_taxonomy() -> list[CuratedAspect]:
    """The curated aspects with their synonyms, English and Spanish."""
    spanish = _data("aspects_es.toml")["es"]
    return [CuratedAspect(a["name"], a["category"],
                          (*a.get("synonyms", ()), *spanish.get(a["name"], ())))
            for a in _data("aspects.toml")["aspect"]]


async def seed_taxonomy(session: AsyncSession) -> int:
    """Add curated aspects and synonyms that are missing; returns how many aspects were added."""
    await lock_for_seeding(session=session)
    existing = await curated_aspects(session=session)
    known = await synonym_keys(session=session)
    added = 0
    for entry in load_taxonomy():
        aspect = existing.get(entry.slug)
        if aspect is None:
            aspect = Aspect(slug=entry.slug, name=entry.name, category=entry.category, curated=True)
            session.add(aspect)
            await session.flush()
            added += 1
        for text in {normalize(t) for t in (entry.name, *entry.synonyms)}:
            if (aspect.id, text) not in known:
                session.add(AspectSynonym(aspect_id=aspect.id, text=text))
                known.add((aspect.id, text))
    return added


@dataclass(frozen=True)
class Found:
    """An aspect for what someone typed; `sure` unless it was a near spelling or a small part
    of a longer phrase, which the person confirms before anything is announced."""
    aspect_id: int
    sure: bool


@cache
def _words() -> tuple[frozenset[str], dict[str, str]]:
    data = _data("aspect_words.toml")
    return frozenset(data["filler"]), data["short"]


_BRITISH = ((re.compile(r"(?<=[a-z])our(?=al|s|ed|ing|\b)"), "or"),   # behaviour, colour
            (re.compile(r"(?:ae|oe)(?=[a-z])"), "e"),                       # anaesthesia, oedema
            (re.compile(r"programme"), "program"),
            (re.compile(r"is(?=ation|e\b|ed\b|ing\b)"), "iz"))             # organisation, prioritise


def _word(word: str) -> str:
    """One word in its folded form: British spellings as American, plurals as singular."""
    word = _words()[1].get(word, word)
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    if len(word) >= 4 and word.endswith("s") and word[-2] not in "su" and not word.endswith("is"):
        word = word[:-1]                                                   # ekgs, lines
    return word


def fold(text: str) -> str:
    """`normalize`, then every word folded, so "Anaesthetics mgmt" and "anesthetic management"
    are the same text to the catalogue."""
    return " ".join(_word(w) for w in normalize(text).split())


class Catalog:
    """Folded names and synonyms of a set of aspects, searchable in memory."""

    def __init__(self, pairs: list[tuple[str, int]]):
        self._by_text: dict[str, int] = {}
        for text, aspect_id in pairs:
            self._by_text.setdefault(fold(text), aspect_id)
        for text, aspect_id in list(self._by_text.items()):   # LPs, IVs: short plurals kept
            if len(text) == 2 and text.isalpha():                # apart from words like BLS
                self._by_text.setdefault(text + "s", aspect_id)
        self._texts = list(self._by_text)
        self._by_words: dict[int, list[str]] = {}
        for text in self._texts:
            self._by_words.setdefault(len(text.split()), []).append(text)
        self._tokens = [(set(t.split()), t) for t in self._texts]

    @classmethod
    async def load(cls, session: AsyncSession, workspace_id: int | None) -> "Catalog":
        return cls(await synonyms_of(session=session, workspace_id=workspace_id))

    def mentioned_in(self, text: str) -> set[int]:
        """Aspects whose name or synonym appears, as whole words, in `text` (in memory only)."""
        padded = f" {fold(text)} "
        return {self._by_text[t] for t in self._texts if len(t) >= 3 and f" {t} " in padded}

    def find(self, text: str) -> Found | None:
        """From strict to loose: the name or a synonym; a known aspect inside a longer phrase
        (sure when it covers most of the phrase's topic words); a near spelling."""
        query = fold(text)
        if not query:
            return None
        if query in self._by_text:
            return Found(self._by_text[query], True)
        words = set(query.split())
        inside = [t for tokens, t in self._tokens if tokens <= words and len(t) >= 3]
        if inside:
            best = max(inside, key=len)
            topic = words - _words()[0]
            covered = len(set(best.split()) & topic) / max(len(topic), 1)
            return Found(self._by_text[best], covered >= SURE_SHARE)
        if len(query) >= 4:  # a slip changes letters, not how many words there are
            near = process.extractOne(query, self._by_words.get(len(words), ()),
                                      scorer=fuzz.token_sort_ratio, score_cutoff=WEAK_SPELLING)
            if near:
                return Found(self._by_text[near[0]], near[1] >= NEAR_SPELLING)
        return None

    def match(self, text: str) -> int | None:
        """The aspect `text` names, sure or not."""
        found = self.find(text)
        return found.aspect_id if found else None


def checked(text: str) -> str:
    """The aspect as typed, with spaces tidied; refused when empty or too long."""
    text = " ".join(text.split())
    if not normalize(text):
        raise BadCommand("Name the aspect, for example `POCUS` or `breaking bad news`.")
    if len(text) > MAX_ASPECT:
        raise BadCommand(
            f"Keep the aspect short (at most {MAX_ASPECT} characters) and put the rest after a colon."
        )
    return text


async def look_up(
    session: AsyncSession, *, curated: Catalog, workspace_id: int, text: str
) -> tuple[Aspect | None, bool]:
    """The curated or workspace aspect `text` names and whether that is sure; (None, False)
    when it would be a new one."""
    found = curated.find(text) or (await Catalog.load(session, workspace_id)).find(text)
    if found is None:
        return None, False
    return await session.get_one(Aspect, found.aspect_id), found.sure


async def create(session: AsyncSession, *, workspace_id: int, text: str) -> Aspect:
    """The workspace's own aspect named `text` (made now, unless it exists)."""
    slug = normalize(text).replace(" ", "-")
    aspect, created = await insert_workspace_aspect(
        session=session, workspace_id=workspace_id, slug=slug, name=text[0].upper() + text[1:])
    if created:
        session.add(AspectSynonym(aspect_id=aspect.id, text=normalize(text)))
    return aspect


async def resolve(
    session: AsyncSession, *, curated: Catalog, workspace_id: int, text: str
) -> Aspect:
    """The aspect `text` names, sure or not, or a new one of the workspace (offers and
    rosters, whose answer shows the person what was understood)."""
    text = checked(text)
    aspect, _ = await look_up(session, curated=curated, workspace_id=workspace_id, text=text)
    return aspect or await create(session, workspace_id=workspace_id, text=text)
