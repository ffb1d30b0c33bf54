"""``gaozhong manage import_school_outcomes FILE --user U``: 学校年度指标 (学考合格率, 体质健康达标优良率, 近视率)."""

from gaozhong.evaluation.services.imports import outcomes_import

from ._base import TableImportCommand


class Command(TableImportCommand):
    help = "导入学校年度指标 (import school-year outcomes; all or nothing)"
    function = staticmethod(outcomes_import)
