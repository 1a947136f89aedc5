"""Aspects: the curated taxonomy, and mapping what people type onto it.

Matching goes from strict to loose: an exact name or synonym; a near spelling or word order
(rapidfuzz); a known aspect named inside a longer phrase ("central line placement in the
ICU"). Anything else becomes a new aspect of the workspace rather than an error.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import MAX_ASPECT
from bot.core.errors import BadCommand
from storage.models import Aspect, AspectSynonym
from storage.queries.aspects import (
    curated_aspects,
    insert_workspace_aspect,
    synonym_keys,
    synonyms_of,
)

NEAR_SPELLING = 88
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


def load_taxonomy() -> list[CuratedAspect]:
    data = tomllib.loads(resources.files("bot.matching.data").joinpath("aspects.toml").read_text("utf-8"))
    return [
        CuratedAspect(a["name"], a["category"], tuple(a.get("synonyms", ()))) for a in data["aspect"]
    ]


async def seed_taxonomy(session: AsyncSession) -> int:
    """Add curated aspects and synonyms that are missing; returns how many aspects were added."""
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


class Catalog:
    """Normalized names and synonyms of a set of aspects, searchable in memory."""

    def __init__(self, pairs: list[tuple[str, int]]):
        self._by_text = {}
        for text, aspect_id in pairs:
            self._by_text.setdefault(text, aspect_id)
        self._texts = list(self._by_text)
        self._tokens = [(set(t.split()), t) for t in self._texts]

    @classmethod
    async def load(cls, session: AsyncSession, workspace_id: int | None) -> "Catalog":
        return cls(await synonyms_of(session=session, workspace_id=workspace_id))

    def mentioned_in(self, text: str) -> set[int]:
        """Aspects whose name or synonym appears, as whole words, in `text` (in memory only)."""
        padded = f" {normalize(text)} "
        return {self._by_text[t] for t in self._texts if len(t) >= 3 and f" {t} " in padded}

    def match(self, text: str) -> int | None:
        query = normalize(text)
        if not query:
            return None
        if query in self._by_text:
            return self._by_text[query]
        if len(query) >= 5:
            near = process.extractOne(
                query, self._texts, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_SPELLING
            )
            if near:
                return self._by_text[near[0]]
        words = set(query.split())
        inside = [t for tokens, t in self._tokens if tokens <= words and len(t) >= 3]
        if inside:
            return self._by_text[max(inside, key=len)]
        return None


async def resolve(
    session: AsyncSession, *, curated: Catalog, workspace_id: int, text: str
) -> Aspect:
    """The aspect `text` names: curated, the workspace's own, or a new one of the workspace."""
    text = " ".join(text.split())
    if not normalize(text):
        raise BadCommand("Name the aspect, for example `POCUS` or `breaking bad news`.")
    if len(text) > MAX_ASPECT:
        raise BadCommand(
            f"Keep the aspect short (at most {MAX_ASPECT} characters) and put the rest after a colon."
        )
    aspect_id = curated.match(text) or (await Catalog.load(session, workspace_id)).match(text)
    if aspect_id is not None:
        return await session.get_one(Aspect, aspect_id)
    slug = normalize(text).replace(" ", "-")
    aspect, created = await insert_workspace_aspect(
        session=session, workspace_id=workspace_id, slug=slug, name=text[0].upper() + text[1:])
    if created:
        session.add(AspectSynonym(aspect_id=aspect.id, text=normalize(text)))
    return aspect
