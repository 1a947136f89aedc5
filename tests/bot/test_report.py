"""The program report on a seeded history with known answers."""

import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from bot.usecases import report, report_output
from storage.models import (
    Aspect,
    CheckIn,
    Expertise,
    IntroAsk,
    LearningRequest,
    Member,
    Mentorship,
    Survey,
    Workspace,
)
from tests.helpers import text_of

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "report_golden.csv"
NOW = datetime(2026, 12, 1, 14, tzinfo=UTC)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def seed(world) -> None:
    """Medicine: 6 people (3 residents, 3 attendings); Surgery: 2 residents; Pharmacy: 5
    pharmacists who asked for nothing. Four requests, five asks, three pairs."""
    async with world.db.transaction() as session:
        ws = Workspace(platform="console", external_id="T1", created_at=NOW)
        session.add(ws)
        await session.flush()
        people = {}
        for uid, dept, role in (
            [("m1", "Medicine", "resident"), ("m2", "Medicine", "resident"),
             ("m3", "Medicine", "resident"), ("m4", "Medicine", "attending"),
             ("m5", "Medicine", "attending"), ("m6", "Medicine", "attending"),
             ("s1", "Surgery", "resident"), ("s2", "Surgery", "resident")]
            + [(f"p{n}", "Pharmacy", "pharmacist") for n in range(5)]
        ):
            people[uid] = Member(workspace_id=ws.id, platform_user_id=uid, name=uid,
                                 department=dept, role=role, created_at=NOW)
        session.add_all(people.values())
        await session.flush()
        aspects = {a.slug: a.id for a in (await session.exec(select(Aspect))).all()}
        pocus, grants = aspects["point-of-care-ultrasound"], aspects["grant-writing"]
        session.add_all([Expertise(member_id=people[m].id, aspect_id=pocus, source="declared",
                                   updated_at=NOW) for m in ("m4", "m5")])
        requests = {}
        for key, who, aspect, created, hours, status in (
            ("R1", "m1", pocus, at(10, 5), 24, "matched"),
            ("R2", "m2", pocus, at(10, 20), 48, "closed"),
            ("R3", "m3", grants, at(11, 3), None, "open"),
            ("R4", "s1", pocus, at(11, 10), 12, "matched"),
        ):
            requests[key] = LearningRequest(
                member_id=people[who].id, aspect_id=aspect, details="private words",
                status=status, created_at=created,
                first_intro_at=created + timedelta(hours=hours) if hours else None)
        session.add_all(requests.values())
        await session.flush()
        for request, mentee, mentor, status in (
            ("R1", "m1", "m4", "accepted"), ("R2", "m2", "m5", "accepted"),
            ("R3", "m3", "m6", "declined"), ("R3", "m3", "m5", "expired"),
            ("R4", "s1", "m4", "accepted"),
        ):
            r = requests[request]
            session.add(IntroAsk(request_id=r.id, mentor_id=people[mentor].id,
                                 mentee_id=people[mentee].id, asker_id=people[mentee].id,
                                 asked_id=people[mentor].id, origin="request", status=status,
                                 created_at=r.created_at, expires_at=r.created_at + timedelta(days=3),
                                 answered_at=r.created_at + timedelta(hours=1)))
        pairs = {}
        for key, mentor, mentee, started, status in (
            ("P1", "m4", "m1", at(10, 6), "active"), ("P2", "m5", "m2", at(10, 22), "wrapped"),
            ("P3", "m4", "s1", at(11, 10), "paused"),
        ):
            pairs[key] = Mentorship(mentor_id=people[mentor].id, mentee_id=people[mentee].id,
                                    aspect_id=pocus, status=status, rounds=2, started_at=started,
                                    next_checkin_at=NOW)
        session.add_all(pairs.values())
        await session.flush()
        for pair, outcomes in (("P1", ["met", "silent"]), ("P2", ["not_yet", "met"]),
                               ("P3", ["silent", "silent"])):
            for n, outcome in enumerate(outcomes, 1):
                session.add(CheckIn(mentorship_id=pairs[pair].id, round=n, outcome=outcome,
                                    asked_at=pairs[pair].started_at + timedelta(days=14 * n)))


async def computed(world) -> report.Report:
    async with world.db.transaction() as session:
        return await report.compute(session, now=NOW)


