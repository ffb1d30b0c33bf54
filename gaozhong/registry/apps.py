"""Django app configuration of gaozhong.registry (student-registry integrity, 学籍)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"
