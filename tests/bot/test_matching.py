"""The matching engine: each term and filter, the reasons in words, and its invariants."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import literal
from sqlmodel import select

from bot.matching.familiarity import Observation, closeness, decayed
from bot.matching.features import WEIGHTS, Features, experience_fit, experience_fit_sql, rated
from bot.matching.ranking import MAX_CANDIDATES, SMALL_CHANNEL
from storage.models import (
    Aspect,
    ChannelMember,
    Expertise,
    Interaction,
    Member,
    Mentorship,
    Survey,
    Workspace,
)
from tests.helpers import button, text_of

RESIDENT = "role=resident; specialty=Internal Medicine; site=Main campus; started=2025"


async def reasons_for(world, mentee: str, aspect: str = "POCUS", flags: str = "--private"):
    """The suggestion lines, best first, for a fresh request (closed again afterwards)."""
    reply = await world.cmd(mentee, f"/learn {flags} {aspect}")
    lines = [line for line in text_of(reply).splitlines() if line[:2] in ("1.", "2.", "3.")]
    from storage.models import LearningRequest

    async with world.db.transaction() as session:
        for request in (await session.exec(select(LearningRequest))).all():
            request.status = "closed"
    return lines


async def test_declared_expertise_is_the_entry_ticket(world):
    await world.person("priya", RESIDENT)
    await world.person("lee", "role=attending", offers="central lines")
    assert await reasons_for(world, "priya") == []
    await world.cmd("lee", "/mentor offer POCUS")
    (line,) = await reasons_for(world, "priya")
    assert line.startswith("1. @Lee: offers mentoring in Point-of-care ultrasound")


async def test_similarity_terms_read_as_one_sentence(world):
    await world.person("priya", RESIDENT)
    await world.person("a", "role=attending; specialty=Internal Medicine; site=Main campus; "
                       "started=2018", offers="POCUS")
    await world.person("b", "role=nurse; specialty=Surgery; site=North; started=2018", offers="POCUS")
    first, second = await reasons_for(world, "priya")
    assert first.startswith("1. @A") and "both Internal Medicine at Main campus" in first
    assert "also on the physician track" in first and "7 years further along" in first
    assert "both" not in second and "track" not in second


def test_experience_band_prefers_a_senior_resident_or_young_attending_to_the_chair():
    assert experience_fit(3) == experience_fit(8) == 1.0  # senior resident, young attending
    assert experience_fit(1) < experience_fit(3)
    assert experience_fit(15) == 0.5 and experience_fit(25) == 0.0 == experience_fit(0)
    assert experience_fit(-4) == 0.0  # someone junior is no mentor on this basis


async def test_direct_interaction_wins_over_equal_profiles_and_says_where(world):
    for who in ("lee", "souza"):
        await world.person(who, "role=attending; specialty=Internal Medicine", offers="POCUS")
    await world.person("priya", RESIDENT)
    for _ in range(2):
        await world.observe(Observation("reply", "souza", ("priya",), "C9"))
    first, second = await reasons_for(world, "priya")
    assert first.startswith("1. @Souza") and "you've replied in 2 threads together in #C9" in first
    assert second.startswith("2. @Lee")


async def test_mentions_and_reactions_count_as_interactions(world):
    await world.person("lee", "role=attending", offers="POCUS")
    await world.person("priya", RESIDENT)
    await world.observe(Observation("mention", "priya", ("lee",), "C1"))
    await world.observe(Observation("reaction", "lee", ("priya",), "C1"))
    (line,) = await reasons_for(world, "priya")
    assert "you've interacted 2 times in #C1" in line


async def test_shared_small_channels_and_mutual_colleagues(world):
    await world.person("lee", "role=attending", offers="POCUS")
    await world.person("priya", RESIDENT)
    for channel in ("C1", "C2"):
        for who in ("lee", "priya"):
            await world.observe(Observation("joined", who, channel=channel))
    for friend in ("kim", "ana", "sam"):
        await world.observe(Observation("mention", friend, ("priya",)))
        await world.observe(Observation("mention", friend, ("lee",)))
    (line,) = await reasons_for(world, "priya")
    assert "you share 2 small channels" in line and "you have 3 colleagues in common" in line


async def test_big_channels_say_nothing(world):
    await world.person("lee", "role=attending", offers="POCUS")
    await world.person("priya", RESIDENT)
    for who in ("lee", "priya"):
        await world.observe(Observation("joined", who, channel="GENERAL"))
    async with world.db.transaction() as session:   # the rest of a big channel, in one go
        lee = (await session.exec(select(Member).where(Member.platform_user_id == "lee"))).one()
        crowd = [Member(workspace_id=lee.workspace_id, platform_user_id=f"x{n}", created_at=world.clock.now())
                 for n in range(SMALL_CHANNEL - 1)]
        session.add_all(crowd)
        await session.flush()
        session.add_all(ChannelMember(workspace_id=lee.workspace_id, channel="GENERAL", member_id=m.id)
                        for m in crowd)
    (line,) = await reasons_for(world, "priya")
    assert "channel" not in line


async def test_answering_threads_on_an_aspect_infers_expertise_that_can_be_cleared(world):
    await world.person("priya", RESIDENT)
    for n in range(3):
        await world.observe(Observation(
            "reply", "kim", ("priya",), "C1", text=f"for a FAST exam tilt the probe ({n})"))
    (line,) = await reasons_for(world, "priya")
    assert line.startswith("1. @kim") and "often answers colleagues' questions on Point-of-care" in line
    shown = text_of(await world.cmd("kim", "/mentor profile"))
    assert "Point-of-care ultrasound (3 answers)" in shown and "never the words" in shown
    assert "forgot 1 inferred aspect" in text_of(await world.cmd("kim", "/mentor profile clear-inferred"))
    assert await reasons_for(world, "priya") == []


async def test_track_record_proven_finished_and_answered_check_ins(world):
    await world.person("priya", RESIDENT)
    await world.person("nguyen", "role=student")
    await world.person("lee", "role=attending", offers="POCUS")
    suggestions = await world.cmd("nguyen", "/learn POCUS")
    await world.press("nguyen", "request_intro", button(suggestions, "request_intro"))
    await world.tick()
    await world.press("lee", "intro_accept", button(world.last("lee"), "intro_accept"))
    await world.advance(days=15)
    await world.cmd("lee", "met")
    await world.advance(days=15)
    await world.cmd("lee", "wrap up")
    (line,) = await reasons_for(world, "priya")
    assert "has guided 1 person on Point-of-care ultrasound" in line
    assert "has seen 1 mentorship through" in line and "answers their check-ins" in line
    assert "says yes to most asks" in line


async def past_pairs(world, mentor: str, ratings: list[list[int]]) -> None:
    """Wrapped mentorships of `mentor`, one per list, its mentee's answers as given (the
    mentor's own answers, all 1/5, never count)."""
    async with world.db.transaction() as session:
        members = {m.platform_user_id: m for m in (await session.exec(select(Member))).all()}
        for n, answers in enumerate(ratings):
            mentee = Member(workspace_id=members[mentor].workspace_id, platform_user_id=f"{mentor}-{n}",
                            created_at=world.clock.now())
            session.add(mentee)
            await session.flush()
            pair = Mentorship(mentor_id=members[mentor].id, mentee_id=mentee.id, aspect_id=2,
                              status="wrapped", next_checkin_at=world.clock.now(),
                              started_at=world.clock.now())
            session.add(pair)
            await session.flush()
            for stage, rating in enumerate(answers, start=1):
                session.add(Survey(mentorship_id=pair.id, member_id=mentee.id, stage=stage,
                                   due_at=world.clock.now(), rating=rating))
            session.add(Survey(mentorship_id=pair.id, member_id=members[mentor].id, stage=1,
                               due_at=world.clock.now(), rating=1))


