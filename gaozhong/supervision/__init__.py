"""Supervision (督导): indicator catalog, data intake, compliance and projections, 通报 reports, task ledger."""
