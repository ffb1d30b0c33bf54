"""Django app configuration of gaozhong.registry (student-registry integrity, 学籍): registers its 首页 lines (``home.py``)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_home

        from .home import registry_home

        # Its 待办 and figures on the 首页.
        register_home(registry_home)
