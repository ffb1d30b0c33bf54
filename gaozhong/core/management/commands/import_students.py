"""`gaozhong manage import_students FILE --user USERNAME`: import students, all or nothing."""

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import students from .xlsx or .csv (all or nothing; errors name sheet, row, column and reason)"
    kind = "students"
