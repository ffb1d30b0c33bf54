"""`gaozhong manage import_teachers FILE --user USERNAME`: import teachers, all or nothing."""

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import teachers from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "teachers"
