"""Tables of the `accounts` context: users, API tokens, web sessions."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table

from nadzor.domain.accounts import ApiToken, User, WebSession
from nadzor.infra.db.metadata import UTCDateTime, mapper_registry, metadata

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(80), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=True),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_auditor", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("language", String(5), nullable=False, default="ru"),
    Column("version", Integer, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

web_sessions = Table(
    "web_sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# The domain's plain classes mapped onto the tables (imperatively: the domain imports nothing of storage).
mapper_registry.map_imperatively(User, users, version_id_col=users.c.version)
mapper_registry.map_imperatively(ApiToken, api_tokens)
mapper_registry.map_imperatively(WebSession, web_sessions)
