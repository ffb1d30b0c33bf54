"""``gaozhong manage value_added_run YEAR --user U [--min-group-size N]`` (also ``gaozhong evaluation year-run``):
the cohort's run exactly as the evaluation page makes it (a recorded run with its audit row)."""

from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.errors import InputError
from gaozhong.evaluation.services.runs import value_added_run_create

from ._base import actor_of


class Command(BaseCommand):
    help = "计算一届学生的增值并记录 (fit and record the cohort's value-added run)"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="入学年份（届别）(entry year)")
        parser.add_argument("--user", required=True)
        parser.add_argument("--min-group-size", type=int, default=10)

    def handle(self, *args, year: int, user: str, min_group_size: int, **opts):
        actor = actor_of(user)
        try:
            run = value_added_run_create(actor=actor, entry_year=year, min_group_size=min_group_size)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"run {run.pk}: {run} — {run.n} students, {run.groups} schools")
