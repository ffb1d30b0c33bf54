"""Navigation entry of the evaluation pages."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, import_title, of
from gaozhong.core.models import School
from gaozhong.core.roles import STAFF

NAV = [("evaluation_overview", pgettext_lazy("nav", "增值评价"), STAFF)]

#: how the evaluation pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs)
CRUMBS = {
    "evaluation_school": of(School, fallback=_("学校画像")),
    "evaluation_method": Crumb(_("增值评价方法说明")),
    "evaluation_dataset_import": Crumb(_("导入增值评价数据")),
    "evaluation_import": Crumb(import_title, fallback=_("导入")),
}
