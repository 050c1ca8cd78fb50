"""Stored proceedings of every kind (PROCEEDINGS.md's REST shape): the proceeding row, its append-only
steps and open deadlines, replay on every step, withdrawal, attachments, documents (DOCX/PDF), the
registers, cards and forms, the import and the registers' command line."""
