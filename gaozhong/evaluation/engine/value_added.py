"""Fit the value-added model to :class:`ValueAddedData`: REML estimates, then one effect per group.

    y = Xβ + u_group + e,   u ~ N(0, τ),  e ~ N(0, σ²)

The covariates (e.g. the 中考 entry score) carry what a school's intake predicts; the group effect u is what the
school adds beyond it (增值). Problems that make the model not estimable are reported as an InputError naming
the file and, where one is to blame, the column.
"""

from __future__ import annotations

from gaozhong.common.errors import InputError, Problem

from .effects import DEFAULT_MIN_GROUP_SIZE, group_effects
from .reml import NotEstimable, collinear_columns, group_statistics, maximise_reml
from .types import RemlFit, ValueAddedData, ValueAddedResult

__all__ = ["fit_value_added"]

INTERCEPT = "Intercept"


def fit_value_added(data: ValueAddedData, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> ValueAddedResult:
    """Exact REML fit and group effects.

    Rule: seed 003 §三(二)3, 从高一年级起对学生进行跟踪管理，使高考成绩与高一入学成绩呈正向性发展 (track students
    from entry; gaokao results should grow from entry scores): the group effect measures that growth per school.

    Raises
    ------
    InputError
        fewer than two groups, no more students than fixed effects, a covariate that is constant or a
        combination of others, an outcome with no variation left, or a group variance that cannot be estimated.
    """
    if min_group_size < 1:
        raise ValueError("min_group_size must be at least 1")
    names = [INTERCEPT, *data.covariates]
    problems: list[Problem] = []
    if data.groups < 2:
        problems.append(
            Problem(data.source, None, data.group,
                    f"只有 {data.groups} 个分组，模型至少需要 2 个 (only {data.groups} group(s); the model needs at least 2)")
        )
    if data.n <= len(names):
        problems.append(
            Problem(data.source, None, None,
                    f"只有 {data.n} 名学生，需要多于 {len(names)} 名（固定效应个数）"
                    f" (only {data.n} students; more than {len(names)}, the number of fixed effects, are needed)")
        )
    if problems:
        raise InputError(problems)
    stats = group_statistics(data.y, data.x, data.codes, data.groups)
    for name in collinear_columns(stats, names):
        problems.append(
            Problem(data.source, None, name,
                    "协变量取值不变，或是截距与前面协变量的线性组合 "
                    "(the covariate is constant, or a linear combination of the intercept and earlier covariates)")
        )
    if problems:
        raise InputError(problems)
    try:
        solution = maximise_reml(stats)
    except NotEstimable as exc:
        column = data.outcome if exc.role == "outcome" else data.group
        raise InputError([Problem(data.source, None, column, exc.reason)]) from None
    point = solution.point
    sigma2 = point.residual_variance
    tau = point.ratio * sigma2
    beta = point.beta
    slopes = beta[1:]
    intercept = float(beta[0] + stats.centre_y - (float(stats.centre_x @ slopes) if len(slopes) else 0.0))
    fixed = {INTERCEPT: intercept}
    for name, value in zip(data.covariates, slopes):
        fixed[name] = float(value)
    fit = RemlFit(
        fixed=fixed,
        group_variance=float(tau),
        residual_variance=float(sigma2),
        ratio=float(point.ratio),
        loglik=float(point.loglik),
        gradient=float(point.gradient / sigma2),
        boundary=solution.boundary,
        evaluations=solution.evaluations,
        n=data.n,
        groups=data.groups,
    )
    effects = group_effects(data.labels, stats.sizes, point.mean_residuals, tau, sigma2, min_group_size)
    return ValueAddedResult(fit=fit, effects=effects, min_group_size=min_group_size)
