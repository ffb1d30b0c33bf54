"""``gaozhong manage import_registry FILE --user U``: 学籍系统名册 (the national registry's registrations the platform
has no student for; city only)."""

from ._base import EvidenceImportCommand


class Command(EvidenceImportCommand):
    help = "导入学籍系统名册 (import; all or nothing; city only)"
    kind = "registry"
