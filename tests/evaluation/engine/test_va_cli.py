"""The command contract, run through ``main([...])`` on generated DATA.csv files in tmp_path.

    gaozhong evaluation value-added DATA.csv --outcome COL --group COL [--covariate COL …]
                                    [--min-group-size N] [--json]
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats as sps

from .dense_reml import DenseReml
from .gen import Case, codes_of, school_data, write_csv
from .helpers import run, run_json

TOP_KEYS = ["fixed", "group_variance", "residual_variance", "n", "groups", "reml", "effects"]
EFFECT_KEYS = ["group", "n", "effect", "se", "ci_low", "ci_high", "label"]
BASE = ["--outcome", "gaokao", "--group", "school", "--covariate", "entry"]


@pytest.fixture
def city(tmp_path):
    case = school_data(51, [30, 8, 45, 12, 60, 25, 10, 9, 40, 33], tau=36.0, sigma2=100.0, slopes=(0.8,))
    return case, write_csv(tmp_path / "data.csv", case)


def test_json_has_the_contract_keys_in_order(city, capsys):
    case, path = city
    out = run_json(["value-added", str(path), *BASE], capsys)
    assert list(out) == TOP_KEYS
    assert list(out["fixed"]) == ["Intercept", "entry"]
    assert list(out["reml"]) == ["loglik", "ratio", "gradient", "boundary"]
    assert out["n"] == len(case.y) and out["groups"] == 10
    assert all(list(e) == EFFECT_KEYS for e in out["effects"])
    assert all(isinstance(e["group"], str) and isinstance(e["n"], int) for e in out["effects"])
    assert all(e["label"] in ("above", "below", "none") for e in out["effects"])


def test_estimates_agree_with_the_dense_reml(city, capsys):
    case, path = city
    out = run_json(["value-added", str(path), *BASE], capsys)
    codes, _ = codes_of(case.groups)
    dense = DenseReml(case.y, case.x, codes)
    ref = dense.fit()
    assert out["group_variance"] == pytest.approx(ref.tau, rel=1e-4)
    assert out["residual_variance"] == pytest.approx(ref.sigma2, rel=1e-4)
    assert [out["fixed"]["Intercept"], out["fixed"]["entry"]] == pytest.approx(list(ref.beta), rel=1e-4)
    assert out["reml"]["loglik"] >= ref.loglik - 1e-8


def test_effects_follow_first_appearance_and_keep_group_strings(tmp_path, capsys):
    names = ["乙校", "甲校", "010", "10", "S 1"]
    case = school_data(52, [20, 20, 20, 20, 20], names=names, tau=9.0, shuffle=True)
    path = write_csv(tmp_path / "data.csv", case)
    out = run_json(["value-added", str(path), *BASE], capsys)
    _, first_seen = codes_of(case.groups)
    assert [e["group"] for e in out["effects"]] == first_seen
    assert sorted(first_seen) == sorted(names)  # "010" and "10" stay two groups


def test_intervals_and_se_follow_the_formula(city, capsys):
    _, path = city
    out = run_json(["value-added", str(path), *BASE], capsys)
    tau, s2, z = out["group_variance"], out["residual_variance"], sps.norm.ppf(0.975)
    for e in out["effects"]:
        assert e["se"] == pytest.approx(math.sqrt(tau * s2 / (s2 + e["n"] * tau)), rel=1e-12)
        assert e["ci_low"] == pytest.approx(e["effect"] - z * e["se"], rel=1e-12, abs=1e-12)
        assert e["ci_high"] == pytest.approx(e["effect"] + z * e["se"], rel=1e-12, abs=1e-12)


def _expected_label(e: dict, minimum: int) -> str:
    if e["n"] >= minimum and e["ci_low"] > 0:
        return "above"
    if e["n"] >= minimum and e["ci_high"] < 0:
        return "below"
    return "none"


def test_labels_follow_the_rule_for_every_group(city, capsys):
    _, path = city
    for minimum in (1, 10, 31, 1000):
        args = ["value-added", str(path), *BASE] + (["--min-group-size", str(minimum)] if minimum != 10 else [])
        out = run_json(args, capsys)
        assert [e["label"] for e in out["effects"]] == [_expected_label(e, minimum) for e in out["effects"]]
    labelled = [e for e in run_json(["value-added", str(path), *BASE], capsys)["effects"] if e["label"] != "none"]
    assert labelled, "the generated city should have schools whose interval excludes 0"


def test_min_group_size_decides_small_schools(tmp_path, capsys):
    rng = np.random.default_rng(53)
    sizes = {f"S{j}": 200 for j in range(12)} | {"small5": 5, "edge10": 10}
    groups, x, y = [], [], []
    for name, n in sizes.items():
        bump = 40.0 if name in ("small5", "edge10") else rng.normal(0, 3)
        xs = rng.normal(500, 80, n)
        groups += [name] * n
        x += list(xs)
        y += list(150 + 0.8 * xs + bump + rng.normal(0, 10, n))
    case = Case(groups, np.array(y), np.array(x).reshape(-1, 1), {})
    path = write_csv(tmp_path / "data.csv", case)
    default = {e["group"]: e for e in run_json(["value-added", str(path), *BASE], capsys)["effects"]}
    assert default["small5"]["ci_low"] > 0  # the interval excludes 0 …
    assert default["small5"]["label"] == "none"  # … but 5 < 10 students
    assert default["edge10"]["label"] == "above"  # n = 10 meets the default minimum
    five = {e["group"]: e for e in run_json(["value-added", str(path), *BASE, "--min-group-size", "5"], capsys)["effects"]}
    assert five["small5"]["label"] == "above"
    eleven = {e["group"]: e for e in run_json(["value-added", str(path), *BASE, "--min-group-size", "11"], capsys)["effects"]}
    assert eleven["edge10"]["label"] == "none"


def test_covariate_forms_are_equivalent_and_keep_their_order(tmp_path, capsys):
    case = school_data(54, [15] * 8, slopes=(0.8, 0.2), tau=16.0)
    path = write_csv(tmp_path / "data.csv", case, covariates=("entry", "math"))
    one = run_json(["value-added", str(path), "--outcome", "gaokao", "--group", "school", "--covariate", "entry", "math"], capsys)
    two = run_json(["value-added", str(path), "--outcome", "gaokao", "--group", "school", "--covariate", "entry",
                    "--covariate", "math"], capsys)
    assert one == two
    assert list(one["fixed"]) == ["Intercept", "entry", "math"]
    flipped = run_json(["value-added", str(path), "--outcome", "gaokao", "--group", "school", "--covariate", "math",
                        "entry"], capsys)
    assert list(flipped["fixed"]) == ["Intercept", "math", "entry"]
    assert flipped["fixed"]["entry"] == pytest.approx(one["fixed"]["entry"], rel=1e-10)


def test_no_covariate(tmp_path, capsys):
    case = school_data(55, [15] * 8, slopes=(), tau=16.0)
    path = write_csv(tmp_path / "data.csv", case, covariates=())
    out = run_json(["value-added", str(path), "--outcome", "gaokao", "--group", "school"], capsys)
    assert list(out["fixed"]) == ["Intercept"]
    codes, _ = codes_of(case.groups)
    ref = DenseReml(case.y, case.x, codes).fit()
    assert out["group_variance"] == pytest.approx(ref.tau, rel=1e-4)


def test_json_output_is_utf8_text_with_chinese_group_names(tmp_path, capsys):
    case = school_data(56, [12, 12, 12], names=["晋城一中", "晋城二中", "泽州一中"], tau=9.0)
    path = write_csv(tmp_path / "data.csv", case)
    code, out, err = run(["value-added", str(path), *BASE, "--json"], capsys)
    assert code == 0 and "晋城一中" in out and "\\u" not in out
    assert out.endswith("}\n")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_encodings_give_the_same_result(tmp_path, capsys, encoding):
    case = school_data(57, [12, 15, 20, 9], names=["晋城一中", "晋城二中", "泽州一中", "高平一中"], tau=9.0)
    plain = write_csv(tmp_path / "utf8.csv", case, outcome="高考", group="学校", covariates=("中考",))
    other = write_csv(tmp_path / "other.csv", case, outcome="高考", group="学校", covariates=("中考",), encoding=encoding)
    args = ["--outcome", "高考", "--group", "学校", "--covariate", "中考"]
    assert plain.read_bytes() != other.read_bytes()
    assert run_json(["value-added", str(plain), *args], capsys) == run_json(["value-added", str(other), *args], capsys)


def test_quoted_file_gives_the_same_result(tmp_path, capsys):
    case = school_data(58, [12, 15, 20, 9], tau=9.0)
    plain = write_csv(tmp_path / "plain.csv", case)
    quoted = write_csv(tmp_path / "quoted.csv", case, quote_all=True)
    assert b'"' in quoted.read_bytes() and b'"' not in plain.read_bytes()
    assert run_json(["value-added", str(plain), *BASE], capsys) == run_json(["value-added", str(quoted), *BASE], capsys)


def test_table_output(city, capsys):
    case, path = city
    code, text, err = run(["value-added", str(path), *BASE], capsys)
    assert code == 0 and err == ""
    data = run_json(["value-added", str(path), *BASE], capsys)
    lines = text.splitlines()
    assert lines[0] == "增值评价 value-added model (REML): gaokao ~ entry + (1 | school)"
    assert lines[1] == f"文件 file: data.csv    学生 students: {len(case.y)}    分组 groups: 10"
    assert "not a ranking" in text
    head = lines.index(next(line for line in lines if line.startswith("group ")))
    assert lines[head].split() == EFFECT_KEYS
    rows = [line.split() for line in lines[head + 1 :]]
    assert len(rows) == 10
    for row, e in zip(rows, data["effects"]):
        assert row[0] == e["group"] and int(row[1]) == e["n"] and row[6] == e["label"]
        for cell, key in zip(row[2:6], ["effect", "se", "ci_low", "ci_high"]):
            assert cell == f"{e[key]:.4f}"
    assert f"{data['fixed']['entry']: .6f}" in text and f"{data['group_variance']:.6f}" in text


def test_help_and_usage(capsys):
    assert run(["--help"], capsys)[0] == 0
    assert run(["value-added", "--help"], capsys)[0] == 0
    code, out, err = run([], capsys)
    assert code == 2 and out == "" and "ACTION" in err
    assert run(["rank-schools"], capsys)[0] == 2


def test_json_round_trips_floats_exactly(city, capsys):
    _, path = city
    code, out, _ = run(["value-added", str(path), *BASE, "--json"], capsys)
    parsed = json.loads(out)
    assert json.dumps(parsed, ensure_ascii=False, indent=2) + "\n" == out