async def test_what_mentees_said_of_their_mentorships_counts_and_is_said(world):
    await world.person("priya", RESIDENT)
    for who in ("ada", "bo"):
        await world.person(who, "role=attending", offers="POCUS")
    await past_pairs(world, "bo", [[5, 4], [5], [4], [5], [4]])
    await past_pairs(world, "ada", [[5], [5], [5], [5], [5]])
    first, second = await reasons_for(world, "priya")
    assert first.startswith("1. @Ada")
    assert "mentees rated their mentorships 5.0/5 on average (5 pairs)" in first
    assert "rated their mentorships 4.5/5 on average (5 pairs)" in second


async def test_one_glowing_answer_does_not_outweigh_many_good_ones(world):
    await world.person("priya", RESIDENT)
    for who in ("ada", "bo", "cy"):
        await world.person(who, "role=attending", offers="POCUS")
    await past_pairs(world, "ada", [[5], [], [], [], []])  # as many pairs seen through
    await past_pairs(world, "bo", [[5], [4], [5], [5], [4]])
    await past_pairs(world, "cy", [[2], [3], [2]])
    lines = await reasons_for(world, "priya")
    assert [line.split(":")[0] for line in lines] == ["1. @Bo", "2. @Ada", "3. @Cy"]
    assert "rated" not in lines[2]  # below the middle of the scale: no credit, nothing said


