"""Writes of the admissions app, each checked, transactional and audited."""
