"""Exact REML for the random-intercept model y = Xβ + u_group + e, profiled on the one ratio λ = τ/σ².

With u_j ~ N(0, τ) and e ~ N(0, σ²), the covariance of group j is σ²·H_j with H_j = I + λ·11ᵀ, and every
quantity REML needs reduces to group sizes n_j, group means m_j of z = (1, x, y) and the pooled within-group
cross-product matrix W of z:

    A(λ) = Zᵀ H⁻¹ Z = W + Σ_j n_j/(1 + n_j λ) · m_j m_jᵀ        (z = [X | y])
    β̂(λ) = A_xx⁻¹ A_xy,  S(λ) = A_yy − A_yx A_xx⁻¹ A_xy,  σ̂²(λ) = S/(N − p)
    ℓ_R(λ) = −½ [ (N − p)(1 + log 2πσ̂²) + Σ_j log(1 + n_j λ) + log |A_xx| ]

One Cholesky factor of the (p+1)×(p+1) matrix A gives β̂, S and log|A_xx| together, so after one O(N·p²) pass
for :class:`GroupStats` each evaluation costs O(groups·p²). The gradient dℓ_R/dλ is analytic (see
:func:`profile_at`). The optimiser scans a log grid of λ (with λ = 0), keeps the best point, and polishes the
root of the gradient in the bracket around it with a bracketed secant (Illinois) step that falls back to
bisection; a golden-section search covers the case where the gradient does not change sign in the bracket.
λ = 0 is the boundary τ = 0: it is the estimate when the gradient there is ≤ 0 and no grid point does better.

Data are centred on their grand means before the pass (better conditioned sums); the intercept is mapped back.
Centring is a unit-triangular change of the fixed-effect basis, so it leaves ℓ_R unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "GroupStats",
    "ProfilePoint",
    "RemlSolution",
    "NotEstimable",
    "group_statistics",
    "profile_at",
    "maximise_reml",
    "collinear_columns",
]

# λ grid: 0 and 10^-8 … 10^8 in quarter decades. An optimum at the top end means σ² → 0 (not estimable).
_GRID = np.concatenate([[0.0], 10.0 ** np.arange(-8.0, 8.0 + 1e-9, 0.25)])
_LOG_2PI = math.log(2.0 * math.pi)


class NotEstimable(ValueError):
    """The model cannot be fitted to these data. ``role`` is ``"outcome"`` or ``"group"``: the column to blame."""

    def __init__(self, reason: str, role: str):
        super().__init__(reason)
        self.reason = reason
        self.role = role


_NO_RESIDUAL = (
    "结果变量在协变量之外没有剩余变异，模型无法拟合 "
    "(the outcome has no variation left beyond the covariates; the model cannot be fitted)"
)


@dataclass(frozen=True, slots=True, eq=False)
class GroupStats:
    """Sufficient statistics of centred data for every λ: sizes, group means of z = (1, x, y), within SSCP."""

    n: int  # students N
    p: int  # fixed effects, intercept included
    sizes: np.ndarray  # (G,) float64 n_j
    means: np.ndarray  # (G, p + 1) group means of (1, x − x̄, y − ȳ)
    within: np.ndarray  # (p + 1, p + 1) Σ_i (z_i − m_g(i))(z_i − m_g(i))ᵀ
    centre_x: np.ndarray  # (p − 1,) grand means of the covariates
    centre_y: float


@dataclass(frozen=True, slots=True, eq=False)
class ProfilePoint:
    """ℓ_R and its derivative at one λ, with the GLS quantities the estimates are read from."""

    ratio: float
    loglik: float
    gradient: float  # dℓ_R/dλ
    beta: np.ndarray  # (p,) in the centred basis: [γ0, β_1, …]
    rss: float  # S(λ) = rᵀ H⁻¹ r
    residual_variance: float  # σ̂²(λ)
    mean_residuals: np.ndarray  # (G,) group means of y − Xβ̂


@dataclass(frozen=True, slots=True, eq=False)
class RemlSolution:
    """The maximiser of ℓ_R over λ ≥ 0 and how it was reached."""

    point: ProfilePoint
    boundary: bool
    evaluations: int


def group_statistics(y: np.ndarray, x: np.ndarray, codes: np.ndarray, groups: int) -> GroupStats:
    """One O(N·p²) pass: centre, take group means with ``bincount`` and the within-group cross products."""
    n = int(y.shape[0])
    k = int(x.shape[1])
    centre_x = x.mean(axis=0) if k else np.zeros(0)
    centre_y = float(y.mean())
    sizes = np.bincount(codes, minlength=groups).astype(np.float64)
    means = np.empty((groups, k + 2))
    means[:, 0] = 1.0
    deviations = np.empty((n, k + 1))
    for col in range(k + 1):
        values = (x[:, col] - centre_x[col]) if col < k else (y - centre_y)
        group_mean = np.bincount(codes, weights=values, minlength=groups) / sizes
        means[:, col + 1] = group_mean
        np.subtract(values, group_mean[codes], out=deviations[:, col])
    within = np.zeros((k + 2, k + 2))
    within[1:, 1:] = deviations.T @ deviations
    return GroupStats(n=n, p=k + 1, sizes=sizes, means=means, within=within, centre_x=centre_x, centre_y=centre_y)


def _system(stats: GroupStats, ratio: float) -> np.ndarray:
    weights = stats.sizes / (1.0 + stats.sizes * ratio)
    return stats.within + (stats.means * weights[:, None]).T @ stats.means


def profile_at(stats: GroupStats, ratio: float) -> ProfilePoint:
    """Profiled REML log-likelihood ℓ_R(λ) and its analytic derivative.

    With d_j = −n_j²/(1 + n_j λ)² (the derivative of the weight n_j/(1 + n_j λ)), r̄_j the group mean residual
    and q_j = m_jxᵀ A_xx⁻¹ m_jx:

        dℓ_R/dλ = −½ [ (N − p)·(Σ_j d_j r̄_j²)/S + Σ_j n_j/(1 + n_j λ) + Σ_j d_j q_j ]

    (dS/dλ = vᵀ (dA/dλ) v with v = (−β̂, 1), since β̂ minimises the quadratic form.)
    """
    p = stats.p
    a = _system(stats, ratio)
    try:
        chol = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        raise NotEstimable(_NO_RESIDUAL, "outcome") from None
    lxx = chol[:p, :p]
    rss = float(chol[p, p]) ** 2
    if not (rss > 1e-13 * a[p, p] and math.isfinite(rss)):
        raise NotEstimable(_NO_RESIDUAL, "outcome")
    beta = np.linalg.solve(lxx.T, chol[p, :p])
    dof = stats.n - p
    sigma2 = rss / dof
    nl = 1.0 + stats.sizes * ratio
    logdet_xx = 2.0 * float(np.log(np.diag(lxx)).sum())
    loglik = -0.5 * (dof * (1.0 + _LOG_2PI + math.log(sigma2)) + float(np.log(nl).sum()) + logdet_xx)
    d = -((stats.sizes / nl) ** 2)
    mean_residuals = stats.means[:, p] - stats.means[:, :p] @ beta
    solved = np.linalg.solve(lxx, stats.means[:, :p].T)
    q = (solved * solved).sum(axis=0)
    drss = float(d @ (mean_residuals * mean_residuals))
    gradient = -0.5 * (dof * drss / rss + float((stats.sizes / nl).sum()) + float(d @ q))
    return ProfilePoint(ratio, loglik, gradient, beta, rss, sigma2, mean_residuals)


def collinear_columns(stats: GroupStats, names: list[str], *, tol: float = 1e-11) -> list[str]:
    """Names of fixed-effect columns that are (numerically) combinations of the intercept and earlier columns.

    At λ = 0, A_xx = XᵀX (centred basis); the Schur complement of column k against columns 0 … k−1 is its
    squared distance from their span. A column is collinear when that is ≤ tol × its own sum of squares.
    """
    xtx = _system(stats, 0.0)[: stats.p, : stats.p]
    bad: list[str] = []
    kept: list[int] = []
    for k in range(stats.p):
        own = xtx[k, k]
        if kept:
            sub = xtx[np.ix_(kept, kept)]
            cross = xtx[kept, k]
            resid = own - cross @ np.linalg.solve(sub, cross)
        else:
            resid = own
        if own <= 0.0 or resid <= tol * own:
            bad.append(names[k])
        else:
            kept.append(k)
    return bad


def _golden(stats: GroupStats, lo: float, hi: float, counter: list[int]) -> ProfilePoint:
    inv_phi = (math.sqrt(5.0) - 1.0) / 2.0
    c = hi - inv_phi * (hi - lo)
    d = lo + inv_phi * (hi - lo)
    pc, pd = profile_at(stats, c), profile_at(stats, d)
    counter[0] += 2
    while hi - lo > 1e-14 * max(hi, 1e-300) and counter[0] < 400:
        if pc.loglik >= pd.loglik:
            hi, d, pd = d, c, pc
            c = hi - inv_phi * (hi - lo)
            pc = profile_at(stats, c)
        else:
            lo, c, pc = c, d, pd
            d = lo + inv_phi * (hi - lo)
            pd = profile_at(stats, d)
        counter[0] += 1
    return pc if pc.loglik >= pd.loglik else pd


def _gradient_root(stats: GroupStats, left: ProfilePoint, right: ProfilePoint, counter: list[int]) -> ProfilePoint:
    """Root of dℓ_R/dλ between ``left`` (gradient > 0) and ``right`` (gradient < 0): Illinois with bisection."""
    a, ga = left.ratio, left.gradient
    b, gb = right.ratio, right.gradient
    best = left if abs(left.gradient) <= abs(right.gradient) else right
    side = 0
    width = b - a
    steps = 0
    for _ in range(200):
        c = (a * gb - b * ga) / (gb - ga)
        if steps >= 3 or not (a < c < b):
            c = 0.5 * (a + b)  # the secant stalled or left the bracket: bisect
        pc = profile_at(stats, c)
        counter[0] += 1
        if abs(pc.gradient) < abs(best.gradient):
            best = pc
        if pc.gradient == 0.0:
            return pc
        if pc.gradient > 0.0:
            a, ga = c, pc.gradient
            if side == 1:
                gb *= 0.5
            side = 1
        else:
            b, gb = c, pc.gradient
            if side == -1:
                ga *= 0.5
            side = -1
        steps += 1
        if b - a <= 0.5 * width:
            width, steps = b - a, 0
        if b - a <= 4e-16 * b:
            break
    return best


def _require_within_variation(stats: GroupStats) -> None:
    """σ² is identified only by variation of y within groups left after the within-varying covariates."""
    w = stats.within[1:, 1:]
    wxx, wxy, wyy = w[:-1, :-1], w[:-1, -1], float(w[-1, -1])
    left = wyy
    if wxx.size and np.any(np.diag(wxx) > 0.0):
        coef = np.linalg.lstsq(wxx, wxy, rcond=1e-12)[0]
        left = wyy - float(wxy @ coef)
    total = float(_system(stats, 0.0)[stats.p, stats.p])
    if not left > 1e-12 * total:
        raise NotEstimable(
            "组内没有剩余变异（例如每组只有 1 名学生），无法区分组间方差与残差方差 "
            "(no variation is left within groups, e.g. every group has one student; the group and residual "
            "variances cannot be told apart)",
            "group",
        )


def _require_groups_beyond_fixed_effects(stats: GroupStats) -> None:
    """τ is identified only if the group indicators Z are not all in the span of X (possible only when G ≤ p).

    Then the intercept and group-level covariates reproduce every group mean and ℓ_R is flat in λ.
    """
    groups, p = stats.sizes.size, stats.p
    if groups > p:
        return
    xtx = _system(stats, 0.0)[:p, :p]
    xtz = (stats.means[:, :p] * stats.sizes[:, None]).T
    gram = np.block([[xtx, xtz], [xtz.T, np.diag(stats.sizes)]])
    scale = np.sqrt(np.diag(gram))
    eig = np.linalg.eigvalsh(gram / np.outer(scale, scale))
    if int(np.sum(eig > 1e-10 * eig.max())) <= p:
        raise NotEstimable(
            "分组太少：截距和组层面协变量已完全决定各组均值，无法估计组间方差 "
            "(too few groups: the intercept and group-level covariates reproduce every group mean, so the group "
            "variance cannot be estimated)",
            "group",
        )


def maximise_reml(stats: GroupStats) -> RemlSolution:
    """Maximise ℓ_R over λ ≥ 0 (grid, then polish); raise :class:`NotEstimable` if the optimum runs to λ → ∞."""
    profile_at(stats, 0.0)  # raises if the outcome has no variation left beyond the covariates
    _require_within_variation(stats)
    _require_groups_beyond_fixed_effects(stats)
    counter = [1]
    points = [profile_at(stats, float(r)) for r in _GRID]
    counter[0] += len(points)
    logliks = np.array([pt.loglik for pt in points])
    k = int(np.argmax(logliks))
    if k == len(points) - 1:
        raise NotEstimable(
            "无法估计组间方差：组内没有剩余变异，或分组数不多于组层面协变量个数 "
            "(the group variance cannot be estimated: no residual variation is left within groups, "
            "or there are too few groups for the group-level covariates)",
            "group",
        )
    if k == 0 and points[0].gradient <= 0.0:
        return RemlSolution(points[0], boundary=True, evaluations=counter[0])
    left = points[k - 1] if k > 0 else points[0]
    right = points[k + 1]
    if points[k].gradient > 0.0:
        left = points[k]
    elif points[k].gradient < 0.0 and k > 0:
        right = points[k]
    if left.gradient > 0.0 and right.gradient < 0.0:
        best = _gradient_root(stats, left, right, counter)
    else:
        best = _golden(stats, left.ratio, right.ratio, counter)
    if best.loglik < points[k].loglik:
        best = points[k]
    if best.ratio == 0.0:
        return RemlSolution(best, boundary=best.gradient <= 0.0, evaluations=counter[0])
    return RemlSolution(best, boundary=False, evaluations=counter[0])
