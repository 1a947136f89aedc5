"""Programs and who is in them, as SQL over `Member` so that matching and the report can keep
to a program's people without listing them."""

from sqlalchemy import ColumnElement, case, exists, false, func, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChannelMember, Member, Program

ROSTER_COLUMNS = ("department", "role", "specialty", "site")  # a program by roster column


def members_clause(program: Program) -> ColumnElement[bool]:
    """True for the program's members (a where-clause over `Member`)."""
    mine = col(Member.workspace_id) == program.workspace_id
    if program.members_by == "roster" and program.column in ROSTER_COLUMNS and program.value:
        return mine & (func.lower(getattr(Member, program.column)) == program.value.lower())
    if program.members_by == "channel" and program.channel:
        return mine & exists().where(ChannelMember.member_id == Member.id,
                                     ChannelMember.channel == program.channel)
    return mine if program.members_by == "everyone" else false()


async def programs_in(*, session: AsyncSession, workspace_id: int) -> list[Program]:
    return list((await session.exec(select(Program).where(Program.workspace_id == workspace_id)
                                    .order_by(Program.id))).scalars().all())


async def program_named(*, session: AsyncSession, workspace_id: int, name: str) -> Program | None:
    return (await session.exec(select(Program).where(
        Program.workspace_id == workspace_id, func.lower(Program.name) == name.lower()))).scalars().first()


async def programs_of(*, session: AsyncSession, member_id: int, programs: list[Program]) -> list[Program]:
    """Those of `programs` the member is in, in one query."""
    if not programs:
        return []
    row = (await session.exec(select(*(members_clause(p).label(f"p{n}") for n, p in enumerate(programs)))
                              .where(Member.id == member_id))).first()
    return [p for p, inside in zip(programs, row or (), strict=False) if inside]


async def program_sizes(*, session: AsyncSession, programs: list[Program]) -> list[int]:
    """How many people each program holds, in one query."""
    if not programs:
        return []
    counts = [func.sum(case((members_clause(p), 1), else_=0)) for p in programs]
    return [int(n or 0) for n in (await session.exec(select(*counts).select_from(Member))).one()]


def within_any(programs: list[Program]) -> ColumnElement[bool] | None:
    """Members of any of them (None: no program to keep to)."""
    return or_(*(members_clause(p) for p in programs)) if programs else None



async def matching_scope(*, session: AsyncSession, mentee: Member,
                         programs: list[Program] | None = None) -> ColumnElement[bool] | None:
    """Whom the mentee may be matched with: the people of their programs (the workspace's,
    read if not given) that require it (None: anyone)."""
    if programs is None:
        programs = await programs_in(session=session, workspace_id=mentee.workspace_id)
    required = [p for p in programs if p.required]
    return within_any(await programs_of(session=session, member_id=mentee.id, programs=required))


def led_by(programs: list[Program], user_id: str, admins: frozenset[str]) -> list[Program]:
    """The programs whose reports a person may see: every one for a lead of the workspace
    (PRECEPTOR_ADMINS), else those that name them among their leads."""
    return [p for p in programs if user_id in admins or user_id in p.leads]
