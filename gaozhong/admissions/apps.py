"""Django app configuration of gaozhong.admissions."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.admissions"
    label = "admissions"
    default_auto_field = "django.db.models.BigAutoField"
