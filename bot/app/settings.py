"""Settings from the environment or `.env`, validated once at start-up (names as in PRODUCT.md)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.delivery.waking import is_valid_zone


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///preceptor.db"
    log_level: Literal["", "DEBUG", "INFO", "WARNING", "ERROR"] = ""  # "": INFO when serving
    log_format: Literal["text", "json"] = "text"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_tenant_id: str | None = None
    microsoft_app_type: str = "SingleTenant"
    # Where Bot Framework's signing keys are published (sovereign clouds; tests).
    microsoft_openid_metadata_url: str | None = None
    preceptor_channel: str | None = None
    preceptor_teams_channel: str | None = None
    preceptor_admins: str = ""
    preceptor_checkin_days: int = Field(14, ge=1, le=365)
    # Pairs that stall: flagged to the lead if they never met; warned, then closed, if quiet.
    preceptor_never_met_days: int = Field(21, ge=1, le=365)
    preceptor_quiet_days: int = Field(90, ge=7, le=3650)
    preceptor_close_warning_days: int = Field(7, ge=1, le=90)
    preceptor_ask_ttl_hours: int = Field(72, ge=1, le=24 * 60)
    preceptor_tick_seconds: int = Field(60, ge=1, le=3600)
    preceptor_lease_seconds: int = Field(120, ge=8, le=3600)
    # Data minimisation, applied by every tick (see the privacy section of the README).
    preceptor_keep_interactions_days: int = Field(365, ge=1, le=3650)
    preceptor_keep_inbound_days: int = Field(7, ge=1, le=365)
    preceptor_keep_sent_days: int = Field(30, ge=1, le=3650)
    # The zone of people the platform has not told us about yet (imported, seen in channels).
    preceptor_timezone: str = "UTC"
    preceptor_teams_dev: bool = False
    # A spaCy model for the PHI guard's optional named-entity stage (needs presidio-analyzer).
    preceptor_phi_ner: str | None = None
    # The privacy notice and terms the Teams package links to (default: /privacy and /terms
    # of `preceptor serve`, which say what is held and for how long).
    preceptor_privacy_url: str | None = None
    preceptor_terms_url: str | None = None
    # The leads' dashboard at /admin: its public address (the sign-in's redirect URIs are
    # <url>/admin/callback/slack and …/microsoft), signed in with Slack (SLACK_CLIENT_ID and
    # _SECRET) or Microsoft Entra ID (the tenant's own app registration); sessions are sealed
    # with PRECEPTOR_SECRET_KEY.
    preceptor_admin_url: str | None = None
    preceptor_slack_oidc_issuer: str = "https://slack.com"
    preceptor_entra_client_id: str | None = None
    preceptor_entra_client_secret: str | None = None
    preceptor_entra_issuer: str | None = None  # default: the tenant of MICROSOFT_APP_TENANT_ID
    # Encrypts Slack OAuth tokens at rest (a Fernet key: 32 url-safe base64-encoded bytes).
    preceptor_secret_key: str | None = None

    @field_validator("log_level", mode="before")
    @classmethod
    def _a_level(cls, value: str) -> str:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _a_database(cls, value: str) -> str:
        """`postgres://` (Heroku's and many hosts' spelling) is PostgreSQL; a relative SQLite
        path is made absolute now, so every command opens the same file wherever it starts."""
        scheme, sep, rest = value.partition("://")
        if not sep or scheme not in ("sqlite", "postgres", "postgresql"):
            raise ValueError("use sqlite:///path/to/preceptor.db or postgresql://user@host/database")
        if scheme == "postgres":
            return f"postgresql://{rest}"
        path = rest.removeprefix("/")
        if scheme == "sqlite" and path and path != ":memory:" and not Path(path).is_absolute():
            return f"sqlite:///{Path(path).resolve()}"
        return value

    @field_validator("preceptor_timezone")
    @classmethod
    def _a_zone(cls, value: str) -> str:
        if not is_valid_zone(value):
            raise ValueError(f"{value!r} is not a time zone; use a name like America/New_York")
        return value

    @property
    def admins(self) -> frozenset[str]:
        """Platform user ids allowed to run lead-only commands."""
        return frozenset(a.strip() for a in self.preceptor_admins.split(",") if a.strip())

    @property
    def slack_channel(self) -> str | None:
        """PRECEPTOR_CHANNEL names a channel of the one workspace; with OAuth (several
        workspaces) each workspace's lead picks theirs with `/mentor admin channel here`."""
        return None if self.slack_client_id else self.preceptor_channel

    @property
    def has_platform_credentials(self) -> bool:
        oauth = bool(self.slack_client_id and self.slack_client_secret)
        slack = bool(self.slack_signing_secret and (self.slack_bot_token or oauth))
        return slack or bool(self.microsoft_app_id) or self.preceptor_teams_dev
