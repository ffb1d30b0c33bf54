"""Django app configuration of the site: templates, static files and deployment checks."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "gaozhong.site"
    label = "site"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
