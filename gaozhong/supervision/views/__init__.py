"""Pages of supervision: compliance (dashboard, unit pages, leagues, laggards, what-if), catalog, data intake,
reports, the task ledger and API tokens. Views parse input, call selectors and one service, and render."""
