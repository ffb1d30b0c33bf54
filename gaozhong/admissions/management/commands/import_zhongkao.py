"""`gaozhong manage import_zhongkao FILE --user USERNAME [--year YEAR]`: import 中考考生与成绩, all or nothing."""

from ._admissions_import import AdmissionsImportCommand


class Command(AdmissionsImportCommand):
    help = "Import 中考考生与成绩 from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "zhongkao"
