"""The service layer: `access_*` fetches with a permission check, `check_*` validates, `do_*`
performs a change in one transaction together with its audit row. Entry points (HTTP, HTML,
CLI) only translate requests into these calls."""
