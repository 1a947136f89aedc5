"""The tables, by subject. Every datetime is UTC-aware; every status is a short string named
in `bot.domain`. Importing this package registers them all."""

from storage.models.audit import AuditEvent
from storage.models.mentoring import (
    CheckIn,
    IntroAsk,
    LearnDraft,
    LearningRequest,
    Mentorship,
    Reflection,
    Survey,
    Thanks,
)
from storage.models.messaging import ConversationRef, InboundEvent, InboxItem, Outbox, SendSlot
from storage.models.people import Aspect, AspectSynonym, Expertise, Member, Workspace
from storage.models.programs import Program
from storage.models.signals import AspectSignal, ChannelMember, Interaction, ObservedEvent

__all__ = [
    "Workspace",
    "Member",
    "Aspect",
    "AspectSynonym",
    "Expertise",
    "LearningRequest",
    "LearnDraft",
    "IntroAsk",
    "Mentorship",
    "Program",
    "CheckIn",
    "Reflection",
    "Survey",
    "Thanks",
    "ObservedEvent",
    "Outbox",
    "InboxItem",
    "SendSlot",
    "InboundEvent",
    "ConversationRef",
    "Interaction",
    "ChannelMember",
    "AspectSignal",
    "AuditEvent",
]
