"""Where to reach people and channels later, for platforms that send through saved
conversation references (Teams); what the Teams messenger gets instead of the whole core."""

from bot.core.clock import Clock
from storage.engine import Database
from storage.models import Member
from storage.queries.conversations import find_reference, save_reference
from storage.queries.members import get_or_create_workspace, members_by_platform_id


class ConversationStore:
    def __init__(self, db: Database, clock: Clock):
        self.db, self.clock = db, clock

    async def remember(self, platform: str, team: str, key: str, reference: dict) -> None:
        """Keep where to reach `key` (a user or channel) later; the newest wins."""
        now = self.clock.now()
        async with self.db.transaction() as session:
            workspace = await get_or_create_workspace(session=session, platform=platform,
                                                      external_id=team, now=now)
            await save_reference(session=session, workspace_id=workspace.id, key=key,
                                 reference=reference, now=now)

    async def find(self, platform: str, team: str, key: str | None) -> dict | None:
        """A saved reference for `key`, or (key None) any of the workspace's, newest first."""
        async with self.db.transaction() as session:
            return await find_reference(session=session, platform=platform, team=team, key=key)

    async def contacts(self, platform: str, team: str, user_ids: list[str]) -> dict[str, Member]:
        """Profiles of these platform users (names, sign-in names), for platform rendering."""
        async with self.db.transaction() as session:
            return await members_by_platform_id(session=session, platform=platform, team=team,
                                                user_ids=user_ids)
