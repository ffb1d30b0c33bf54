"""Django app configuration of gaozhong.electives (选课走班与排课): registers its 首页 lines (``home.py``)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.electives"
    label = "electives"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "选课走班与排课"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_home

        from .home import electives_home

        # Its 待办 and figures on the 首页.
        register_home(electives_home)
