"""Benchmark of ``gaozhong evaluation value-added`` against statsmodels' MixedLM (issue 9, part 3).

Generates a city (50,000 students in 100 schools) and a province (1,000,000 students in 2,000 schools) with an
entry-score covariate, runs the command end to end in a subprocess (start-up, reading, fit, JSON output), runs
statsmodels MixedLM (REML) on the same file in another subprocess with a time cap, and checks both against an
exact REML computed here independently: the REML log-likelihood in (τ, σ²) written from the per-group closed
forms V_j⁻¹ = (I − γ_j 11ᵀ)/σ², γ_j = τ/(σ² + n_j τ), |V_j| = σ^{2n_j}(1 + n_j τ/σ²), maximised with SciPy over
both variances. Prints wall seconds, peak memory (ru_maxrss of each child from os.wait4) and the ratios.

    .venv/bin/python bench/value_added.py [--only city|province] [--runs 3] [--statsmodels-cap 300]

Goals: city ≤ 1 s end to end, province ≤ 10 s, each agreeing with the exact REML to 1e-4 (relative).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SCALES = {"city": (50_000, 100, 1.0), "province": (1_000_000, 2_000, 10.0)}  # students, schools, goal seconds
TAU, SIGMA2, SLOPE, INTERCEPT = 100.0, 1600.0, 0.9, 120.0

STATSMODELS_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
import statsmodels.formula.api as smf
t1 = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype={"school": str})
t2 = time.perf_counter()
model = smf.mixedlm("gaokao ~ entry", frame, groups=frame["school"])
result = model.fit(reml=True)
t3 = time.perf_counter()
print(json.dumps({
    "import_s": t1 - t0, "read_s": t2 - t1, "fit_s": t3 - t2,
    "intercept": float(result.fe_params["Intercept"]), "entry": float(result.fe_params["entry"]),
    "group_variance": float(result.cov_re.iloc[0, 0]), "residual_variance": float(result.scale),
    "converged": bool(result.converged),
}))
"""


def generate(path: Path, students: int, schools: int, seed: int) -> None:
    """Schools of unequal size with different intakes; gaokao = 120 + 0.9·entry + u_school + e."""
    import polars as pl

    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 0.5, schools)
    sizes = np.maximum(20, np.round(weights / weights.sum() * students)).astype(int)
    sizes[np.argmax(sizes)] += students - sizes.sum()
    codes = rng.permutation(np.repeat(np.arange(schools), sizes))
    intake = rng.normal(500.0, 40.0, schools)
    effect = rng.normal(0.0, math.sqrt(TAU), schools)
    entry = np.round(intake[codes] + rng.normal(0.0, 70.0, students), 1)
    gaokao = np.round(INTERCEPT + SLOPE * entry + effect[codes] + rng.normal(0.0, math.sqrt(SIGMA2), students), 1)
    names = np.array([f"1405{j:05d}" for j in range(schools)])
    pl.DataFrame(
        {"student_id": np.arange(1, students + 1), "school": names[codes], "entry": entry, "gaokao": gaokao}
    ).write_csv(path)


