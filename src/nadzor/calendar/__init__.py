"""The working calendar's administration: the administrator's days (overrides) in the database and in
the overrides file, their sources, and the restatement of the proceedings a changed day moves."""
