"""Django app configuration of gaozhong.electives (选课走班与排课)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.electives"
    label = "electives"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "选课走班与排课"
