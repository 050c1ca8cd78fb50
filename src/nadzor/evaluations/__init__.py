"""Evaluations of acts (Rules chapter 3): the R.26 study, the R.28 transfer and the R.31 court."""
