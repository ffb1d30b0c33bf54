"""Admissions pages: the bureau's year page, the candidate's preference page, the public result lookup and
cutoffs, run detail and exports."""
