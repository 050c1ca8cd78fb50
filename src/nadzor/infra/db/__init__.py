"""The database: engine and unit of work (`engine`), migrations (`migrate`), the one metadata."""
