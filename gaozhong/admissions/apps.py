"""Django app configuration of gaozhong.admissions: registers its hooks into the foundation (its 首页 lines in
``home.py``, and failing a run whose job's worker died)."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.admissions"
    label = "admissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_home, register_job_reaped

        from .home import admissions_home
        from .services.runs import runs_of_dead_jobs_failed

        # Its 待办 and figures on the 首页.
        register_home(admissions_home)

        # A run whose worker died is failed with its job, so the run page does not say "运行中" forever.
        register_job_reaped(runs_of_dead_jobs_failed)
