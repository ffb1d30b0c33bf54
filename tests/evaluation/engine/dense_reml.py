"""An independent REML for the random-intercept model, written straight from the textbook formula.

    ℓ_R(τ, σ²) = −½ [ log|V| + log|XᵀV⁻¹X| + (y − Xβ̂)ᵀV⁻¹(y − Xβ̂) + (N − p) log 2π ],
    V = blockdiag(σ² I + τ 11ᵀ),  β̂ = (XᵀV⁻¹X)⁻¹ XᵀV⁻¹y

Each block V_j is built as a dense matrix and handled with ``numpy.linalg`` (no group-sum algebra, no
profiling); both variances are maximised with SciPy's Nelder–Mead over (s, log σ²) with τ = s², so τ = 0 is
reachable. It shares no code with the engine and is only for checking it.
"""

from __future__ import annotations

import ctypes
import math
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy
from scipy import linalg, optimize

# (package whose wheel bundles OpenBLAS, library file pattern, get/set thread-count symbols)
_OPENBLAS = [
    (np, "numpy.libs/libscipy_openblas64_*.so", "scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    (scipy, "scipy.libs/libscipy_openblas*.so", "scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
]


@contextmanager
def single_threaded_blas():
    """Run OpenBLAS on one thread inside the block and restore the previous count after it.

    The dense check does thousands of small factorisations; on a busy 2-core machine OpenBLAS worker threads
    then mostly wait for each other (a 20-fold slow-down was seen). Best effort: without the bundled library
    nothing changes.
    """
    restore = []
    for package, pattern, get_name, set_name in _OPENBLAS:
        for path in Path(package.__file__).parent.parent.glob(pattern):
            lib = ctypes.CDLL(str(path))
            if hasattr(lib, get_name) and hasattr(lib, set_name):
                previous = getattr(lib, get_name)()
                getattr(lib, set_name)(1)
                restore.append((getattr(lib, set_name), previous))
    try:
        yield
    finally:
        for setter, previous in restore:
            setter(previous)


@dataclass
class DenseFit:
    tau: float
    sigma2: float
    beta: np.ndarray
    loglik: float


def _blocks(y, x, codes):
    n = y.shape[0]
    design = np.column_stack([np.ones(n), x]) if x.size else np.ones((n, 1))
    order = np.argsort(codes, kind="stable")
    blocks = []
    for g in np.unique(codes):
        rows = order[codes[order] == g]
        blocks.append((g, design[rows], y[rows]))
    return design.shape[1], blocks


class DenseReml:
    """REML pieces for fixed data; every method recomputes from the dense blocks."""

    def __init__(self, y: np.ndarray, x: np.ndarray, codes: np.ndarray):
        self.n = y.shape[0]
        self.p, self.blocks = _blocks(np.asarray(y, float), np.asarray(x, float).reshape(len(y), -1), np.asarray(codes))

    def _gls(self, tau: float, sigma2: float):
        p = self.p
        xtvx = np.zeros((p, p))
        xtvy = np.zeros(p)
        logdet_v = 0.0
        inverses = []
        for _, xb, yb in self.blocks:
            v = sigma2 * np.eye(len(yb)) + tau * np.ones((len(yb), len(yb)))
            factor = linalg.cho_factor(v, lower=True)
            logdet_v += 2.0 * float(np.log(np.diag(factor[0])).sum())
            solved = linalg.cho_solve(factor, np.column_stack([xb, yb, np.ones(len(yb))]))  # V⁻¹ [X y 1]
            inverses.append(solved)
            xtvx += xb.T @ solved[:, :p]
            xtvy += xb.T @ solved[:, p]
        beta = np.linalg.solve(xtvx, xtvy)
        return beta, xtvx, logdet_v, inverses

    def loglik(self, tau: float, sigma2: float) -> float:
        with single_threaded_blas():
            return self._loglik(tau, sigma2)

    def _loglik(self, tau: float, sigma2: float) -> float:
        beta, xtvx, logdet_v, inverses = self._gls(tau, sigma2)
        quad = 0.0
        for (_, xb, yb), solved in zip(self.blocks, inverses):
            r = yb - xb @ beta
            quad += r @ (solved[:, self.p] - solved[:, : self.p] @ beta)  # rᵀ V⁻¹ r
        sign, logdet_x = np.linalg.slogdet(xtvx)
        return -0.5 * (logdet_v + logdet_x + quad + (self.n - self.p) * math.log(2 * math.pi))

    def beta(self, tau: float, sigma2: float) -> np.ndarray:
        return self._gls(tau, sigma2)[0]

    def blups(self, tau: float, sigma2: float) -> dict:
        """group code → (BLUP τ·1ᵀV⁻¹r, conditional variance τ − τ²·1ᵀV⁻¹1, size)."""
        with single_threaded_blas():
            beta, _, _, inverses = self._gls(tau, sigma2)
        out = {}
        for (g, xb, yb), solved in zip(self.blocks, inverses):
            one = np.ones(len(yb))
            vinv_r = solved[:, self.p] - solved[:, : self.p] @ beta  # V⁻¹ r
            vinv_1 = solved[:, self.p + 1]
            out[int(g)] = (tau * one @ vinv_r, tau - tau * tau * one @ vinv_1, len(yb))
        return out

    def fit(self, start: tuple[float, float] | None = None) -> DenseFit:
        with single_threaded_blas():
            return self._fit(start)

    def _fit(self, start: tuple[float, float] | None) -> DenseFit:
        if start is None:
            s2 = float(np.var(np.concatenate([yb - yb.mean() for _, _, yb in self.blocks])))
            start = (math.sqrt(max(s2, 1e-6) * 0.2), max(s2, 1e-6))
        x0 = np.array([math.sqrt(start[0]), math.log(start[1])])

        def objective(v):
            return -self._loglik(v[0] ** 2, math.exp(v[1]))

        first = optimize.minimize(objective, x0, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-9})
        # polish with a small simplex around the quasi-Newton point (derivative-free, so no step-size bias)
        x1 = first.x
        simplex = np.array([x1, x1 + [1e-3 * max(abs(x1[0]), 1e-3), 0.0], x1 + [0.0, 1e-3]])
        best = optimize.minimize(objective, x1, method="Nelder-Mead",
                                 options={"initial_simplex": simplex, "xatol": 1e-10, "fatol": 1e-12, "maxfev": 4000})
        if first.fun < best.fun:
            best = first
        tau, sigma2 = float(best.x[0] ** 2), float(math.exp(best.x[1]))
        return DenseFit(tau, sigma2, self.beta(tau, sigma2), -float(best.fun))
