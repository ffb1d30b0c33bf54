"""Bad input: every problem on stderr as file:line: column …: reason, exit 2, nothing on stdout.

The command writes no file; its only output is stdout, so "write nothing" means stdout stays empty, and the
data file itself is left byte-identical.
"""

from __future__ import annotations

import pytest

from .gen import school_data, write_csv
from .helpers import run

BASE = ["--outcome", "gaokao", "--group", "school", "--covariate", "entry"]
HEADER = "student_id,school,entry,gaokao\n"


def good_rows(n_per=(6, 6, 6)) -> list[str]:
    rows, k = [], 0
    for j, n in enumerate(n_per):
        for i in range(n):
            k += 1
            rows.append(f"{k},S{j},{500 + 13 * i + 7 * j},{560 + 11 * i + 5 * j + (i * j) % 7}\n")
    return rows


def refused(tmp_path, capsys, content: bytes | str, args=BASE, name="data.csv") -> list[str]:
    path = tmp_path / name
    raw = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(raw)
    code, out, err = run(["value-added", str(path), *args], capsys)
    assert code == 2
    assert out == ""
    assert path.read_bytes() == raw
    return err.splitlines()


def test_good_rows_are_accepted(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(good_rows()), encoding="utf-8")
    code, out, err = run(["value-added", str(path), *BASE, "--json"], capsys)
    assert code == 0 and err == "" and out.startswith("{")


def test_missing_columns_are_all_named_on_line_1(tmp_path, capsys):
    lines = refused(tmp_path, capsys, HEADER + "".join(good_rows()),
                    args=["--outcome", "高考", "--group", "school", "--covariate", "中考"])
    assert lines == [
        "data.csv:1: column 高考: 表头中没有这一列 (column not in the header; the header has: student_id, school, entry, gaokao)",
        "data.csv:1: column 中考: 表头中没有这一列 (column not in the header; the header has: student_id, school, entry, gaokao)",
    ]


def test_duplicate_header_column(tmp_path, capsys):
    lines = refused(tmp_path, capsys, "student_id,school,entry,gaokao,entry\n1,S0,500,560,1\n")
    assert lines == ["data.csv:1: column entry: 列名在表头中出现 2 次 (the column name appears 2 times in the header)"]


def test_values_that_are_not_numbers_are_all_listed_in_line_order(tmp_path, capsys):
    rows = good_rows()
    rows[2] = "3,S0,abc,560\n"  # line 4
    rows[4] = "5,S0,500,\n"  # line 6
    rows[7] = "8,S1,NaN,inf\n"  # line 9
    rows[9] = "10,,520, 571\n"  # line 11
    rows[11] = "12,S1,1e999,5,5\n"  # line 13: five fields
    lines = refused(tmp_path, capsys, HEADER + "".join(rows))
    assert lines == [
        "data.csv:4: column entry: “abc” 不是数字 (not a number)",
        "data.csv:6: column gaokao: 值为空 (empty value)",
        "data.csv:9: column entry: “NaN” 不是有限数值 (not a finite number)",
        "data.csv:9: column gaokao: “inf” 不是有限数值 (not a finite number)",
        "data.csv:11: column school: 值为空 (empty value)",
        "data.csv:11: column gaokao: “ 571” 不是数字 (not a number)",
        "data.csv:13: 有 5 个字段，表头有 4 个 (has 5 fields, the header has 4)",
    ]


def test_overflow_and_blank_group(tmp_path, capsys):
    rows = good_rows()
    rows[0] = "1,S0,1e999,560\n"
    rows[1] = "2,  ,500,560\n"
    lines = refused(tmp_path, capsys, HEADER + "".join(rows))
    assert lines == [
        "data.csv:2: column entry: “1e999” 不是有限数值 (not a finite number)",
        "data.csv:3: column school: 分组值只有空白 (the group value is blank)",
    ]


def test_ragged_lines_are_refused_and_blank_lines_skipped_each_line_keeping_its_number(tmp_path, capsys):
    rows = good_rows()
    rows[1] = "2,S0,500\n"  # line 3: too few
    rows.insert(5, "\n")  # line 7: blank, skipped (the platform's CSV rule)
    rows[8] = "8,S1,abc,570\n"  # line 10
    lines = refused(tmp_path, capsys, HEADER + "".join(rows))
    assert lines == [
        "data.csv:3: 有 3 个字段，表头有 4 个 (has 3 fields, the header has 4)",
        "data.csv:10: column entry: “abc” 不是数字 (not a number)",
    ]


