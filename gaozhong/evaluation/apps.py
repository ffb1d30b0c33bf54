"""Django app configuration of gaozhong.evaluation."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.evaluation"
    label = "evaluation"
    default_auto_field = "django.db.models.BigAutoField"
