"""Shared helpers for the value-added tests: build engine input from a generated case, run the command."""

from __future__ import annotations

import json

import numpy as np

from gaozhong.evaluation.cli import main
from gaozhong.evaluation.engine.types import ValueAddedData

from .gen import Case, codes_of


def data_of(case: Case, covariates: tuple[str, ...] | None = None) -> ValueAddedData:
    codes, labels = codes_of(case.groups)
    k = case.x.shape[1]
    names = covariates if covariates is not None else tuple(f"x{i + 1}" for i in range(k))
    return ValueAddedData(
        source="generated.csv",
        outcome="y",
        group="school",
        covariates=names,
        y=np.asarray(case.y, float),
        x=np.asarray(case.x, float).reshape(len(case.y), k),
        codes=codes,
        labels=tuple(labels),
    )


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(argv: list[str], capsys) -> dict:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    assert err == ""
    return json.loads(out)
