"""Who is acting, as a platform names them: the one value every edge hands the core."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """`name`, `tz`, `email` and `guest` refresh the person's profile when the platform gives
    them (None: it did not say)."""

    platform: str
    team: str
    user_id: str
    name: str | None = None
    tz: str | None = None
    email: str | None = None  # the sign-in name, where a platform needs it (Teams chat links)
    channel: str | None = None  # where the command was typed, when the platform says
    guest: bool | None = None  # an external or restricted account, never suggested as mentor
