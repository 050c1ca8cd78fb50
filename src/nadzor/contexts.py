"""The contexts of Nadzor, written once: each a package `nadzor.<name>` with its storage, its services and
its adapters (ARCHITECTURE.md). The web app finds their templates by this list, the architecture test
checks every package here (and that no context package is missing from it), and the schema test checks
that every context's tables are on the metadata."""

from __future__ import annotations

CONTEXTS = ("org", "accounts", "calendar", "audit", "rulebook", "casework", "checks", "acts", "evaluations",
            "analyses")
