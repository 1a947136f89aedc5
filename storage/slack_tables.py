"""Tables of slack_sdk's SQLAlchemy installation and OAuth state stores (multi-workspace
OAuth), declared on our metadata so that Alembic creates and checks them with ours."""

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlmodel import SQLModel

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

SQLAlchemyInstallationStore.build_installations_table(SQLModel.metadata, INSTALLATIONS)
SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS)
AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(SQLModel.metadata, OAUTH_STATES)