@pytest.mark.parametrize("blank", ["\n", ",,,\n", " , ,\t,\u3000\n"])
def test_blank_records_are_skipped_and_change_no_figure(tmp_path, capsys, blank):
    rows = good_rows()
    (tmp_path / "plain").mkdir()
    (tmp_path / "gappy").mkdir()
    plain = tmp_path / "plain" / "data.csv"
    plain.write_text(HEADER + "".join(rows), encoding="utf-8")
    gappy = tmp_path / "gappy" / "data.csv"
    gappy.write_text(HEADER + blank + "".join(r + blank for r in rows), encoding="utf-8")
    assert run(["value-added", str(plain), *BASE], capsys) == run(["value-added", str(gappy), *BASE], capsys)
    rows[3] = "4,S1,x,570\n"  # line 2 + 2·3 + 1 in the gappy file
    gappy.write_text(HEADER + blank + "".join(r + blank for r in rows), encoding="utf-8")
    code, _out, err = run(["value-added", str(gappy), *BASE], capsys)
    assert code == 2 and err.splitlines()[-1] == "data.csv:9: column entry: “x” 不是数字 (not a number)"


def test_line_numbers_count_newlines_inside_quoted_fields(tmp_path, capsys):
    header = "student_id,note,school,entry,gaokao\n"
    rows = [
        '1,"转学\n复读",S0,500,560\n',  # lines 2-3
        "2,,S0,510,570\n",  # line 4
        '3,"a, b",S1,x1,580\n',  # line 5
        "4,,S1,520,\n",  # line 6
    ]
    lines = refused(tmp_path, capsys, header + "".join(rows))
    assert lines == [
        "data.csv:5: column entry: “x1” 不是数字 (not a number)",
        "data.csv:6: column gaokao: 值为空 (empty value)",
    ]


def test_malformed_quoting(tmp_path, capsys):
    lines = refused(tmp_path, capsys, HEADER + '1,S0,"500"x,560\n2,S1,510,570\n')
    assert len(lines) == 1 and lines[0].startswith("data.csv:2: CSV 格式错误")


def test_many_problems_are_capped_with_a_count(tmp_path, capsys):
    rows = [f"{i},S{i % 3},bad{i},{560 + i}\n" for i in range(1, 301)]
    lines = refused(tmp_path, capsys, HEADER + "".join(rows))
    assert len(lines) == 201
    assert lines[0] == "data.csv:2: column entry: “bad1” 不是数字 (not a number)"
    assert lines[-1] == "(all files): 100 more problems not listed"


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "data.csv:1: 文件为空，没有表头 (empty file: no header line)"),
        (b"\n\r\n\n", "data.csv:1: 文件为空，没有表头 (empty file: no header line)"),
        (HEADER.encode(), "data.csv: 文件只有表头，没有数据行 (only a header, no data rows)"),
        (b"\xef\xbb\xbf" + HEADER.encode() + b"\n\n", "data.csv: 文件只有表头，没有数据行 (only a header, no data rows)"),
    ],
)
def test_empty_files(tmp_path, capsys, content, expected):
    assert refused(tmp_path, capsys, content) == [expected]


def test_undecodable_bytes(tmp_path, capsys):
    lines = refused(tmp_path, capsys, HEADER.encode() + b"1,S\xff\xff\xff,500,560\n")
    assert len(lines) == 1 and lines[0].startswith("data.csv: 文件编码不是 UTF-8 或 GB18030")


def test_fewer_than_two_groups(tmp_path, capsys):
    rows = [f"{i},S0,{500 + i},{560 + 2 * i + i % 3}\n" for i in range(1, 20)]
    assert refused(tmp_path, capsys, HEADER + "".join(rows)) == [
        "data.csv: column school: 只有 1 个分组，模型至少需要 2 个 (only 1 group(s); the model needs at least 2)"
    ]


