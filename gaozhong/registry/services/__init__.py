"""Writes of the registry app: checks and anomaly resolutions, each audited."""
