"""Reading DATA.csv: both reading routes give the same data, group codes follow first appearance."""

from __future__ import annotations

import numpy as np
import pytest

from gaozhong.evaluation.engine import reader as reader_module
from gaozhong.evaluation.engine.reader import read_value_added_csv

from .gen import codes_of, school_data, write_csv

ARGS = dict(outcome="gaokao", group="school", covariates=("entry",))


def _same(a, b):
    assert a.labels == b.labels
    assert np.array_equal(a.codes, b.codes)
    assert np.array_equal(a.y, b.y) and np.array_equal(a.x, b.x)


def test_plain_file_takes_the_polars_route_and_quoted_the_csv_route(tmp_path, monkeypatch):
    case = school_data(71, [7, 3, 12, 1, 9], tau=4.0)
    plain = write_csv(tmp_path / "plain.csv", case)
    quoted = write_csv(tmp_path / "quoted.csv", case, quote_all=True)
    calls = []
    slow = reader_module._read_slow
    monkeypatch.setattr(reader_module, "_read_slow", lambda *a: calls.append(1) or slow(*a))
    fast = read_value_added_csv(plain, **ARGS)
    assert calls == []
    walked = read_value_added_csv(quoted, **ARGS)
    assert calls == [1]
    _same(fast, walked)
    codes, labels = codes_of(case.groups)
    assert list(fast.labels) == labels and np.array_equal(fast.codes, codes)
    assert np.array_equal(fast.y, np.asarray(case.y)) and np.array_equal(fast.x, case.x)  # repr() round-trips


def test_crlf_bom_and_trailing_line_breaks_are_read_alike(tmp_path):
    case = school_data(72, [5, 6, 7], tau=4.0)
    base = write_csv(tmp_path / "base.csv", case)
    raw = base.read_bytes()
    variants = {
        "crlf.csv": raw.replace(b"\n", b"\r\n"),
        "bom.csv": b"\xef\xbb\xbf" + raw,
        "trailing.csv": raw + b"\n\n\r\n",
        "noeol.csv": raw.rstrip(b"\n"),
    }
    ref = read_value_added_csv(base, **ARGS)
    for name, content in variants.items():
        (tmp_path / name).write_bytes(content)
        _same(ref, read_value_added_csv(tmp_path / name, **ARGS))


def test_columns_are_found_by_name_in_any_position(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("gaokao,x,school,entry\n560,a,B,500\n570,b,A,510\n580,c,B,520.5\n", encoding="utf-8")
    data = read_value_added_csv(path, **ARGS)
    assert data.labels == ("B", "A")
    assert data.codes.tolist() == [0, 1, 0]
    assert data.y.tolist() == [560.0, 570.0, 580.0]
    assert data.x[:, 0].tolist() == [500.0, 510.0, 520.5]


@pytest.mark.parametrize("text", ["+.5", "1.", "1E+05", "-0.25e-3", "7"])
def test_number_forms_accepted(tmp_path, text):
    path = tmp_path / "d.csv"
    path.write_text(f"school,entry,gaokao\nA,1,{text}\nB,2,3\n", encoding="utf-8")
    assert read_value_added_csv(path, **ARGS).y[0] == float(text)
