"""Django app configuration of gaozhong.people."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"
