"""Every context's tables on the one metadata: Alembic's target, and what the test that the
migrations' head matches the tables compares. Each context's `tables` module declares its tables (and
maps its domain classes); importing them all fills `metadata`."""

from __future__ import annotations

from nadzor.accounts import tables as accounts_tables
from nadzor.acts import tables as acts_tables
from nadzor.analyses import tables as analyses_tables
from nadzor.audit import tables as audit_tables
from nadzor.calendar import tables as calendar_tables
from nadzor.casework import tables as casework_tables
from nadzor.checks import tables as checks_tables
from nadzor.infra.db.metadata import metadata
from nadzor.org import tables as org_tables

TABLE_MODULES = (org_tables, accounts_tables, calendar_tables, audit_tables, casework_tables, checks_tables,
                 acts_tables, analyses_tables)

__all__ = ["TABLE_MODULES", "metadata"]
