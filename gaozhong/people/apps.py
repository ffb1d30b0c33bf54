"""Django app configuration of gaozhong.people: registers its hooks into the foundation."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.facts import register_teacher_exclusion
        from gaozhong.core.hooks import register_home, register_teacher_intake

        from .home import people_home
        from .intake import TEACHER_INTAKE
        from .selectors import inactive_teacher_ids

        # The teacher import asks the ban list and opens each new hire's pre-hire check (seed 002 §三(二)).
        register_teacher_intake(TEACHER_INTAKE)
        # Teachers whose pre-hire check is not cleared are not counted as staff by the facts layer (seed 004 §24).
        register_teacher_exclusion(inactive_teacher_ids)
        # Its 待办 (准入查询, 师德, 推荐) on the bureaus' 首页 and a teacher's way to their profile.
        register_home(people_home)
