"""Navigation entries of supervision."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, of
from gaozhong.core.models import County, School
from gaozhong.core.roles import STAFF
from gaozhong.supervision.models import Submission, Task

NAV = [
    ("sup_dashboard", pgettext_lazy("nav", "督导"), STAFF),
    ("sup_ledger", pgettext_lazy("nav", "台账"), STAFF),
]

#: how the supervision pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs)
CRUMBS = {
    "sup_school": of(School, fallback=_("学校")),
    "sup_county": of(County, fallback=_("县(区)")),
    "sup_leagues": Crumb(_("排名")),
    "sup_laggards": Crumb(_("推进不力单位")),
    "sup_whatif": Crumb(_("班额与师资测算")),
    "sup_catalog": Crumb(_("督导指标目录")),
    "sup_indicator": Crumb(lambda user, context, kwargs: kwargs.get("code"), fallback=_("指标")),
    "sup_indicator_edit": Crumb(_("修订指标")),
    "sup_intake": Crumb(_("督导数据填报")),
    "sup_submission": of(Submission, str, fallback=_("报送")),
    "sup_reports": Crumb(_("督导通报")),
    "sup_task_new": Crumb(_("新建任务")),
    "sup_tasks_import": Crumb(_("导入台账任务")),
    "sup_task": of(Task, lambda t: t.title, fallback=_("任务")),
    "sup_tokens": Crumb(_("数据接口")),
}
