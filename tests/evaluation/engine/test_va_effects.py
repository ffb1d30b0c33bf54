"""Group effects: EBLUPs and their conditional variance against dense formulas, the interval and the label rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from gaozhong.evaluation.engine.effects import Z_95, effect_label, group_effects
from gaozhong.evaluation.engine.value_added import fit_value_added

from .dense_reml import DenseReml
from .gen import codes_of, school_data
from .helpers import data_of


def test_z_is_the_normal_0975_quantile():
    assert Z_95 == pytest.approx(sps.norm.ppf(0.975), abs=1e-15)


# Rule: seed 004 §8 (no single-score ranking): label only when the 95% interval excludes 0 and n ≥ minimum.
@pytest.mark.parametrize(
    "low,high,n,minimum,expected",
    [
        (0.1, 0.9, 10, 10, "above"),
        (0.1, 0.9, 9, 10, "none"),  # too few students
        (-0.9, -0.1, 10, 10, "below"),
        (-0.9, -0.1, 3, 10, "none"),
        (-0.1, 0.9, 500, 10, "none"),  # interval contains 0
        (0.0, 0.9, 500, 10, "none"),  # touches 0: does not exclude it
        (-0.9, 0.0, 500, 10, "none"),
        (0.0, 0.0, 500, 10, "none"),  # boundary τ = 0
        (1e-12, 2e-12, 1, 1, "above"),
        (-2e-12, -1e-12, 1, 1, "below"),
        (0.1, 0.9, 5, 5, "above"),
    ],
)
def test_label_rule(low, high, n, minimum, expected):
    assert effect_label(low, high, n, minimum) == expected


def test_effects_and_conditional_variance_match_dense_blups():
    case = school_data(41, [1, 2, 5, 9, 14, 30, 60, 3, 7, 11], tau=9.0, sigma2=100.0, slopes=(0.8,))
    codes, labels = codes_of(case.groups)
    result = fit_value_added(data_of(case), min_group_size=10)
    fit = result.fit
    dense = DenseReml(case.y, case.x, codes).blups(fit.group_variance, fit.residual_variance)
    assert [e.group for e in result.effects] == labels
    for code, e in enumerate(result.effects):
        blup, cond_var, size = dense[code]
        assert e.n == size
        assert e.effect == pytest.approx(blup, rel=1e-9, abs=1e-12)
        assert e.se**2 == pytest.approx(cond_var, rel=1e-9, abs=1e-12)
        tau, s2 = fit.group_variance, fit.residual_variance
        assert e.se == pytest.approx(math.sqrt(tau * s2 / (s2 + e.n * tau)), rel=1e-12)
        assert e.ci_low == pytest.approx(e.effect - sps.norm.ppf(0.975) * e.se, rel=1e-12, abs=1e-12)
        assert e.ci_high == pytest.approx(e.effect + sps.norm.ppf(0.975) * e.se, rel=1e-12, abs=1e-12)
        assert e.label == effect_label(e.ci_low, e.ci_high, e.n, 10)


@pytest.mark.parametrize("slopes", [(), (0.8,)])
def test_effects_sum_to_zero(slopes):
    # The intercept row of the GLS equations, Σ_j 1ᵀV_j⁻¹ r_j = 0, with effect_j = τ·1ᵀV_j⁻¹ r_j, makes Σ effect_j = 0.
    case = school_data(42, [4, 9, 16, 25, 36], tau=9.0, sigma2=50.0, slopes=slopes)
    result = fit_value_added(data_of(case))
    assert result.fit.group_variance > 0
    scale = max(abs(e.effect) for e in result.effects)
    assert sum(e.effect for e in result.effects) == pytest.approx(0.0, abs=1e-10 * scale)


def test_group_effects_with_zero_variance_are_all_zero():
    effects = group_effects(("a", "b"), np.array([3.0, 40.0]), np.array([1.5, -2.0]), 0.0, 4.0, 10)
    assert [(e.effect, e.se, e.ci_low, e.ci_high, e.label) for e in effects] == [(0.0, 0.0, 0.0, 0.0, "none")] * 2
