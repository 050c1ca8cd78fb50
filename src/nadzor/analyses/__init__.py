"""Analyses (Rules chapter 2): plans, the organizations directory, the КУИ register, periodic
obligations, the R.12 sources, the R.18 certificate, requirements and petitions (R.21–R.23)."""
