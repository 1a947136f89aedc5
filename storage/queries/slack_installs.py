"""Where slack_sdk's installation store filed a workspace's install: the (enterprise, team)
pair its lookups need, which a workspace id alone does not give for Enterprise Grid."""

from dataclasses import dataclass

from sqlalchemy import and_, desc, or_, select
from sqlmodel import SQLModel

from storage.engine import Database
from storage.slack_tables import BOTS


@dataclass(frozen=True)
class InstalledAs:
    enterprise_id: str | None
    team_id: str | None
    org_wide: bool

    @property
    def workspace(self) -> str | None:
        """The workspace id the bot files this install's people under (see installs.py)."""
        return self.enterprise_id if self.org_wide else self.team_id


def _bots():
    return SQLModel.metadata.tables[BOTS]


async def located(db: Database, client_id: str, workspace: str) -> InstalledAs | None:
    """The latest install serving `workspace`: a team's own, or an org-wide one."""
    c = _bots().c
    query = (select(c.enterprise_id, c.team_id, c.is_enterprise_install)
             .where(c.client_id == client_id, c.bot_token.is_not(None),
                    or_(c.team_id == workspace,
                        and_(c.enterprise_id == workspace, c.is_enterprise_install.is_(True))))
             .order_by(desc(c.installed_at)).limit(1))
    async with db.reader.connect() as connection:
        row = (await connection.execute(query)).first()
    return InstalledAs(row[0], None if row[2] else row[1], bool(row[2])) if row else None


async def installs_of(db: Database, client_id: str, enterprise: str | None) -> list[InstalledAs]:
    """Every install of an Enterprise Grid org: its org-wide one first, then each workspace's."""
    c = _bots().c
    query = (select(c.team_id, c.is_enterprise_install).distinct()
             .where(c.client_id == client_id, c.enterprise_id == enterprise))
    async with db.reader.connect() as connection:
        rows = (await connection.execute(query)).all()
    found = {InstalledAs(enterprise, None if org else team, bool(org)) for team, org in rows}
    return sorted(found, key=lambda where: (not where.org_wide, where.team_id or ""))