async def test_every_overall_figure(world):
    await seed(world)
    f = (await computed(world)).overall
    assert (f.requests, f.introduced, f.intro_share) == (4, 3, 0.75)
    assert (f.median_hours_to_intro, f.p90_hours_to_intro) == (24.0, 43.2)
    assert (f.asks_answered, f.acceptance_rate) == (5, 0.6)
    assert (f.active_pairs, f.stalled_pairs, f.wrap_ups) == (1, 1, 1)
    assert (f.checkins_asked, f.checkin_response_rate) == (6, 0.5)
    assert (f.staff, f.mentored, f.mentored_share) == (13, 2, 0.154)
    assert (f.meetings_per_pair_month, f.median_days_to_first_meeting) == (0.52, 21.0)  # 2 in 117.5 days


async def test_what_came_of_the_pairs_and_how_useful_they_were(world):
    """Five answers in all (three pairs, both sides): shown overall; Medicine's four are not."""
    await seed(world)
    async with world.db.transaction() as session:
        pairs = {p.started_at.day: p for p in (await session.exec(select(Mentorship))).all()}
        p1, p2, p3 = pairs[6], pairs[22], pairs[10]
        p2.end_reason, p3.flagged_at = "quiet", NOW
        for pair, who, stage, rating, goal in (
                (p1, p1.mentee_id, 1, 4, None), (p1, p1.mentor_id, 1, 5, None),
                (p2, p2.mentee_id, 0, 5, 4), (p2, p2.mentor_id, 0, 3, 3),
                (p3, p3.mentee_id, 1, 2, None)):
            session.add(Survey(mentorship_id=pair.id, member_id=who, stage=stage, due_at=NOW,
                               asked_at=NOW, answered_at=NOW, rating=rating, goal=goal))
    r = await computed(world)
    f = r.overall
    assert (f.quality_answers, f.quality_mean) == (5, 3.8)
    assert (f.rated_1, f.rated_2, f.rated_3, f.rated_4, f.rated_5) == (0, 1, 1, 1, 2)
    assert f.goal_mean is None  # two answers: fewer than 5
    assert (f.closed_quiet, f.closed_left, f.flagged_never_met) == (1, 0, 1)
    assert f.wrap_ups == 0  # closed as quiet is not wrapped up
    said = "\n".join(report_output.to_text(r))
    assert ("*What came of the pairs*: 2 people with a mentor now (15.4% of 13 staff); 0.52 "
            "meetings per pair per month, the first after a median 21.0 days; 1 flagged as never "
            "met; closed early: 1 gone quiet, 0 left; usefulness 3.8/5 from 5 answers "
            "(1–5: 0, 1, 1, 1, 2).") in said
    medicine = r.by_department["Medicine"]
    assert (medicine.quality_answers, medicine.quality_mean, medicine.rated_5) == (4, None, None)


async def test_groups_under_five_are_suppressed_and_an_idle_department_shows_zero(world):
    await seed(world)
    r = await computed(world)
    medicine = r.by_department["Medicine"]
    assert (medicine.requests, medicine.introduced, medicine.intro_share) == (3, 2, 0.667)
    assert (medicine.median_hours_to_intro, medicine.p90_hours_to_intro) == (36.0, 45.6)
    assert (medicine.acceptance_rate, medicine.checkin_response_rate) == (0.5, 0.75)
    assert (medicine.active_pairs, medicine.stalled_pairs, medicine.wrap_ups) == (1, 0, 1)
    assert r.by_department["Surgery"] is None
    pharmacy = r.by_department["Pharmacy"]
    assert (pharmacy.requests, pharmacy.intro_share, pharmacy.median_hours_to_intro) == (0, None, None)
    assert r.by_role["resident"].requests == 4 and r.by_role["attending"] is None
    assert r.by_month == {"2026-10": None, "2026-11": None}  # 2 people asked in each
    assert r.gaps == [("Grant writing", 1)]


async def test_months_follow_the_same_small_group_rule_as_departments(world, monkeypatch):
    """A month in which fewer than 5 people asked is suppressed like a small department;
    with the threshold at 2 the same months show their counts."""
    from bot.usecases import report

    await seed(world)
    monkeypatch.setattr(report, "MIN_GROUP", 2)
    r = await computed(world)
    assert {m: (f.requests, f.introduced, f.wrap_ups) for m, f in r.by_month.items()} == {
        "2026-10": (2, 2, 1), "2026-11": (2, 1, 0)}


async def test_golden_csv_and_no_free_text(world):
    await seed(world)
    csv_text = report_output.to_csv(await computed(world))
    assert "private words" not in csv_text
    assert csv_text == GOLDEN.read_text()  # reviewed by hand against the seed above


