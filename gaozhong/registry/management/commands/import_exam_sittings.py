"""``gaozhong manage import_exam_sittings FILE --user U``: 考试参加记录 (registry evidence)."""

from ._base import EvidenceImportCommand


class Command(EvidenceImportCommand):
    help = "导入考试参加记录 (import; all or nothing)"
    kind = "exam_sittings"
