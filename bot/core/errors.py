"""Typed errors that say what the person did wrong; each platform turns them into a private reply."""

from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.core.messages import Message

T = TypeVar("T")


class PreceptorError(Exception):
    """A refusal with a sentence the person can act on. Nothing was changed. `field` names
    the form field it is about, when it came from one (a form shows it beside that field)."""

    field: str | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadCommand(PreceptorError):
    """The words did not parse."""


class UnknownMember(PreceptorError):
    """The person named is not in this workspace (or has not used Preceptor yet)."""


class NotFound(PreceptorError):
    """The request, ask or mentorship a button names no longer exists."""


class NotYours(PreceptorError):
    """Someone pressed a button on an object they are not a party to."""


class AlreadyDone(PreceptorError):
    """The thing was already answered, accepted or created."""


class AtCapacity(PreceptorError):
    """The mentor has no room for another mentee right now."""


class Paused(PreceptorError):
    """The person is paused; nothing new is arranged for them."""


class PhiRefused(PreceptorError):
    """Text looked like it held patient information; it was neither stored nor posted."""

    def __init__(self, kinds: list[str]):
        listed = ", ".join(kinds)
        colleague = any("name" in kind for kind in kinds)
        super().__init__(
            f"I didn't save or post that: it looks like it contains {listed}. "
            "Preceptor is for staff learning, so please describe what you want without "
            "any patient details, then try again."
            + (" If you meant a colleague, @-mention them or say who they are "
               "(\"Dr. …\", \"… from pharmacy\")." if colleague else "")
        )
        self.kinds = kinds


class Busy(PreceptorError):
    """The database stayed locked through every retry, refused us or did not answer in
    time; nothing was changed."""

    def __init__(self):
        super().__init__("I couldn't do that just now: my database is busy or out of reach. "
                         "Please try again in a minute; nothing was changed.")


async def answered(call: Awaitable[T]) -> "T | Message":
    """What the core answered or, refused, the sentence the refusal carries (as a `Message`):
    how every platform's edge turns a typed error into its polite private reply."""
    from bot.core.messages import Message

    try:
        return await call
    except PreceptorError as error:
        return Message(error.message)
