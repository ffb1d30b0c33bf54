"""`gaozhong manage import_schools FILE --user USERNAME`: import schools, all or nothing."""

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import schools from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "schools"
