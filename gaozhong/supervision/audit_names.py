"""Names of the supervision app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register

NAMES = {
    "supervision.api_token.issued": "签发数据接口令牌",
    "supervision.api_token.revoked": "吊销数据接口令牌",
    "supervision.catalog.loaded": "载入督导指标目录",
    "supervision.document.adopted": "采用政策文件",
    "supervision.document.withdrawn": "撤销采用政策文件",
    "supervision.evidence.added": "上传整改佐证",
    "supervision.indicator.revised": "修订督导指标",
    "supervision.milestone.done": "完成整改节点",
    "supervision.rectifications.opened": "发起整改",
    "supervision.rectifications.reviewed": "审核整改",
    "supervision.submission.approved": "审核通过填报",
    "supervision.submission.returned": "退回填报",
    "supervision.submission.reviewed": "审核填报",
    "supervision.submission.submitted": "提交填报",
    "supervision.submissions.imported": "导入督导填报",
    "supervision.task.closed": "任务销号",
    "supervision.task.created": "创建督办任务",
    "supervision.task.returned": "退回督办任务",
    "supervision.task.started": "开始办理督办任务",
    "supervision.task.submitted": "提交督办任务办结",
    "supervision.tasks.imported": "导入督办任务",
    "supervision.values.exported": "导出督导数据",
}

register(NAMES)
