"""Programs side by side: a lead defines one in chat; a person's programs decide where their
public requests are announced and, when a program requires it, whom they are matched with."""

import re
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import BadCommand
from bot.core.grammar import Command
from bot.core.messages import Message, channel_ref
from bot.core.turn import Turn
from bot.core.wording import plural
from bot.privacy import audit
from bot.usecases.report import Report, compute
from storage.models import Program
from storage.queries.programs import (
    ROSTER_COLUMNS,
    led_by,
    members_clause,
    program_named,
    program_sizes,
    programs_in,
    programs_of,
)

USAGE = ("Define a program as `/mentor admin program <name>: members=everyone | <column>=<value> "
         f"| #channel; announce=here | #channel; leads=@lead …; required=yes|no` (columns: "
         f"{', '.join(ROSTER_COLUMNS)}).")
_CHANNEL = re.compile(r"^(?:<#([^|>]+)(?:\|[^>]*)?>|(#?[\w:@.;=-]+))$")  # <#C1|name>, C1, #name
_LEAD = re.compile(r"<@([^|>]+)(?:\|[^>]*)?>|@(\S+)")


async def define(t: Turn, cmd: Command) -> Message:
    """`/mentor admin program <name>: …`: create the program, or change what is given."""
    name, _, spec = cmd.text.partition(":")
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise BadCommand(USAGE)
    program = await program_named(session=t.session, workspace_id=t.workspace.id, name=name)
    if program is None:
        program = Program(workspace_id=t.workspace.id, name=name, created_at=t.now)
        t.session.add(program)
        t.workspace.has_programs = True
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        key, sep, value = part.partition("=")
        if not sep:
            raise BadCommand(USAGE)
        _option(t, program, key.strip().lower(), value.strip())
    await t.session.flush()
    await audit.record(t.session, kind="admin_program", now=t.now,
                       detail={"lead": t.me.id, "workspace": t.workspace.id, "program": program.id})
    (size,) = await program_sizes(session=t.session, programs=[program])
    return Message(f"Program *{program.name}*: {_described(program, size)}.")


def _option(t: Turn, program: Program, key: str, value: str) -> None:
    if key == "members":
        column, sep, wanted = value.partition("=")
        if value.lower() == "everyone":
            program.members_by, program.column, program.value, program.channel = "everyone", None, None, None
        elif sep:
            if column.strip().lower() not in ROSTER_COLUMNS or not wanted.strip():
                raise BadCommand(f"A program takes everyone, a channel's members, or the people "
                                 f"whose {', '.join(ROSTER_COLUMNS)} is a value: `members=role=nurse`.")
            program.members_by, program.column = "roster", column.strip().lower()
            program.value, program.channel = wanted.strip(), None
        else:
            program.members_by, program.channel = "channel", _channel(t, value)
            program.column = program.value = None
    elif key == "announce":
        program.announce_in = _channel(t, value)
    elif key == "leads":
        program.leads = [a or b for a, b in _LEAD.findall(value)]
    elif key == "required" and value.lower() in ("yes", "no"):
        program.required = value.lower() == "yes"
    else:
        raise BadCommand(USAGE)


def _channel(t: Turn, value: str) -> str:
    if value.lower() == "here" and t.channel and not t.channel.startswith("D"):
        return t.channel
    found = _CHANNEL.match(value)
    if not found:
        raise BadCommand(f"`{value[:40]}` isn't a channel I can use: type `here` inside it, or "
                         "mention it with #.")
    return found.group(1) or found.group(2)


async def list_(t: Turn, cmd: Command) -> Message:
    """`/mentor admin programs`: each program, who is in it, where it announces."""
    programs = await programs_in(session=t.session, workspace_id=t.workspace.id)
    if not programs:
        return Message("No programs yet: everyone is in one program. " + USAGE)
    sizes = await program_sizes(session=t.session, programs=programs)
    return Message("Programs", sections=tuple(f"• *{p.name}*: {_described(p, n)}"
                                              for p, n in zip(programs, sizes, strict=True)))


def _described(p: Program, size: int) -> str:
    who = {"everyone": "everyone", "roster": f"{p.column} = {p.value}",
           "channel": f"members of {channel_ref(p.channel or '')}"}[p.members_by]
    where = f"; announces in {channel_ref(p.announce_in)}" if p.announce_in else ""
    leads = f"; led by {', '.join(f'<@{lead}|{lead}>' for lead in p.leads)}" if p.leads else ""
    kept = "; matched only among its people" if p.required else ""
    return f"{who} ({plural(size, 'person', 'people')}){where}{leads}{kept}"


async def announce_channel(t: Turn) -> str | None:
    """Where the actor's public requests go: their first program's channel, else the workspace's."""
    programs = [p for p in await t.programs() if p.announce_in]
    mine = await programs_of(session=t.session, member_id=t.me.id, programs=programs)
    return mine[0].announce_in if mine else t.workspace.channel


async def lead_of(t: Turn, name: str) -> Program:
    """The program named, if the actor may see its report (a lead of it, or any lead)."""
    program = await program_named(session=t.session, workspace_id=t.workspace.id, name=name)
    if program is None or not led_by([program], t.me.platform_user_id, t.settings.admins):
        raise BadCommand(f"There's no program called `{name[:40]}` that you lead; "
                         "`/mentor admin programs` lists them.")
    return program


async def program_report(session: AsyncSession, *, now: datetime, since: datetime | None,
                         name: str, workspace_id: int | None = None) -> Report | None:
    """The report of the program named (in the workspace, if given; None: no such program)."""
    found = (await session.exec(select(Program).where(
        func.lower(Program.name) == name.lower(),
        *([Program.workspace_id == workspace_id] if workspace_id is not None else [])))).first()
    if found is None:
        return None
    return await compute(session, now=now, since=since, workspace_id=found.workspace_id,
                         within=members_clause(found))
