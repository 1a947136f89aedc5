"""Persistence: SQLModel tables, engine and sessions, named queries, Alembic migrations."""
