"""The Exam data (4,059 students, 65 schools): normexam ~ standLRT + (1 | school) by REML.

Reference values: intercept 0.002323, slope 0.563307, school variance 0.093839, residual 0.565865 (issue 9).
Checked against the dense textbook REML maximised with SciPy, and against statsmodels' MixedLM, which stops a
little short of the optimum on these data.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from gaozhong.evaluation.engine.reader import read_value_added_csv
from gaozhong.evaluation.engine.value_added import fit_value_added

from .dense_reml import DenseReml
from .helpers import run_json

SHARED = Path(os.environ.get("GAOZHONG_SHARED_DATA", Path(__file__).resolve().parents[1] / "data"))
EXAM = SHARED / "exam-mlmrev.csv"
ARGS = [str(EXAM), "--outcome", "normexam", "--group", "school", "--covariate", "standLRT"]


@pytest.fixture(scope="module")
def exam():
    assert EXAM.is_file(), f"the Exam data are expected at {EXAM} (set GAOZHONG_SHARED_DATA)"
    data = read_value_added_csv(EXAM, outcome="normexam", group="school", covariates=["standLRT"])
    return data, fit_value_added(data)


@pytest.fixture(scope="module")
def dense(exam):
    data, _ = exam
    checker = DenseReml(data.y, data.x, data.codes)
    return checker, checker.fit()


def test_exam_estimates_match_the_reference(capsys):
    out = run_json(["value-added", *ARGS], capsys)
    assert out["n"] == 4059 and out["groups"] == 65
    assert out["fixed"]["Intercept"] == pytest.approx(0.002323, abs=5e-7)
    assert out["fixed"]["standLRT"] == pytest.approx(0.563307, abs=5e-7)
    assert out["group_variance"] == pytest.approx(0.093839, abs=5e-7)
    assert out["residual_variance"] == pytest.approx(0.565865, abs=5e-7)
    assert out["reml"]["boundary"] is False
    assert abs(out["reml"]["gradient"]) < 1e-6
    assert [e["group"] for e in out["effects"]] == [str(i) for i in range(1, 66)]
    assert sum(e["n"] for e in out["effects"]) == 4059


def test_exam_agrees_with_the_dense_reml_to_1e4(exam, dense):
    _, result = exam
    checker, ref = dense
    fit = result.fit
    assert fit.group_variance == pytest.approx(ref.tau, abs=1e-4)
    assert fit.residual_variance == pytest.approx(ref.sigma2, abs=1e-4)
    assert fit.fixed["Intercept"] == pytest.approx(ref.beta[0], abs=1e-4)
    assert fit.fixed["standLRT"] == pytest.approx(ref.beta[1], abs=1e-4)
    assert fit.loglik == pytest.approx(checker.loglik(fit.group_variance, fit.residual_variance), abs=1e-8)
    assert fit.loglik >= ref.loglik - 1e-9


def test_exam_dense_gradient_vanishes_at_the_estimate(exam, dense):
    _, result = exam
    checker, _ = dense
    tau, s2 = result.fit.group_variance, result.fit.residual_variance
    h = 1e-6
    d_tau = (checker.loglik(tau + h, s2) - checker.loglik(tau - h, s2)) / (2 * h)
    d_s2 = (checker.loglik(tau, s2 + h) - checker.loglik(tau, s2 - h)) / (2 * h)
    # curvature in τ is about −3,700 here, so |∂ℓ/∂τ| < 1e-3 pins τ to well under 1e-6
    assert abs(d_tau) < 1e-3 and abs(d_s2) < 1e-3


def test_exam_effects_match_dense_blups(exam, dense):
    data, result = exam
    checker, _ = dense
    blups = checker.blups(result.fit.group_variance, result.fit.residual_variance)
    for code, e in enumerate(result.effects):
        blup, cond_var, size = blups[code]
        assert (e.n, e.effect, e.se**2) == (size, pytest.approx(blup, abs=1e-10), pytest.approx(cond_var, abs=1e-12))
    labels = [e.label for e in result.effects]
    assert labels.count("above") + labels.count("below") > 0 and labels.count("none") > 0


def test_exam_statsmodels_is_close_but_not_better(exam, dense):
    import statsmodels.formula.api as smf
    import pandas as pd

    data, result = exam
    checker, _ = dense
    frame = pd.DataFrame({"normexam": data.y, "standLRT": data.x[:, 0], "school": np.asarray(data.labels)[data.codes]})
    sm = smf.mixedlm("normexam ~ standLRT", frame, groups=frame["school"]).fit(reml=True)
    sm_tau, sm_s2 = float(sm.cov_re.iloc[0, 0]), float(sm.scale)
    assert sm_tau == pytest.approx(result.fit.group_variance, abs=1e-4)
    assert sm_s2 == pytest.approx(result.fit.residual_variance, abs=1e-4)
    assert checker.loglik(sm_tau, sm_s2) <= result.fit.loglik + 1e-9
