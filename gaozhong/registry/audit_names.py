"""Names of the registry app's audit actions (see gaozhong.core.actionnames)."""

from gaozhong.core.actionnames import register
from gaozhong.registry.importspecs import SPECS

NAMES = {
    "registry.check.exported": "导出学籍异常清单",
    "registry.anomaly.resolved": "处理学籍异常",
    "registry.case.imported": "导入学籍核查目录",
    "registry.check.run": "运行学籍异常检查",
    **{f"registry.{kind}.imported": f"导入{spec.title_zh}" for kind, spec in SPECS.items()},
}

register(NAMES)
