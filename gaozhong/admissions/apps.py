"""Django app configuration of gaozhong.admissions: registers its 首页 lines (``home.py``)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.admissions"
    label = "admissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_home

        from .home import admissions_home

        # Its 待办 and figures on the 首页.
        register_home(admissions_home)
