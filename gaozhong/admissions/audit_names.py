"""Names of the admissions app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register

NAMES = {
    "admissions.run.withdrawn": "撤回已公布的录取结果",
    "admissions.plan.approved": "审批招生计划",
    "admissions.plan.set": "填报招生计划",
    "admissions.plan.report_set": "设置新生报到时间和地点",
    "admissions.notice.downloaded": "下载录取通知书",
    "admissions.plans.imported": "导入招生计划",
    "admissions.preferences.changed": "修改志愿",
    "admissions.preferences.confirmed": "确认志愿",
    "admissions.preferences.imported": "导入志愿",
    "admissions.programs.generated": "生成招生项目",
    "admissions.run.approved": "审批并公布录取结果",
    "admissions.run.finished": "录取运行完成",
    "admissions.run.started": "发起录取运行",
    "admissions.window.opened": "开放志愿填报",
    "admissions.window.closed": "关闭志愿填报",
    "admissions.year.created": "创建招生年度",
    "admissions.year.imported": "导入招生年度数据",
    "admissions.year.settings": "修改招生规则（招生范围、特长生、补录）",
    "admissions.supplementary.opened": "开放补录",
    "admissions.supplementary.closed": "截止补录填报",
    "admissions.supplementary.declined": "放弃第一轮录取",
    "admissions.supplementary.choices": "修改补录志愿",
    "admissions.supplementary.run_started": "发起补录运行",
    "admissions.supplementary.run_finished": "补录运行完成",
    "admissions.supplementary.approved": "审批并公布补录结果",
    "admissions.zhongkao.imported": "导入中考考生与成绩",
}

register(NAMES)
