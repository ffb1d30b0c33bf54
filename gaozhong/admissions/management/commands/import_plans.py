"""`gaozhong manage import_plans FILE --user USERNAME [--year YEAR]`: import 招生计划, all or nothing."""

from ._admissions_import import AdmissionsImportCommand


class Command(AdmissionsImportCommand):
    help = "Import 招生计划 from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "plans"
