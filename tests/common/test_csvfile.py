"""The one low-level CSV reader (gaozhong/common/csvfile.py): decoding, the blank-record rule, line numbers, and
that the columnar route (drop blank records, parse with Polars) gives the row-by-row route's records and lines.
Also: no other module reads CSV with the csv module."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaozhong.common.csvfile import EMPTY_FILE, csv_from_bytes, is_blank_record, load_csv
from gaozhong.common.errors import InputError, Problem

ROOT = Path(__file__).resolve().parents[2] / "gaozhong"


def test_the_three_encodings_give_one_reading():
    text = "学号,姓名\r\nA1,王小明\r\n\r\nA2,李\u3000华\r\n"
    readings = []
    for raw in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030")):
        f = csv_from_bytes(raw, "t.csv")
        readings.append((f.header, [tuple(r) for r in f.records()]))
    assert readings[0] == readings[1] == readings[2]
    assert readings[0] == (["学号", "姓名"], [(2, 2, ["A1", "王小明"]), (4, 4, ["A2", "李\u3000华"])])


@pytest.mark.parametrize("blank", ["", ",", ",,,", "  ", "\t, ,\u3000", '"",""', " , "])
def test_a_blank_record_is_skipped_wherever_it_is(blank):
    raw = f"a,b\n{blank}\nx,1\n{blank}\n{blank}\ny,2\n{blank}\n".encode()
    f = csv_from_bytes(raw, "t.csv")
    assert [(r.line, r.fields) for r in f.records()] == [(3, ["x", "1"]), (6, ["y", "2"])]
    assert is_blank_record(next(csv.reader([blank]), [""]))


def test_a_record_with_one_value_is_not_blank():
    f = csv_from_bytes(b"a,b\n,1\n \xe3\x80\x80,x\n", "t.csv")
    assert [r.fields for r in f.records()] == [["", "1"], [" \u3000", "x"]]


def test_lines_count_values_quoted_across_lines_and_rows_count_records():
    f = csv_from_bytes('a,b\n"x\ny",1\n\nz,2\n'.encode(), "t.csv")
    assert [(r.line, r.row) for r in f.records()] == [(2, 2), (5, 4)]
    assert [(r.line, r.row) for r in f.records(keep_blank=True)] == [(2, 2), (4, 3), (5, 4)]


def test_blank_lines_at_the_end_are_cut_and_counted_the_last_value_keeps_its_spaces():
    f = csv_from_bytes(b"a,b\r\nx,1  \r\n\r\n \r\n\r\n", "t.csv")
    assert f.trailing_blank_lines == 3
    assert [r.fields for r in f.records()] == [["x", "1  "]]


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"\n\r\n \n", b"   "])
def test_a_file_without_a_header_line_is_refused_on_line_1(raw):
    with pytest.raises(InputError) as info:
        csv_from_bytes(raw, "t.csv")
    assert info.value.problems == [Problem("t.csv", 1, None, EMPTY_FILE)]


def test_malformed_quoting_names_its_line_after_the_records_before_it():
    f = csv_from_bytes(b'a,b\nx,1\n"y"z,2\n', "t.csv")
    got = []
    with pytest.raises(InputError) as info:
        for r in f.records():
            got.append(r.fields)
    assert got == [["x", "1"]]
    [problem] = info.value.problems
    assert (problem.file, problem.line) == ("t.csv", 3) and problem.reason.startswith("CSV 格式错误")


def test_undecodable_bytes_and_missing_files_are_input_errors(tmp_path):
    with pytest.raises(InputError) as info:
        csv_from_bytes(b"a,b\n\xff\xfe\xff,1\n", "t.csv").make_utf8()
    assert "GB18030" in str(info.value)
    with pytest.raises(InputError, match="文件不存在"):
        load_csv(tmp_path / "none.csv")
    with pytest.raises(InputError, match="是目录"):
        load_csv(tmp_path)


values = st.text(alphabet="ab ,\"\n\u3000\t中", max_size=4)


@st.composite
def csv_files(draw):
    width = draw(st.integers(1, 4))
    records = draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=12))
    blanks = st.sampled_from(["", ",", " ,\t", "\u3000", ",,,,", '""'])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"c{i}" for i in range(width)])
    for record in records:
        for _ in range(draw(st.integers(0, 2))):
            out.write(draw(blanks) + "\n")
        writer.writerow(record)
    return out.getvalue() + draw(st.sampled_from(["", "\n", "\n\n ,\n"]))


@settings(max_examples=300, deadline=None)
@given(csv_files())
def test_the_columnar_route_gives_the_row_by_row_records_and_lines(text):
    """Dropping blank records and parsing the bytes with Polars yields exactly the records (and their lines)
    that the record iterator yields, so engines with a fast path follow the same rule."""
    expected = list(csv_from_bytes(text.encode(), "t.csv").records())
    f = csv_from_bytes(text.encode(), "t.csv")
    f.drop_blank_records()
    if expected:
        frame = pl.read_csv(f.data, infer_schema=False, has_header=True, truncate_ragged_lines=False)
        assert frame.height == len(expected)
        assert [["" if v is None else v for v in row] for row in frame.rows()] == [r.fields for r in expected]
        assert f.lines(list(range(len(expected)))).tolist() == [r.line for r in expected]


def test_no_other_module_reads_csv_itself():
    """Every CSV file goes through gaozhong/common/csvfile.py. The one exception (admissions/services/outputs.py) reads back text the
    admission engine itself wrote (not a file from a user)."""
    allowed = {ROOT / "common" / "csvfile.py", ROOT / "admissions" / "services" / "outputs.py"}
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path in allowed or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "csv" \
                    and node.attr in ("reader", "DictReader", "Sniffer"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} csv.{node.attr}")
    assert offenders == []
