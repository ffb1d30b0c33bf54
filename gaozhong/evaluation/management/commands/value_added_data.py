"""``gaozhong manage value_added_data YEAR --out DATA.csv`` (also ``gaozhong evaluation year-data``): the data a run
of the cohort fits, as the CSV ``gaozhong evaluation value-added`` reads, so anyone can reproduce a platform run
with the engine command (for a cohort without a data set: 学校, 中考成绩, 高考总分 from the platform's records)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.outdir import write_files
from gaozhong.evaluation.exports import data_csv
from gaozhong.evaluation.services.runs import run_data


class Command(BaseCommand):
    help = "导出一届学生的增值评价数据（引擎 CSV）(export the data a run of the cohort fits, in the engine's CSV)"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="入学年份（届别）(entry year)")
        parser.add_argument("--out", required=True, help="DATA.csv")

    def handle(self, *args, year: int, out: str, **opts):
        try:
            data, _ids, _year, _dataset = run_data(entry_year=year)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        target = Path(out)
        write_files(target.parent, {target.name: data_csv(data)})
        covariates = "".join(f" --covariate {c}" for c in data.covariates)
        self.stdout.write(f"{target}: {data.n} rows; gaozhong evaluation value-added {target} --outcome {data.outcome} --group {data.group}{covariates}")
