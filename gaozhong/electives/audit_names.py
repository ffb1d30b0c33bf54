"""Names of the electives app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register
from gaozhong.electives.importspecs import SPECS

NAMES = {
    "electives.choices.exported": "导出学生选科",
    "electives.lesson.swapped": "对调两节课",
    "electives.choice.set": "填报选科",
    "electives.fet.downloaded": "下载排好的 FET 文件",
    "electives.fet.uploaded": "上传 FET 文件排课",
    "electives.lesson.moved": "调课",
    "electives.timetable.fet_exported": "导出课表为 FET 文件",
    "electives.timetable.stored": "保存课表",
    "electives.window.created": "创建选课窗口",
    "electives.window.updated": "修改选课窗口",
    **{f"electives.{kind}.imported": f"导入{spec.title_zh}" for kind, spec in SPECS.items()},
}

register(NAMES)
