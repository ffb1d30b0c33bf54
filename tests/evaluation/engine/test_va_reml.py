"""The profiled REML against the dense textbook REML: log-likelihood, gradient and optimum on generated data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaozhong.evaluation.engine.reml import group_statistics, maximise_reml, profile_at
from gaozhong.evaluation.engine.value_added import fit_value_added

from .dense_reml import DenseReml
from .gen import Case, codes_of, school_data
from .helpers import data_of

UNBALANCED = [1, 2, 3, 7, 15, 30, 4, 1, 9, 12, 25, 2]


def _stats(case: Case):
    codes, labels = codes_of(case.groups)
    return group_statistics(case.y, case.x, codes, len(labels)), DenseReml(case.y, case.x, codes)


@pytest.mark.parametrize("ratio", [0.0, 1e-6, 1e-3, 0.04, 0.5, 3.0, 100.0])
def test_profile_loglik_is_the_dense_loglik_at_the_profiled_residual_variance(ratio):
    case = school_data(1, UNBALANCED, slopes=(0.8, -0.3))
    stats, dense = _stats(case)
    point = profile_at(stats, ratio)
    s2 = point.residual_variance
    assert point.loglik == pytest.approx(dense.loglik(ratio * s2, s2), rel=1e-11, abs=1e-8)
    beta = dense.beta(ratio * s2, s2)
    assert beta[1:] == pytest.approx(point.beta[1:], rel=1e-9, abs=1e-10)
    # σ̂²(λ) maximises over σ² at fixed λ: moving it either way lowers the dense log-likelihood
    for f in (0.999, 1.001):
        assert dense.loglik(ratio * s2 * f, s2 * f) < point.loglik


@pytest.mark.parametrize("ratio", [1e-3, 0.04, 0.5, 3.0])
def test_analytic_gradient_matches_a_dense_finite_difference(ratio):
    case = school_data(2, UNBALANCED, slopes=(0.8,))
    stats, dense = _stats(case)
    point = profile_at(stats, ratio)
    s2 = point.residual_variance
    tau, h = ratio * s2, 1e-5 * ratio * s2
    # envelope theorem: dℓ_profile/dλ = σ² · ∂ℓ/∂τ at σ² = σ̂²(λ)
    fd = s2 * (dense.loglik(tau + h, s2) - dense.loglik(tau - h, s2)) / (2 * h)
    assert point.gradient == pytest.approx(fd, rel=1e-5, abs=1e-6)


CASES = [
    # seed, sizes, slopes, tau
    (3, UNBALANCED, (0.8,), 4.0),
    (4, [20] * 15, (0.8, 0.1), 25.0),
    (5, [3, 5, 8, 2, 40, 6, 1, 1, 30, 9], (), 9.0),
    (6, UNBALANCED, (0.5,), 0.2),
    (7, [60, 50, 40], (0.7,), 400.0),
]


@pytest.mark.parametrize("seed,sizes,slopes,tau", CASES)
def test_fit_agrees_with_the_dense_optimum(seed, sizes, slopes, tau):
    case = school_data(seed, sizes, slopes=slopes, tau=tau)
    _, dense = _stats(case)
    result = fit_value_added(data_of(case))
    ref = dense.fit()
    fit = result.fit
    assert fit.loglik >= ref.loglik - 1e-8
    assert fit.loglik == pytest.approx(dense.loglik(fit.group_variance, fit.residual_variance), abs=1e-8)
    assert fit.group_variance == pytest.approx(ref.tau, rel=1e-4, abs=1e-4)
    assert fit.residual_variance == pytest.approx(ref.sigma2, rel=1e-4)
    assert list(fit.fixed.values()) == pytest.approx(list(ref.beta), rel=1e-4, abs=1e-4)
    if not fit.boundary:
        assert abs(fit.ratio * fit.gradient * fit.residual_variance) < 1e-6


def test_known_effects_are_recovered():
    case = school_data(11, [400] * 40, tau=25.0, sigma2=100.0, slopes=(0.8,), intercept=150.0)
    result = fit_value_added(data_of(case, ("entry",)))
    fit = result.fit
    true = np.array([case.effects[e.group] for e in result.effects])
    centred = true - true.mean()  # the intercept takes the mean of the drawn effects
    assert fit.residual_variance == pytest.approx(100.0, rel=0.04)
    assert fit.group_variance == pytest.approx(np.var(true, ddof=1), rel=0.1)
    assert fit.fixed["entry"] == pytest.approx(0.8, abs=0.01)
    assert fit.fixed["Intercept"] == pytest.approx(150.0 + true.mean(), abs=6.0)
    est = np.array([e.effect for e in result.effects])
    se = np.array([e.se for e in result.effects])
    assert np.max(np.abs(est - centred) / se) < 4.0
    assert np.corrcoef(est, centred)[0, 1] > 0.99
    for e, u in zip(result.effects, centred):
        if u > 5 * e.se:
            assert e.label == "above"
        elif u < -5 * e.se:
            assert e.label == "below"


def _equal_means_case(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    sizes = [5, 8, 12, 20, 3, 9]
    groups, y = [], []
    for j, n in enumerate(sizes):
        e = rng.normal(0.0, 3.0, n)
        y.extend(10.0 + e - e.mean())  # every group mean is exactly 10
        groups.extend([f"G{j}"] * n)
    return Case(groups, np.array(y), np.zeros((len(y), 0)), {})


def test_boundary_tau_zero_when_group_means_are_identical():
    case = _equal_means_case(21)
    result = fit_value_added(data_of(case))
    fit = result.fit
    assert fit.boundary is True
    assert fit.group_variance == 0.0 and fit.ratio == 0.0
    assert fit.gradient < 0.0
    assert fit.fixed["Intercept"] == pytest.approx(10.0, abs=1e-12)
    n = len(case.y)
    assert fit.residual_variance == pytest.approx(np.sum((case.y - 10.0) ** 2) / (n - 1), rel=1e-12)
    # the dense REML agrees: its optimum is at τ = 0 and it falls as τ leaves 0
    _, dense = _stats(case)
    ref = dense.fit()
    assert ref.tau < 1e-8
    assert ref.loglik <= fit.loglik + 1e-9
    s2 = fit.residual_variance
    assert dense.loglik(1e-4, s2) < dense.loglik(0.0, s2)
    assert all(e.effect == 0.0 and e.se == 0.0 and e.ci_low == 0.0 and e.ci_high == 0.0 for e in result.effects)
    assert {e.label for e in result.effects} == {"none"}


@pytest.mark.parametrize("seed", range(30, 36))
def test_true_zero_group_variance_matches_dense_whether_or_not_on_the_boundary(seed):
    case = school_data(seed, [6, 9, 4, 12, 7, 5, 8], tau=0.0, sigma2=100.0, slopes=(0.8,))
    _, dense = _stats(case)
    fit = fit_value_added(data_of(case)).fit
    ref = dense.fit()
    assert fit.loglik >= ref.loglik - 1e-8
    assert fit.group_variance == pytest.approx(ref.tau, abs=1e-4 * ref.sigma2)
    if fit.boundary:
        assert fit.gradient <= 0.0


def test_solution_is_a_local_maximum_on_a_fine_neighbourhood():
    case = school_data(8, UNBALANCED, slopes=(0.8,), tau=4.0)
    stats, _ = _stats(case)
    solution = maximise_reml(stats)
    lam = solution.point.ratio
    assert lam > 0
    for f in (0.99, 0.999, 1.001, 1.01):
        assert profile_at(stats, lam * f).loglik < solution.point.loglik


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    sizes=st.lists(st.integers(1, 8), min_size=2, max_size=6),
    k=st.integers(0, 2),
    tau=st.sampled_from([0.0, 0.3, 3.0]),
)
def test_property_never_worse_than_the_dense_optimum(seed, sizes, k, tau):
    if max(sizes) < 2 or sum(sizes) < k + 3 or sum(sizes) - len(sizes) < k + 1:
        # within-group variation left after the covariates, and more students than fixed effects
        sizes = [*sizes, k + 3]
    rng = np.random.default_rng(seed)
    codes = np.repeat(np.arange(len(sizes)), sizes)
    x = rng.normal(size=(codes.size, k))
    y = x @ np.full(k, 0.5) + rng.normal(0.0, math.sqrt(tau), len(sizes))[codes] + rng.normal(size=codes.size)
    case = Case([f"g{c}" for c in codes], y, x, {})
    _, dense = _stats(case)
    fit = fit_value_added(data_of(case)).fit
    ref = dense.fit()
    assert math.isfinite(fit.loglik)
    assert fit.loglik >= ref.loglik - 1e-7 * (1 + abs(ref.loglik))
    if fit.boundary:
        assert fit.gradient <= 0.0
    else:
        assert abs(fit.ratio * fit.gradient * fit.residual_variance) < 1e-6
