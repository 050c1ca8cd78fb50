"""The organization: offices and their tree, people, acting assignments (who acts for whom on a date),
zonal assignments of I.68; the office files (import/export) and the lists and record pages."""
