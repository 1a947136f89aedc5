"""Assembly: settings, database, clock, messengers and the core, wired once and passed down."""

from collections.abc import Mapping

from bot.app.settings import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.preceptor import Preceptor
from bot.delivery.messenger import Messenger
from bot.privacy.guard import Guard
from storage.engine import Database


def build_core(
    settings: Settings, *, clock: Clock | None = None,
    messengers: Mapping[str, Messenger] | None = None, database_url: str | None = None,
    channels: Mapping[str, str | None] | None = None,
) -> Preceptor:
    db = Database(database_url or settings.database_url)
    default_channels = {
        "slack": settings.slack_channel, "teams": settings.preceptor_teams_channel,
    }
    return Preceptor(
        db, settings, clock or SystemClock(), messengers=messengers,
        channels={**default_channels, **(channels or {})}, guard=build_guard(settings),
    )


def build_guard(settings: Settings) -> Guard:
    """The PHI guard, with the named-entity stage when PRECEPTOR_PHI_NER names a model."""
    if not settings.preceptor_phi_ner:
        return Guard()
    from bot.privacy.ner import EntityModel
    return Guard(EntityModel(settings.preceptor_phi_ner))


def platform_messengers(settings: Settings, core: Preceptor) -> dict[str, Messenger]:
    """The Messengers whose credentials are configured, for `preceptor tick` to send with."""
    from handlers.slack import setup as slack
    from handlers.teams import setup as teams

    found: dict[str, Messenger] = {}
    if slack.is_configured(settings):
        found["slack"] = slack.messenger(settings, core.db)
    if teams.is_configured(settings):
        found["teams"] = teams.messenger(settings, core)
    return found
