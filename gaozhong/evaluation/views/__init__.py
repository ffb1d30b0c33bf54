"""Evaluation pages: the value-added overview with caterpillar plots and trends, school profiles, the method
page, an export of the effects, and the city's request for a new run."""
