"""Who is acting, as a platform names them: the one value every edge hands the core."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """`name`, `tz` and `email` refresh the person's profile when the platform gives them."""

    platform: str
    team: str
    user_id: str
    name: str | None = None
    tz: str | None = None
    email: str | None = None  # the sign-in name, where a platform needs it (Teams chat links)
    channel: str | None = None  # where the command was typed, when the platform says
