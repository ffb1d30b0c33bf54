"""Writes of the evaluation app: value-added runs (each audited)."""
