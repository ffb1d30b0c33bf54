"""Django app configuration of gaozhong.people: registers its hooks into the foundation."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_teacher_intake

        from .intake import TEACHER_INTAKE

        register_teacher_intake(TEACHER_INTAKE)
