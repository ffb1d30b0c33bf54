"""Every write of the foundation: keyword-only, typed functions that check permission, change the data and
write one audit row in one transaction. Views and commands call these; nothing else writes a model."""
