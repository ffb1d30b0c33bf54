"""Django app configuration of gaozhong.evaluation: registers its 首页 lines (``home.py``)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_home

        from .home import evaluation_home

        # Its 待办 and figures on the 首页.
        register_home(evaluation_home)