@given(st.lists(st.integers(1, 5), min_size=1, max_size=20), st.integers(1, 5))
def test_rated_stays_bounded_and_another_answer_above_the_mean_never_lowers_it(means, more):
    value = rated([float(m) for m in means])
    assert 0 <= value <= 1
    if more >= sum(means) / len(means):
        assert rated([float(m) for m in [*means, more]]) >= value - 1e-9


async def test_enthusiasm_own_learning_and_recent_activity(world):
    await world.person("priya", RESIDENT)
    await world.person("lee", "role=attending", offers="POCUS")
    await world.cmd("lee", "/learn --private grant writing")
    (line,) = await reasons_for(world, "priya")
    assert "is learning something new themselves" in line and "active here this month" in line
    world.clock.advance(timedelta(days=45))
    await world.cmd("priya", "status")
    (line,) = await reasons_for(world, "priya")
    assert "active here this month" not in line


async def test_hard_filters(world):
    await world.person("priya", RESIDENT)
    for who in ("paused", "full", "gone", "zero", "ok"):
        await world.person(who, "role=attending", offers="POCUS")
    await world.cmd("paused", "/mentor pause 2")
    await world.cmd("zero", "/mentor capacity 0")
    async with world.db.transaction() as session:
        members = {m.platform_user_id: m for m in (await session.exec(select(Member))).all()}
        members["gone"].unreachable = True
        members["full"].capacity = 1
        session.add(Mentorship(mentor_id=members["full"].id, mentee_id=members["ok"].id,
                               aspect_id=1, next_checkin_at=world.clock.now(),
                               started_at=world.clock.now()))
    names = [line.split(":")[0] for line in await reasons_for(world, "priya")]
    assert names == ["1. @Ok"]


async def test_a_pause_with_an_end_keeps_the_mentor_out_until_it_ends(world):
    await world.person("priya", RESIDENT)
    await world.person("lee", "role=attending", offers="POCUS")
    await world.cmd("lee", "/mentor pause 2")
    await world.advance(days=13)
    assert await reasons_for(world, "priya") == []
    world.clock.advance(timedelta(days=1, hours=1))   # over, even before a tick resumes it
    (line,) = await reasons_for(world, "priya")
    assert line.startswith("1. @Lee")


