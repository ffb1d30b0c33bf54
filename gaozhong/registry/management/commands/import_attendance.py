"""``gaozhong manage import_attendance FILE --user U``: 考勤记录 (registry evidence)."""

from ._base import EvidenceImportCommand


class Command(EvidenceImportCommand):
    help = "导入考勤记录 (import; all or nothing)"
    kind = "attendance"
