"""Names of the evaluation app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register

NAMES = {
    "evaluation.gaokao.imported": "导入高考成绩",
    "evaluation.school_outcomes.imported": "导入学校年度指标",
    "evaluation.value_added_dataset.imported": "导入增值评价数据集",
    "evaluation.value_added_run.created": "运行增值评价",
}

register(NAMES)
