"""``gaozhong manage import_transfers FILE --user U``: 转学记录 (registry evidence)."""

from ._base import EvidenceImportCommand


class Command(EvidenceImportCommand):
    help = "导入转学记录 (import; all or nothing)"
    kind = "transfers"
