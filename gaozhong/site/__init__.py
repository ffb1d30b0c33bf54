"""The Django project: settings, root URLs, the demo and manage commands, shared templates and static files."""
