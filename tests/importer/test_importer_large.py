"""100,000-row files read completely and correctly (usability, not speed: bench/importer.py measures that).

The files here have the four identity columns of a student roster, which is what a scale test needs (row
numbers, uniqueness across the whole file, nothing cut off) at a fraction of the 10-column cost; the benchmark
reads the full students table.
"""

from __future__ import annotations

import csv
import io

import pytest

from gaozhong.common.errors import InputError
from gaozhong.importer import TableSpec, read_table

from ._support import STUDENTS, students
from ._xlsx_writer import write_fast_xlsx

N = 100_000
KEYS = ("student_no", "id_number", "name", "birth_date")
ROSTER = TableSpec(name="roster", title_zh="名册", sheet_name="学生", columns=[STUDENTS.column(k) for k in KEYS])
HEADERS = [STUDENTS.column(k).header_zh for k in KEYS]


@pytest.fixture(scope="module")
def truth():
    return [{k: s[k] for k in KEYS} for s in students(N, seed=2025)]


def test_100k_row_xlsx_reads_every_row_correctly(tmp_path, truth):
    """Laid out as Excel saves it (shared strings, text-formatted ids, date cells); see _xlsx_writer."""
    path = write_fast_xlsx(tmp_path / "big.xlsx", "学生", [HEADERS] + [[s[k] for k in KEYS] for s in truth])
    result = read_table(path, ROSTER)
    assert len(result) == N
    assert result.rows[-1].line == N + 1
    assert [r.values for r in result.rows] == truth


def test_100k_row_csv_reads_every_row_and_reports_a_late_error(truth):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for s in truth:
        writer.writerow([s["student_no"], s["id_number"], s["name"], s["birth_date"].isoformat()])
    result = read_table(buf.getvalue().encode("gb18030"), ROSTER, name="big.csv")
    assert [r.values for r in result.rows] == truth

    lines = buf.getvalue().split("\r\n")
    cells = lines[N].split(",")
    cells[1] = truth[0]["id_number"]  # the last row repeats the first row's ID number
    lines[N] = ",".join(cells)
    with pytest.raises(InputError) as info:
        read_table("\r\n".join(lines).encode(), ROSTER, name="big.csv")
    [p] = info.value.problems
    assert (p.line, p.column) == (N + 1, "身份证号") and "第 2 行" in p.reason
