"""``gaozhong manage import_value_added YEAR DATA.csv --outcome Y --group G [--covariate X …] --user U``
(also ``gaozhong evaluation year-import``): one cohort's data in exactly the CSV the engine command reads; the
group column holds school codes."""

from django.core.management.base import BaseCommand

from gaozhong.evaluation.services.imports import value_added_dataset_import

from ._base import actor_of, file_bytes, report


class Command(BaseCommand):
    help = "导入一届学生的增值评价数据（引擎 CSV 格式）(import a cohort's value-added data in the engine's CSV format)"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="入学年份（届别）(entry year of the cohort)")
        parser.add_argument("file", help="DATA.csv, as read by gaozhong evaluation value-added")
        parser.add_argument("--outcome", required=True)
        parser.add_argument("--group", required=True, help="学校代码列 (column of school codes)")
        parser.add_argument("--covariate", action="extend", nargs="+", default=[])
        parser.add_argument("--outcome-year", type=int, default=None, help="结果年份，默认入学年份 + 3 (default: entry year + 3)")
        parser.add_argument("--user", required=True)

    def handle(self, *args, year: int, file: str, outcome: str, group: str, covariate: list[str], outcome_year, user: str, **opts):
        actor = actor_of(user)
        data, name = file_bytes(file)
        result = value_added_dataset_import(actor=actor, data=data, filename=name, entry_year=year, outcome=outcome, group=group,
                                            covariates=covariate, outcome_year=outcome_year,
                                            progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        report(self, result)
