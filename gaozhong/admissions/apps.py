"""Django app configuration of gaozhong.admissions: registers its hooks into the foundation."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "gaozhong.admissions"
    label = "admissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gaozhong.core.hooks import register_job_reaped

        from .services.runs import runs_of_dead_jobs_failed

        # A run whose worker died is failed with its job, so the run page does not say "运行中" forever.
        register_job_reaped(runs_of_dead_jobs_failed)
