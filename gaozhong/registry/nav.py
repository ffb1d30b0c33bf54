"""Navigation entry of the registry pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, import_title, of
from gaozhong.core.masking import mask_student_no
from gaozhong.core.roles import STAFF
from gaozhong.registry.models import RegistryAnomaly

NAV = [("registry_worklist", pgettext_lazy("nav", "学籍异常"), STAFF)]

#: how the registry pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs)
CRUMBS = {
    "registry_anomaly": of(RegistryAnomaly, lambda a: f"{a.get_kind_display()} {mask_student_no(a.student_no)}", fallback=_("学籍异常")),
    "registry_import": Crumb(import_title, fallback=_("导入")),
}
