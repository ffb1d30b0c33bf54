"""Django app configuration of gaozhong.people."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Teachers whose pre-hire check is not cleared are not counted as staff by the facts layer (seed 004 §24).
        from gaozhong.core.facts import register_teacher_exclusion

        from .selectors import inactive_teacher_ids

        register_teacher_exclusion(inactive_teacher_ids)
