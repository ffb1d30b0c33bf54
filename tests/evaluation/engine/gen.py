"""Generated value-added data sets with known school effects, and CSV writing for command tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Case:
    groups: list[str]  # one group value per student, as written to the file
    y: np.ndarray
    x: np.ndarray  # (n, k)
    effects: dict[str, float]  # true u per group


def school_data(
    seed: int,
    sizes: list[int],
    *,
    tau: float = 4.0,
    sigma2: float = 100.0,
    slopes: tuple[float, ...] = (0.8,),
    intercept: float = 150.0,
    names: list[str] | None = None,
    shuffle: bool = True,
) -> Case:
    """Students in schools: y = intercept + x·slopes + u_school + e, x like entry scores (mean 500, sd 80)."""
    rng = np.random.default_rng(seed)
    names = names or [f"S{j:03d}" for j in range(len(sizes))]
    u = rng.normal(0.0, np.sqrt(tau), len(sizes))
    codes = np.repeat(np.arange(len(sizes)), sizes)
    n = codes.size
    x = rng.normal(500.0, 80.0, (n, len(slopes)))
    y = intercept + x @ np.asarray(slopes) + u[codes] + rng.normal(0.0, np.sqrt(sigma2), n)
    if shuffle:
        perm = rng.permutation(n)
        codes, x, y = codes[perm], x[perm], y[perm]
    return Case([names[c] for c in codes], y, x, {names[j]: float(u[j]) for j in range(len(sizes))})


def write_csv(path: Path, case: Case, *, outcome: str = "gaokao", group: str = "school",
              covariates: tuple[str, ...] = ("entry",), encoding: str = "utf-8", quote_all: bool = False) -> Path:
    """Write a case with an id column first, as a bureau export would have it."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["student_id", group, *covariates, outcome])
        for i, g in enumerate(case.groups):
            w.writerow([f"{i + 1:07d}", g, *[repr(float(v)) for v in case.x[i]], repr(float(case.y[i]))])
    return path


def codes_of(groups: list[str]) -> tuple[np.ndarray, list[str]]:
    """Group codes in order of first appearance, computed the plain way."""
    seen: dict[str, int] = {}
    codes = []
    for g in groups:
        if g not in seen:
            seen[g] = len(seen)
        codes.append(seen[g])
    return np.array(codes), list(seen)
