"""Checks (Instruction chapter 2, I.6–I.25): what a check's steps hold besides the contract (the subject,
the resolution of I.13, assignees of I.15) and its operative-search and expertise resolutions (I.19, I.20)."""
