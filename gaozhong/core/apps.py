"""Django app configuration of the foundation."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gaozhong.core"
    label = "core"
    verbose_name = "基础数据 (foundation)"
