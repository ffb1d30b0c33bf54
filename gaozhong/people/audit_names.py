"""Names of the people app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register
from gaozhong.people.importspecs import SPECS

NAMES = {
    "people.ban.added": "加入禁入名单",
    "people.ban.viewed": "查看禁入名单",
    "people.ethics.decided": "师德案件处理决定",
    "people.ethics.opened": "师德案件立案",
    "people.ethics.viewed": "查看师德案件",
    "people.hire_check.recorded": "记录准入查询",
    "people.nomination.submitted": "提交评优推荐",
    "people.nomination.approved": "评优推荐通过",
    "people.nomination.rejected": "评优推荐否决",
    "people.post.changed": "调整岗位",
    "people.qualification.added": "登记教师资格",
    "people.teacher.hired": "录用教师",
    "people.teacher.moved": "教师交流调动",
    **{f"people.{kind}.imported": f"导入{spec.title_zh}" for kind, spec in SPECS.items()},
}

register(NAMES)
