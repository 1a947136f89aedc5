"""The words of a command that would be kept, checked for patient information before anything
is: by the inbox before it writes a command down, or, for a command with no inbox in front
of it (typed on Teams or the console), just before its use case runs."""

from collections.abc import Callable

from bot.core.grammar import Command
from bot.privacy.guard import Guard
from bot.usecases.profile import check_fields

# Per command, the free text its use case keeps or posts.
FREE_TEXT: dict[str, Callable[[Command], tuple[str, ...]]] = {
    "learn": lambda cmd: (cmd.items[0], cmd.text),
    "offer": lambda cmd: cmd.items,
    "thanks": lambda cmd: (f"{cmd.items[0]} {cmd.text}",),  # `@Dr. Ana Souza for …`: a colleague
    "reflect": lambda cmd: (cmd.text,),
    "feedback": lambda cmd: (cmd.text,),
    "admin_program": lambda cmd: (cmd.text.partition(":")[0],),  # its name is kept and shown
}


def screen(cmd: Command, guard: Guard, year: int) -> None:
    """Raise `PhiRefused` if what `cmd` would keep looks like patient information."""
    if cmd.name == "profile":
        check_fields(cmd.fields, year=year, guard=guard)
    elif cmd.name in FREE_TEXT:
        guard.check(*FREE_TEXT[cmd.name](cmd), year=year)
