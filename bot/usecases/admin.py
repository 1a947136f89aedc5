"""Lead-only commands: program leads are the platform user ids in PRECEPTOR_ADMINS."""

from bot.core.errors import BadCommand, NotYours
from bot.core.grammar import Command
from bot.core.messages import Message
from bot.core.turn import Turn
from bot.privacy import audit
from bot.usecases import programs, report_output
from bot.usecases import report as program_report
from storage.queries.programs import members_clause


def require_admin(t: Turn) -> None:
    if not t.is_admin:
        raise NotYours("Only program leads can do that; ask your mentoring lead.")


async def set_channel(t: Turn, cmd: Command) -> Message:
    """`/mentor admin channel here`: public requests are announced where this was typed."""
    require_admin(t)
    if not t.channel or t.channel.startswith("D"):
        raise BadCommand("Type this inside the mentoring channel (invite me there first).")
    t.workspace.channel = t.channel
    await audit.record(t.session, kind="admin_channel", now=t.now,
                       detail={"lead": t.me.id, "workspace": t.workspace.id})
    return Message("This is now the mentoring channel: public requests will be announced here.")


async def report(t: Turn, cmd: Command) -> Message:
    """`/mentor admin report [program]`: the report for this workspace, or one program of it
    (which that program's own leads may see too)."""
    program = await programs.lead_of(t, cmd.text) if cmd.text else None
    if program is None:
        require_admin(t)
    figures = await program_report.compute(t.session, now=t.now, workspace_id=t.workspace.id,
                                           within=members_clause(program) if program else None)
    await audit.record(t.session, kind="admin_report", now=t.now,
                       detail={"lead": t.me.id, "workspace": t.workspace.id,
                               "program": program.id if program else None})
    title = f"Mentoring program report: {program.name}" if program else "Mentoring program report"
    return Message(title, sections=tuple(report_output.to_text(figures)),
                   context=("Counts only; groups of fewer than 5 people are not shown. "
                            "`preceptor report --csv FILE --chart FILE.png` for the full set.",))


async def define_program(t: Turn, cmd: Command) -> Message:
    require_admin(t)
    return await programs.define(t, cmd)


async def list_programs(t: Turn, cmd: Command) -> Message:
    require_admin(t)
    return await programs.list_(t, cmd)


async def headline(t: Turn) -> str | None:
    """The overall figures, for the top of a lead's home view."""
    if not t.is_admin:
        return None
    figures = await program_report.compute(t.session, now=t.now, workspace_id=t.workspace.id)
    return "*Program*: " + report_output.headline(figures.overall)