async def test_the_chart_is_titled_dated_counted_in_whole_numbers_and_hides_small_cells(world):
    import matplotlib.pyplot as plt

    await seed(world)
    drawn = report_output.figure(await computed(world))
    try:
        assert drawn._suptitle.get_text() == "Preceptor program report, all time to 01 Dec 2026"
        funnel, gaps = drawn.axes
        assert all(float(t).is_integer() for t in funnel.get_yticks())
        assert all(float(t).is_integer() for t in gaps.get_xticks())
        (bar,) = gaps.patches  # Grant writing: 1 request waiting, fewer than 5
        assert bar.get_width() == 0
        assert "fewer than 5" in [t.get_text() for t in gaps.texts]
        assert [t.get_text() for t in funnel.texts] == ["fewer than 5", "fewer than 5"]
        assert all(p.get_height() == 0 for p in funnel.patches)  # both months suppressed
    finally:
        plt.close(drawn)


async def test_chart_is_a_png_of_the_expected_size(world, tmp_path):
    await seed(world)
    path = tmp_path / "report.png"
    report_output.chart(await computed(world), path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1000, 400)


async def test_admin_report_is_for_leads_only(world):
    world.settings.preceptor_admins = "lead"
    await world.person("lead", "role=attending")
    await world.person("priya", "role=resident")
    assert "Only program leads" in text_of(await world.cmd("priya", "/mentor admin report"))
    shown = text_of(await world.cmd("lead", "/mentor admin report"))
    assert "Mentoring program report" in shown and "*Overall*: 0 learning requests" in shown
    home, _ = await world.app.dispatch.home(world.actor("lead"))
    assert text_of(home).startswith("Your mentoring at a glance\n*Program*: 0 learning requests")


async def test_twelve_month_retention_of_mentees_against_colleagues_in_the_same_roles(world):
    """Six nurses mentored from June 2025 (one left within the year, one after it), six never
    mentored (three left), five attendings never mentored (other role: not compared), one
    nurse mentored only since October (too recent), one with no hiring date (not counted)."""
    from datetime import date

    async with world.db.transaction() as session:
        ws = Workspace(platform="console", external_id="T1", created_at=NOW)
        session.add(ws)
        await session.flush()

        def person(uid, role, hired, left=None, dept="Emergency"):
            return Member(workspace_id=ws.id, platform_user_id=uid, name=uid, role=role, department=dept,
                          hired_on=hired, left_on=left, created_at=NOW)

        mentor = person("mentor", "attending", None)
        mentees = [person(f"n{i}", "nurse", date(2024, 1, 1),
                          {0: date(2026, 3, 1), 1: date(2026, 9, 1)}.get(i)) for i in range(6)]
        others = [person(f"o{i}", "nurse", date(2023, 5, 1), date(2026, 2, 1) if i < 3 else None,
                         dept="Medicine" if i == 5 else "Emergency") for i in range(6)]
        others.append(person("gone", "nurse", date(2020, 1, 1), date(2025, 1, 1)))  # left before
        late = person("late", "nurse", date(2024, 1, 1))
        undated = person("undated", "nurse", None)
        session.add_all([mentor, *mentees, *others, late, undated,
                         *(person(f"a{i}", "attending", date(2020, 1, 1)) for i in range(5))])
        await session.flush()
        for who, started in [*((m, at(6, 1).replace(year=2025)) for m in mentees), (late, at(10, 1)),
                             (undated, at(6, 1).replace(year=2025))]:
            session.add(Mentorship(mentor_id=mentor.id, mentee_id=who.id, aspect_id=1, started_at=started,
                                   next_checkin_at=NOW))
    r = await computed(world)
    f = r.overall
    assert (f.retention_mentees, f.retained_12m_mentees) == (6, 0.833)
    assert (f.retention_others, f.retained_12m_others) == (6, 0.5)
    assert ("still on staff 12 months on: 83.3% of 6 mentees, 50.0% of 6 colleagues in the same "
            "roles never mentored") in "\n".join(report_output.to_text(r))
    emergency = r.by_department["Emergency"]
    assert (emergency.retention_mentees, emergency.retention_others) == (6, 5)
    assert r.by_department["Medicine"] is None  # one person there: fewer than 5
    assert r.by_role["nurse"].retained_12m_others == 0.5


async def test_a_name_a_spreadsheet_would_run_is_written_as_text(world):
    await seed(world)
    async with world.db.transaction() as session:
        for member in (await session.exec(select(Member).where(Member.department == "Pharmacy"))).all():
            member.department = '=HYPERLINK("https://evil.example","x")'
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(report_output.to_csv(await computed(world)))))
    named = {r["group"] for r in rows if r["scope"] == "department"}
    assert """'=HYPERLINK("https://evil.example","x")""" in named
    assert not [g for g in named if g.startswith(("=", "+", "-", "@"))]
