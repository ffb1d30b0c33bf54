"""Group effects from a REML fit: EBLUPs, their standard errors, 95% intervals and the above/below label.

For group j with n_j students and mean residual r̄_j = mean(y − Xβ̂) over its students:

    effect_j = τ n_j / (σ² + n_j τ) · r̄_j           (the EBLUP of u_j)
    se_j     = sqrt(τ σ² / (σ² + n_j τ))             (sqrt of the conditional variance of u_j given y)
    interval = effect_j ± 1.959963984540054 · se_j   (95%, the normal 0.975 quantile)
"""

from __future__ import annotations

import numpy as np

from .types import LABEL_ABOVE, LABEL_BELOW, LABEL_NONE, GroupEffect

__all__ = ["Z_95", "DEFAULT_MIN_GROUP_SIZE", "effect_label", "group_effects"]

Z_95 = 1.959963984540054
DEFAULT_MIN_GROUP_SIZE = 10


def effect_label(ci_low: float, ci_high: float, n: int, min_group_size: int) -> str:
    """``above`` or ``below`` only when the 95% interval excludes 0 and the group has ≥ ``min_group_size`` students.

    Rule: seed 004 §8, 破除“五唯”、不以单一分数排名 (no single-score ranking): a school is called above or below
    expectation only when the evidence says so; every other school, including a small one, is ``none``.
    Rule: seed 002 §四(四), 严禁炒作升学率 (no hyping of results): the label carries no rank.
    """
    if n < min_group_size:
        return LABEL_NONE
    if ci_low > 0.0:
        return LABEL_ABOVE
    if ci_high < 0.0:
        return LABEL_BELOW
    return LABEL_NONE


def group_effects(
    labels: tuple[str, ...],
    sizes: np.ndarray,
    mean_residuals: np.ndarray,
    group_variance: float,
    residual_variance: float,
    min_group_size: int,
) -> tuple[GroupEffect, ...]:
    """One :class:`GroupEffect` per group, in the order of ``labels`` (first appearance in the file).

    Rule: seed 003 §三(二)3, 高考成绩与高一入学成绩呈正向性发展: the effect is the group's progress beyond what
    the covariates (e.g. the entry score) predict. With τ = 0 (the boundary) every effect, SE and interval is 0.
    """
    tau, sigma2 = group_variance, residual_variance
    shrink = tau * sizes / (sigma2 + sizes * tau)
    effect = shrink * mean_residuals
    se = np.sqrt(tau * sigma2 / (sigma2 + sizes * tau))
    low = effect - Z_95 * se
    high = effect + Z_95 * se
    out = []
    for j, name in enumerate(labels):
        n = int(sizes[j])
        out.append(
            GroupEffect(
                group=name,
                n=n,
                effect=float(effect[j]) + 0.0,  # + 0.0: a zero is 0.0, never -0.0 (stores and prints the same everywhere)
                se=float(se[j]),
                ci_low=float(low[j]) + 0.0,
                ci_high=float(high[j]) + 0.0,
                label=effect_label(float(low[j]), float(high[j]), n, min_group_size),
            )
        )
    return tuple(out)
