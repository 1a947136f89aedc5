"""Assembly: settings, clock, database, messengers and use cases, built once into an
immutable `Application` that everything else is handed. Nothing is patched on afterwards:
what differs between a server, a CLI run and a test is said here, as arguments."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from sqlalchemy import event

from bot.app.admission import Admission
from bot.app.settings import Settings
from bot.core import metrics
from bot.core.clock import Clock, SystemClock
from bot.core.conversations import ConversationStore
from bot.core.dispatch import Dispatch
from bot.core.inbox import Inbox
from bot.core.tick import Retention, Tick
from bot.core.unit_of_work import UnitOfWork
from bot.core.workspace_events import WorkspaceEvents
from bot.delivery.messenger import Messenger
from bot.delivery.worker import SHUTDOWN_GRACE_SECONDS, DeliveryWorker
from bot.privacy.guard import Guard
from bot.usecases.lapses import Lapses
from handlers.slack import setup as slack
from handlers.teams import setup as teams
from storage.engine import Database


@dataclass(frozen=True)
class Application:
    settings: Settings
    clock: Clock
    db: Database
    guard: Guard
    admission: Admission
    messengers: Mapping[str, Messenger]
    conversations: ConversationStore
    work: UnitOfWork
    dispatch: Dispatch
    inbox: Inbox
    events: WorkspaceEvents
    tick: Tick
    delivery: DeliveryWorker
    teams_adapter: object | None   # botbuilder's adapter, shared by the route and the messenger

    async def close(self) -> None:
        await self.delivery.close()
        await self.db.dispose()


def build(settings: Settings, *, clock: Clock | None = None, database_url: str | None = None,
          messengers: Mapping[str, Messenger] | None = None,
          channels: Mapping[str, str | None] | None = None, immediate_delivery: bool = False,
          admission: Admission | None = None,
          shutdown_grace: float = SHUTDOWN_GRACE_SECONDS) -> Application:
    """The application. `messengers` replaces the platforms' (tests, the console);
    `immediate_delivery` is a server's: what a request queues goes at once."""
    clock = clock or SystemClock()
    db = Database(database_url or settings.database_url)
    backend = db.engine.dialect.name
    event.listen(db.engine.sync_engine, "handle_error",
                 lambda _context: metrics.DATABASE_ERRORS.labels(backend).inc())
    guard = build_guard(settings)
    admission = admission or Admission()
    conversations = ConversationStore(db, clock)
    adapter = teams.adapter(settings) if teams.is_configured(settings) else None
    if messengers is None:
        messengers = platform_messengers(settings, db, conversations, adapter)
    messengers = MappingProxyType(dict(messengers))
    lease = timedelta(seconds=settings.preceptor_lease_seconds)
    delivery = DeliveryWorker(db=db, messengers=messengers, clock=clock, admission=admission,
                              immediate=immediate_delivery, grace=shutdown_grace, lease=lease)
    default_channels = {"slack": settings.slack_channel, "teams": settings.preceptor_teams_channel}
    work = UnitOfWork(db=db, settings=settings, clock=clock, guard=guard,
                      channels={**default_channels, **(channels or {})}, queued=delivery.soon)
    events = WorkspaceEvents(work)
    dispatch = Dispatch(work)
    return Application(
        settings=settings, clock=clock, db=db, guard=guard, admission=admission,
        messengers=messengers, conversations=conversations, work=work, dispatch=dispatch,
        inbox=Inbox(work=work, dispatch=dispatch, lease=lease), events=events,
        tick=Tick(db=db, clock=clock, messengers=messengers, events=events, lease=lease,
                  keep=Retention(timedelta(days=settings.preceptor_keep_interactions_days),
                                 timedelta(days=settings.preceptor_keep_inbound_days),
                                 timedelta(days=settings.preceptor_keep_sent_days)),
                  lapses=Lapses(timedelta(days=settings.preceptor_never_met_days),
                                timedelta(days=settings.preceptor_quiet_days),
                                timedelta(days=settings.preceptor_close_warning_days),
                                settings.admins)),
        delivery=delivery, teams_adapter=adapter,
    )


def build_guard(settings: Settings) -> Guard:
    """The PHI guard, with the named-entity stage when PRECEPTOR_PHI_NER names a model."""
    if not settings.preceptor_phi_ner:
        return Guard()
    from bot.privacy.ner import EntityModel  # spaCy and Presidio load only when asked for
    return Guard(EntityModel(settings.preceptor_phi_ner))


def platform_messengers(settings: Settings, db: Database, conversations: ConversationStore,
                        adapter) -> dict[str, Messenger]:
    """The Messengers whose credentials are configured."""
    found: dict[str, Messenger] = {}
    if slack.is_configured(settings) or slack.is_configured(settings, socket_mode=True):
        found["slack"] = slack.messenger(settings, db)
    if adapter is not None:
        found["teams"] = teams.messenger(settings, adapter, conversations)
    return found
