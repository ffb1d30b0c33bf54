"""``gaozhong manage import_gaokao FILE --user U``: 高考成绩 (考生号, 身份证号 or 学籍号, 总分, subjects, 达线批次)."""

from gaozhong.evaluation.services.imports import gaokao_import

from ._base import TableImportCommand


class Command(TableImportCommand):
    help = "导入高考成绩 (import gaokao results; all or nothing)"
    function = staticmethod(gaokao_import)