@given(weight=st.floats(0, 1e6), extra=st.floats(0, 100), days=st.floats(0, 3650))
def test_adding_an_interaction_never_lowers_familiarity(weight, extra, days):
    since = datetime(2026, 1, 1, tzinfo=UTC)
    now = since + timedelta(days=days)
    before = closeness(decayed(weight, since, now))
    assert closeness(decayed(weight, since, now) + extra) >= before
    assert 0 <= before <= 1


@given(st.lists(st.tuples(st.sampled_from(sorted(WEIGHTS)), st.floats(-10, 10)), max_size=40))
def test_scores_are_bounded_by_the_sum_of_the_weights(terms):
    features = Features()
    for name, value in terms:
        features.add(name, value, name)
    score = features.suggestion(Member(platform_user_id="x", workspace_id=1)).score
    assert 0 <= score <= sum(WEIGHTS.values())


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(0, 3), live=st.integers(0, 3), paused=st.booleans())
async def test_a_paused_or_full_mentor_is_never_suggested(world_factory, capacity, live, paused):
    world = await world_factory()
    await world.person("priya", RESIDENT)
    await world.person("lee", "role=attending", offers="POCUS")
    for n in range(live):
        await world.person(f"m{n}", "role=student")
    async with world.db.transaction() as session:
        mine = select(Member).join(Workspace).where(Workspace.external_id == world.team)
        members = {m.platform_user_id: m for m in (await session.exec(mine)).all()}
        lee = members["lee"]
        lee.capacity, lee.paused = capacity, paused
        for n in range(live):
            session.add(Mentorship(mentor_id=lee.id, mentee_id=members[f"m{n}"].id, aspect_id=1,
                                   next_checkin_at=world.clock.now(), started_at=world.clock.now()))
    suggested = bool(await reasons_for(world, "priya"))
    assert suggested == (not paused and live < capacity)


async def test_beyond_the_shortlist_the_known_and_the_most_alike_are_still_scored(world):
    """170 offer the aspect, more than are scored in full: the database keeps everyone the
    mentee knows and the most alike, however late they joined (highest ids)."""
    await world.person("priya", RESIDENT)
    async with world.db.transaction() as session:
        priya = (await session.exec(select(Member).where(Member.platform_user_id == "priya"))).one()
        pocus = (await session.exec(select(Aspect.id).where(Aspect.name == "Point-of-care ultrasound"))).one()
        unlike = [Member(workspace_id=priya.workspace_id, platform_user_id=f"x{n}", name=f"x{n}",
                         role="pharmacist", specialty="Pharmacy", site="North", capacity=2,
                         created_at=world.clock.now()) for n in range(MAX_CANDIDATES + 20)]
        known = Member(workspace_id=priya.workspace_id, platform_user_id="known", name="Known",
                       role="pharmacist", specialty="Pharmacy", site="North", capacity=2,
                       created_at=world.clock.now())
        alike = Member(workspace_id=priya.workspace_id, platform_user_id="alike", name="Alike",
                       role="attending", specialty="internal medicine ", site="Main Campus",
                       career_start_year=2019, capacity=2, created_at=world.clock.now())
        session.add_all([*unlike, known, alike])
        await session.flush()
        session.add_all(Expertise(member_id=m.id, aspect_id=pocus, source="declared",
                                  updated_at=world.clock.now()) for m in [*unlike, known, alike])
        session.add(Interaction(member_id=priya.id, other_id=known.id, weight=2.0, count=4,
                                threads=2, channel="C1", last_at=world.clock.now()))
    first, second, _ = await reasons_for(world, "priya")
    assert first.startswith("1. @Alike") and "6 years further along" in first
    assert second.startswith("2. @Known") and "replied in 2 threads together" in second


async def test_the_shortlists_experience_in_sql_is_experience_fit(world):
    years = list(range(-3, 25))
    async with world.db.transaction() as session:
        fits = (await session.exec(select(*(experience_fit_sql(literal(n)) for n in years)))).one()
    assert [round(float(f), 9) for f in fits] == [round(experience_fit(n), 9) for n in years]
