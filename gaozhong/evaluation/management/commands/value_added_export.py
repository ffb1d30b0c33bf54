"""``gaozhong manage value_added_export YEAR --out OUT.json`` (also ``gaozhong evaluation year-export``): the
cohort's latest run as the JSON object ``gaozhong evaluation value-added --json`` prints, byte for byte."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.outdir import write_files
from gaozhong.evaluation.exports import run_json_text
from gaozhong.evaluation.models import ValueAddedRun


class Command(BaseCommand):
    help = "导出一届学生最新的增值计算结果（JSON，与命令一致）(export the cohort's latest run as the command's JSON)"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="入学年份（届别）(entry year)")
        parser.add_argument("--out", required=True, help="OUT.json")

    def handle(self, *args, year: int, out: str, **opts):
        run = ValueAddedRun.objects.filter(entry_year=year).order_by("-created_at", "-id").first()
        if run is None:
            raise CommandError(f"{year} 级还没有增值计算结果 (no run for this cohort)", returncode=2)
        target = Path(out)
        write_files(target.parent, {target.name: run_json_text(run)})
        self.stdout.write(f"{target}: run {run.pk} ({run})")