def run_child(argv: list[str], timeout: float | None = None) -> dict:
    """Run a child process; wall seconds, peak RSS (MiB) of that child alone, stdout; killed at ``timeout``."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=err)
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if timeout is not None and time.perf_counter() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return {
        "wall_s": wall,
        "peak_mib": usage.ru_maxrss / 1024.0,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rc": proc.returncode,
        "timed_out": timed_out,
        "stdout": out.read().decode("utf-8", "replace"),
        "stderr": err.read().decode("utf-8", "replace"),
    }


class ExactReml:
    """REML log-likelihood in (τ, σ²) from group sums of centred data; maximised over both variances."""

    def __init__(self, path: Path):
        import polars as pl

        frame = pl.read_csv(path, schema_overrides={"school": pl.String})
        _, codes = np.unique(frame["school"].to_numpy(), return_inverse=True)
        y = frame["gaokao"].to_numpy().astype(float)
        x = frame["entry"].to_numpy().astype(float)
        self.ybar, self.xbar = y.mean(), x.mean()
        y, x = y - self.ybar, x - self.xbar
        design = np.column_stack([np.ones_like(x), x])
        self.n_obs, self.p = design.shape
        self.sizes = np.bincount(codes).astype(float)
        self.sx = np.column_stack([np.bincount(codes, weights=c) for c in design.T])  # X_jᵀ1
        self.sy = np.bincount(codes, weights=y)  # y_jᵀ1
        self.xtx, self.xty, self.yty = design.T @ design, design.T @ y, float(y @ y)

    def loglik(self, tau: float, sigma2: float) -> tuple[float, np.ndarray]:
        gamma = tau / (sigma2 + self.sizes * tau)
        xvx = (self.xtx - (self.sx * gamma[:, None]).T @ self.sx) / sigma2
        xvy = (self.xty - (self.sx * gamma[:, None]).T @ self.sy) / sigma2
        yvy = (self.yty - float(gamma @ (self.sy * self.sy))) / sigma2
        beta = np.linalg.solve(xvx, xvy)
        quad = yvy - float(beta @ xvy)
        logdet_v = self.n_obs * math.log(sigma2) + float(np.log1p(self.sizes * tau / sigma2).sum())
        logdet_x = float(np.linalg.slogdet(xvx)[1])
        ll = -0.5 * (logdet_v + logdet_x + quad + (self.n_obs - self.p) * math.log(2 * math.pi))
        return ll, beta

    def fixed(self, beta: np.ndarray) -> tuple[float, float]:
        return float(beta[0] + self.ybar - beta[1] * self.xbar), float(beta[1])

    def maximise(self) -> dict:
        from scipy import optimize

        start = np.array([math.sqrt(TAU / 2), math.log(SIGMA2 * 2)])  # a rough start, far from the answer

        def objective(v):
            return -self.loglik(v[0] ** 2, math.exp(v[1]))[0]

        res = optimize.minimize(objective, start, method="Nelder-Mead",
                                options={"xatol": 1e-12, "fatol": 1e-12, "maxfev": 20000})
        res = optimize.minimize(objective, res.x, method="Nelder-Mead",
                                options={"xatol": 1e-12, "fatol": 1e-12, "maxfev": 20000})
        tau, sigma2 = float(res.x[0] ** 2), float(math.exp(res.x[1]))
        ll, beta = self.loglik(tau, sigma2)
        intercept, entry = self.fixed(beta)
        return {"group_variance": tau, "residual_variance": sigma2, "intercept": intercept, "entry": entry, "loglik": ll}


def rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-12)


def command() -> list[str]:
    script = Path(sys.executable).with_name("gaozhong")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gaozhong.cli"]


def bench(scale: str, workdir: Path, runs: int, cap: float, seed: int) -> dict:
    students, schools, goal = SCALES[scale]
    path = workdir / f"{scale}.csv"
    t = time.perf_counter()
    generate(path, students, schools, seed)
    print(f"\n== {scale}: {students:,} students, {schools:,} schools ({path.stat().st_size / 2**20:.1f} MiB CSV, "
          f"generated in {time.perf_counter() - t:.1f} s)")
    argv = command() + ["evaluation", "value-added", str(path), "--outcome", "gaokao", "--group", "school",
                        "--covariate", "entry", "--json"]
    ours = []
    for i in range(runs):
        r = run_child(argv)
        if r["rc"] != 0:
            raise SystemExit(f"command failed (exit {r['rc']}):\n{r['stderr']}")
        ours.append(r)
        print(f"gaozhong run {i + 1}: {r['wall_s']:.3f} s wall, {r['cpu_s']:.3f} s CPU (user+sys), "
              f"peak {r['peak_mib']:.0f} MiB")
    out = json.loads(ours[0]["stdout"])
    walls = [r["wall_s"] for r in ours]
    median = statistics.median(walls)
    print(f"gaozhong: median {median:.3f} s, max {max(walls):.3f} s, peak {max(r['peak_mib'] for r in ours):.0f} MiB; "
          f"goal ≤ {goal:g} s: {'met' if median <= goal else 'NOT met'} (median)")
    print(f"  estimates: Intercept {out['fixed']['Intercept']:.6f}, entry {out['fixed']['entry']:.6f}, "
          f"tau {out['group_variance']:.6f}, sigma2 {out['residual_variance']:.6f}, "
          f"gradient dℓ/dτ {out['reml']['gradient']:.2e}, boundary {out['reml']['boundary']}")

    t = time.perf_counter()
    exact = ExactReml(path)
    ref = exact.maximise()
    ours_ll = exact.loglik(out["group_variance"], out["residual_variance"])[0]
    worst = max(rel(out["group_variance"], ref["group_variance"]), rel(out["residual_variance"], ref["residual_variance"]),
                rel(out["fixed"]["Intercept"], ref["intercept"]), rel(out["fixed"]["entry"], ref["entry"]))
    print(f"exact REML check ({time.perf_counter() - t:.1f} s): tau {ref['group_variance']:.6f}, "
          f"sigma2 {ref['residual_variance']:.6f}; largest relative difference {worst:.2e} "
          f"({'agrees' if worst <= 1e-4 else 'DISAGREES'} to 1e-4); ℓ(ours) − ℓ(check) = {ours_ll - ref['loglik']:.2e}")

    sm = run_child([sys.executable, "-c", STATSMODELS_SCRIPT, str(path)], timeout=cap)
    result = {"scale": scale, "ours_median_s": median, "ours_peak_mib": max(r["peak_mib"] for r in ours),
              "goal_s": goal, "agree": worst <= 1e-4}
    if sm["timed_out"]:
        print(f"statsmodels MixedLM: did not finish within the {cap:.0f} s cap (killed; peak {sm['peak_mib']:.0f} MiB "
              f"so far); ratio > {cap / median:.0f}x")
        result["statsmodels"] = "timeout"
    elif sm["rc"] != 0:
        print(f"statsmodels MixedLM: failed (exit {sm['rc']}): {sm['stderr'].strip().splitlines()[-1:]}")
        result["statsmodels"] = "failed"
    else:
        s = json.loads(sm["stdout"])
        sm_ll = exact.loglik(s["group_variance"], s["residual_variance"])[0]
        sm_worst = max(rel(s["group_variance"], ref["group_variance"]), rel(s["residual_variance"], ref["residual_variance"]),
                       rel(s["intercept"], ref["intercept"]), rel(s["entry"], ref["entry"]))
        print(f"statsmodels MixedLM: {sm['wall_s']:.2f} s wall, {sm['cpu_s']:.2f} s CPU (import {s['import_s']:.2f}, read {s['read_s']:.2f}, "
              f"fit {s['fit_s']:.2f}), peak {sm['peak_mib']:.0f} MiB, converged {s['converged']}")
        print(f"  estimates: tau {s['group_variance']:.6f}, sigma2 {s['residual_variance']:.6f}; largest relative "
              f"difference from the exact REML {sm_worst:.2e}; ℓ(statsmodels) − ℓ(check) = {sm_ll - ref['loglik']:.2e}")
        print(f"ratio statsmodels / gaozhong: {sm['wall_s'] / median:.1f}x end to end, "
              f"{s['fit_s'] / median:.1f}x (statsmodels fit alone vs our whole command)")
        result["statsmodels_s"] = sm["wall_s"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SCALES), help="run one scale only")
    parser.add_argument("--runs", type=int, default=3, help="runs of the command per scale (default 3)")
    parser.add_argument("--statsmodels-cap", type=float, default=300.0, help="seconds before MixedLM is stopped")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", type=Path, help="keep the generated CSV files in this directory")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
          f"python {sys.version.split()[0]}; command: {' '.join(command())}")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="va-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench(s, workdir, args.runs, args.statsmodels_cap, args.seed)
                   for s in ([args.only] if args.only else ["city", "province"])]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nsummary (load average {os.getloadavg()[0]:.2f} at the end):")
    for r in results:
        print(f"  {r['scale']}: {r['ours_median_s']:.3f} s (goal {r['goal_s']:g} s: "
              f"{'met' if r['ours_median_s'] <= r['goal_s'] else 'NOT met'}), peak {r['ours_peak_mib']:.0f} MiB, "
              f"exact REML agreement {'yes' if r['agree'] else 'NO'}")
    return 0 if all(r["agree"] and r["ours_median_s"] <= r["goal_s"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
