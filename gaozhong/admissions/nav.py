"""Navigation entries of the admissions pages: 招生录取 for staff; a 中考 candidate's 志愿, their own 录取结果 and the
published 录取分数线."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, from_context, import_title
from gaozhong.core.roles import CANDIDATE, STAFF

NAV = [
    ("admissions_home", pgettext_lazy("nav", "招生录取"), STAFF),
    ("admissions_preferences", pgettext_lazy("nav", "我的志愿"), {CANDIDATE}),
    ("admissions_result", pgettext_lazy("nav", "录取结果"), {CANDIDATE}),
    ("admissions_cutoffs", pgettext_lazy("nav", "录取分数线"), {CANDIDATE}),
]

#: how the admissions pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs)
CRUMBS = {
    "admissions_runs": Crumb(_("录取运行")),
    "admissions_run": Crumb(from_context("run_label"), fallback=_("录取运行详情")),
    "admissions_admitted": Crumb(lambda user, context, kwargs: _("本校录取名单") if context.get("own_school") else None, fallback=_("录取名单")),
    "admissions_quota_split": Crumb(_("指标到校分配")),
    "admissions_plan_proposal": Crumb(_("招生计划建议")),
    "admissions_retention": Crumb(_("县域生源保有率")),
    "admissions_out_of_range": Crumb(_("招生范围执行情况")),
    "admissions_stage": Crumb(_("普职比与特长生公示")),
    "admissions_supplementary": Crumb(_("补录")),
    "admissions_supplementary_mine": Crumb(_("补录")),
    "admissions_reporting": Crumb(_("新生报到安排")),
    "admissions_import": Crumb(import_title, fallback=_("导入")),
    "admissions_cutoffs": Crumb(_("录取分数线")),
    "admissions_lookup": Crumb(_("录取结果查询")),
    "admissions_preferences": Crumb(_("志愿填报")),
}
