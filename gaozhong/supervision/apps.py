"""Django app configuration of gaozhong.supervision."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.supervision"
    label = "supervision"
    default_auto_field = "django.db.models.BigAutoField"
