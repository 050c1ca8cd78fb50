"""Accounts: users and their roles, sign-in (with its throttle), sessions, API tokens, one's own password."""
