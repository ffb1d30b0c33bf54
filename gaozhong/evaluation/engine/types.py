"""Typed inputs and results of the value-added engine: the data read from DATA.csv, the REML fit, group effects.

Group values are kept as the strings in the file; ``codes`` number the groups 0, 1, … in the order each group
first appears in the file, and every per-group array and list here follows that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ValueAddedData", "RemlFit", "GroupEffect", "ValueAddedResult", "LABEL_ABOVE", "LABEL_BELOW", "LABEL_NONE"]

LABEL_ABOVE = "above"
LABEL_BELOW = "below"
LABEL_NONE = "none"


@dataclass(frozen=True, slots=True, eq=False)
class ValueAddedData:
    """Students (rows) in groups, ready to fit: ``y = Xβ + u_group + e``.

    ``x`` holds the covariates only (the intercept is added by the model), one column per name in
    ``covariates``. ``source`` names the file in error messages.
    """

    source: str
    outcome: str
    group: str
    covariates: tuple[str, ...]
    y: np.ndarray  # (n,) float64
    x: np.ndarray  # (n, k) float64
    codes: np.ndarray  # (n,) int64 in 0 .. len(labels) - 1
    labels: tuple[str, ...]  # group value per code, as written in the file
    lines: np.ndarray | None = None  # (n,) int64: the file line of each row (header = line 1), when read from a file

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def groups(self) -> int:
        return len(self.labels)


@dataclass(frozen=True, slots=True)
class RemlFit:
    """The REML estimates and the evidence that the optimum was reached.

    ``ratio`` is λ = τ/σ² (group over residual variance), the one parameter the likelihood is profiled on.
    ``gradient`` is ∂ℓ_R/∂τ at the estimate (σ² at its optimum): near zero inside, ≤ 0 on the boundary τ = 0.
    ``loglik`` is the full REML log-likelihood, 2π terms included.
    """

    fixed: dict[str, float]  # "Intercept" first, then the covariates in the order given
    group_variance: float
    residual_variance: float
    ratio: float
    loglik: float
    gradient: float
    boundary: bool
    evaluations: int
    n: int
    groups: int


@dataclass(frozen=True, slots=True)
class GroupEffect:
    """One group's predicted random effect (EBLUP) with its standard error, 95% interval and label."""

    group: str
    n: int
    effect: float
    se: float
    ci_low: float
    ci_high: float
    label: str


@dataclass(frozen=True, slots=True)
class ValueAddedResult:
    """A fitted value-added model: the REML fit and one effect per group in order of first appearance."""

    fit: RemlFit
    effects: tuple[GroupEffect, ...]
    min_group_size: int
