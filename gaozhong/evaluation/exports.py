"""Exports of a run: the Excel table of school effects (declared like every table of the platform), and the JSON
object of ``gaozhong evaluation value-added --json`` with the same keys, order and figures."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

EFFECTS = TableSpec(
    name="value_added_effects", title_zh="增值评价结果", sheet_name="增值评价",
    columns=[
        Column("cohort", "届别", "Cohort", "text", required=True, example="2022级→2025年高考"),
        Column("school_code", "学校代码", "School code", "identifier", required=True, example="G0101"),
        Column("school", "学校名称", "School", "text", required=True, example="晋阳市第一中学"),
        Column("n", "学生数", "Students", "integer", required=True, min=0, example=800),
        Column("effect", "增值(分)", "Effect", "decimal", required=True, decimal_places=2, example=Decimal("3.25")),
        Column("se", "标准误", "SE", "decimal", required=True, decimal_places=2, example=Decimal("1.10")),
        Column("ci_low", "95%区间下限", "CI low", "decimal", required=True, decimal_places=2, example=Decimal("1.09")),
        Column("ci_high", "95%区间上限", "CI high", "decimal", required=True, decimal_places=2, example=Decimal("5.41")),
        Column("label", "判定", "Label", "text", required=True, example="高于预期"),
    ],
)


def _d(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def effect_rows(effects, run) -> list[dict]:
    return [{
        "cohort": f"{run.entry_year}级→{run.gaokao_year}年高考", "school_code": e.school.code, "school": e.school.name, "n": e.n,
        "effect": _d(e.effect), "se": _d(e.se), "ci_low": _d(e.ci_low), "ci_high": _d(e.ci_high), "label": e.label_zh,
    } for e in effects]


def run_json(run) -> dict:
    """The run as the engine command's ``--json`` object (``fixed``, variances, ``n``, ``groups``, ``reml``,
    ``effects`` in order of first appearance, each with ``group`` = the school code). City-wide: the caller
    decides who may download it."""
    effects = run.effects.order_by("position", "id")
    return {
        "fixed": {name: value for name, value in run.fixed},
        "group_variance": run.group_variance,
        "residual_variance": run.residual_variance,
        "n": run.n,
        "groups": run.groups,
        "reml": {"loglik": run.loglik, "ratio": run.ratio, "gradient": run.gradient, "boundary": run.boundary},
        "effects": [{"group": e.group, "n": e.n, "effect": e.effect, "se": e.se, "ci_low": e.ci_low, "ci_high": e.ci_high, "label": e.label}
                    for e in effects],
    }


def run_json_text(run) -> str:
    """The bytes the command prints with ``--json`` (UTF-8 text, two-space indent, a final line break)."""
    return json.dumps(run_json(run), ensure_ascii=False, indent=2) + "\n"


def data_csv(data) -> str:
    """A cohort's data (``ValueAddedData``, from a data set or from the platform's records) as the CSV the engine
    command reads: columns group, covariates, outcome; one row per student in the data's order; numbers written
    so that they read back as the same floats. No personal identifier is written."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([data.group, *data.covariates, data.outcome])
    labels = data.labels
    for code, xs, y in zip(data.codes.tolist(), data.x.tolist(), data.y.tolist()):
        w.writerow([labels[code], *(repr(v) for v in xs), repr(y)])
    return buf.getvalue()
