"""`gaozhong manage import_preferences FILE --user USERNAME [--year YEAR]`: import 志愿, all or nothing."""

from ._admissions_import import AdmissionsImportCommand


class Command(AdmissionsImportCommand):
    help = "Import 志愿 from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "preferences"
