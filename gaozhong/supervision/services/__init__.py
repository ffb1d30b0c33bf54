"""Every write of supervision: keyword-only, typed functions that check permission, change the data and write one
audit row in one transaction. Views, tasks, the demo and commands call these; nothing else writes a model."""
