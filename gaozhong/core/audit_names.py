"""Names of the foundation's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register
from gaozhong.core.services.imports import SPECS

NAMES = {
    "core.city.set_up": "建立城市与管理员",
    "core.job.started": "发起后台任务",
    "core.job.stop_requested": "请求停止后台任务",
    "core.list.exported": "导出列表",
    "core.school.updated": "修改学校信息",
    "core.student.updated": "修改学生信息",
    "core.teacher.updated": "修改教师信息",
    "core.user.mfa_enrolled": "启用动态口令",
    "core.user.mfa_locked": "动态口令输错次数过多被锁定",
    "core.user.mfa_reset": "重置动态口令",
    "core.user.password_change_locked": "修改密码时旧密码输错过多被锁定",
    "core.user.password_changed": "修改密码",
    **{f"core.{kind}.imported": f"导入{spec.title_zh}" for kind, spec in SPECS.items()},
    **{f"core.{kind}.exported": f"导出{spec.title_zh}" for kind, spec in SPECS.items()},
}

register(NAMES)