def test_no_more_students_than_fixed_effects_and_one_group_are_both_reported(tmp_path, capsys):
    lines = refused(tmp_path, capsys, HEADER + "1,S0,500,560\n2,S0,510,570\n")
    assert lines == [
        "data.csv: column school: 只有 1 个分组，模型至少需要 2 个 (only 1 group(s); the model needs at least 2)",
        "data.csv: 只有 2 名学生，需要多于 2 名（固定效应个数） (only 2 students; more than 2, the number of fixed effects, are needed)",
    ]


def test_missing_file_and_directory(tmp_path, capsys):
    code, out, err = run(["value-added", str(tmp_path / "nope.csv"), *BASE], capsys)
    assert (code, out) == (2, "") and err == "nope.csv: 文件不存在 (file not found)\n"
    (tmp_path / "dir.csv").mkdir()
    code, out, err = run(["value-added", str(tmp_path / "dir.csv"), *BASE], capsys)
    assert (code, out) == (2, "") and err == "dir.csv: 是目录而不是文件 (is a directory, not a file)\n"


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--outcome", "gaokao", "--group", "gaokao"], "column 'gaokao' is given as both --outcome and --group"),
        (BASE + ["--covariate", "entry"], "column 'entry' is given as both --covariate and --covariate"),
        (["--outcome", "gaokao", "--group", "school", "--covariate", "Intercept"], "cannot be named 'Intercept'"),
        (BASE + ["--min-group-size", "0"], "must be a positive whole number, got 0"),
    ],
)
def test_argument_conflicts(tmp_path, capsys, args, fragment):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(good_rows()), encoding="utf-8")
    code, out, err = run(["value-added", str(path), *args], capsys)
    assert (code, out) == (2, "") and fragment in err


def test_usage_errors_exit_2(tmp_path, capsys):
    for argv in (["value-added"], ["value-added", "x.csv", "--group", "s"], ["value-added", "x.csv", *BASE, "--min-group-size", "ten"]):
        code, out, _ = run(argv, capsys)
        assert (code, out) == (2, "")


def test_collinear_and_constant_covariates_are_named(tmp_path, capsys):
    case = school_data(61, [10, 12, 9], slopes=(0.8, 0.0), tau=9.0)
    case.x[:, 1] = 2.0 * case.x[:, 0] + 3.0
    path = write_csv(tmp_path / "data.csv", case, covariates=("entry", "double"))
    code, out, err = run(["value-added", str(path), *BASE, "double"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "data.csv: column double: 协变量取值不变，或是截距与前面协变量的线性组合 "
        "(the covariate is constant, or a linear combination of the intercept and earlier covariates)"
    ]
    case.x[:, 1] = 7.0
    write_csv(path, case, covariates=("entry", "const"))
    code, out, err = run(["value-added", str(path), *BASE, "const"], capsys)
    assert (code, out) == (2, "") and err.startswith("data.csv: column const: 协变量取值不变")


def test_outcome_without_residual_variation(tmp_path, capsys):
    case = school_data(62, [10, 12, 9], slopes=(0.8,), tau=9.0)
    case.y[:] = 2.0 * case.x[:, 0] + 1.0
    path = write_csv(tmp_path / "data.csv", case)
    code, out, err = run(["value-added", str(path), *BASE], capsys)
    assert (code, out) == (2, "") and err.startswith("data.csv: column gaokao: 结果变量在协变量之外没有剩余变异")


def test_one_student_per_group_cannot_separate_the_variances(tmp_path, capsys):
    case = school_data(63, [1] * 30, slopes=(0.8,), tau=9.0)
    path = write_csv(tmp_path / "data.csv", case)
    code, out, err = run(["value-added", str(path), *BASE], capsys)
    assert (code, out) == (2, "") and err.startswith("data.csv: column school: 组内没有剩余变异")


def test_group_level_covariates_with_too_few_groups(tmp_path, capsys):
    # two groups, and a covariate constant within each group: the intercept and it use up both group means
    rows = [f"{i},S{i % 2},{100 + 50 * (i % 2)},{560 + (i * 7) % 11}\n" for i in range(1, 21)]
    lines = refused(tmp_path, capsys, HEADER + "".join(rows))
    assert len(lines) == 1 and lines[0].startswith("data.csv: column school: 分组太少：截距和组层面协变量已完全决定各组均值")
