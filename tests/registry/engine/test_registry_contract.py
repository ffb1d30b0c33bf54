"""The ``gaozhong registry check`` contract on generated cases: every kind planted, near-misses not flagged.

Each run goes through ``main([...])`` exactly as the command line does, and its OUT.csv is compared with the
independent oracle of :mod:`.cases` (rows as a multiset; each evidence must state the oracle's facts).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from gaozhong.registry.cli import main

from .cases import HEADER, KIND_ORDER, Case, oracle, planted_case, random_case


def run(case_dir: Path, out: Path, *extra: str) -> int:
    return main(["check", str(case_dir), "--out", str(out), *extra])


def read_out(out: Path) -> list[dict[str, str]]:
    text = out.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]


def assert_matches_oracle(case_dir: Path, out: Path, k: int = 10, d: int = 30, encoding: str = "utf-8") -> list[dict[str, str]]:
    rows = read_out(out)
    expected = oracle(case_dir, k, d, encoding)
    got_keys = sorted((r["kind"], r["student_id"], r["id_number"], r["school_id"]) for r in rows)
    assert got_keys == sorted(e.key for e in expected)
    # Every evidence states the facts the oracle derived (matched by key; bulk rows also by own date).
    for e in expected:
        candidates = [r for r in rows if (r["kind"], r["student_id"], r["id_number"], r["school_id"]) == e.key]
        assert any(all(f in r["evidence"] for f in e.facts) for r in candidates), (e, candidates)
    assert all(r["evidence"] for r in rows)
    # Documented order: kind as listed, then student_id, school_id, evidence by code point.
    order = [(KIND_ORDER.index(r["kind"]), r["student_id"], r["school_id"], r["evidence"]) for r in rows]
    assert order == sorted(order)
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_cases_match_the_oracle(tmp_path: Path, seed: int) -> None:
    case_dir = random_case(seed).write(tmp_path / "case")
    out = tmp_path / "out" / "OUT.csv"
    assert run(case_dir, out) == 0
    rows = assert_matches_oracle(case_dir, out)
    kinds = {r["kind"] for r in rows}
    assert kinds == set(KIND_ORDER), f"seed {seed} should plant every kind, got {kinds}"


@pytest.mark.parametrize(("k", "d"), [(2, 1), (3, 10), (9, 5), (14, 60)])
def test_bulk_options_match_the_oracle(tmp_path: Path, k: int, d: int) -> None:
    case_dir = random_case(7).write(tmp_path / "case")
    out = tmp_path / "OUT.csv"
    assert run(case_dir, out, "--bulk-threshold", str(k), "--bulk-window-days", str(d)) == 0
    rows = assert_matches_oracle(case_dir, out, k, d)
    assert all(f"{d} 天内 {k} 人次" in r["evidence"] for r in rows if r["kind"] == "bulk_transfer")


def test_planted_kinds_and_near_misses(tmp_path: Path) -> None:
    case_dir = planted_case().write(tmp_path / "case")
    out = tmp_path / "OUT.csv"
    assert run(case_dir, out) == 0
    rows = assert_matches_oracle(case_dir, out)
    flagged = {(r["kind"], r["student_id"]) for r in rows}
    by = {(r["kind"], r["student_id"]): r for r in rows}

    assert {s for k, s in flagged if k == "duplicate_registration"} == {"D1", "D2"}
    assert "D2（S02）" in by["duplicate_registration", "D1"]["evidence"]
    assert {s for k, s in flagged if k == "ghost_registration"} == {"H1", "H5", "H6"}
    assert by["ghost_registration", "H1"]["evidence"] == "2025-1、2025-2 学期 在任何学校均无出勤天数和统考记录，在籍学校 S01"
    assert {s for k, s in flagged if k == "registry_attendance_mismatch"} == {"M1", "M3", "M4"}
    assert by["registry_attendance_mismatch", "M1"]["evidence"] == "2025-2 学期 在 S07 出勤 61 天，在籍学校 S03 出勤 0 天"
    assert by["registry_attendance_mismatch", "M1"]["school_id"] == "S03"
    assert "S05" in by["registry_attendance_mismatch", "M4"]["evidence"]
    assert {s for k, s in flagged if k == "invalid_id_number"} == {"I1", "I4", "I5", "I6", "I7", "I8"}
    assert "19000229" in by["invalid_id_number", "I1"]["evidence"]
    assert "大写 X" in by["invalid_id_number", "I4"]["evidence"]
    assert by["invalid_id_number", "I7"]["evidence"] == "身份证号不符合 GB 11643：地址码 010105 不能以 0 开头"
    assert by["invalid_id_number", "I8"]["evidence"] == "身份证号不符合 GB 11643：出生日期 20991231 尚未到来"

    bulk = {s for k, s in flagged if k == "bulk_transfer"}
    assert {s for s in bulk if s.startswith("BA")} == {f"BA{j:02d}" for j in range(10)}
    assert not any(s.startswith(("BB", "BC")) for s in bulk)
    assert {s for s in bulk if s.startswith("BD")} == {f"BD{j:02d}" for j in range(20)}
    assert "2025-03-01 至 2025-03-01 共 10 人次" in by["bulk_transfer", "BD00"]["evidence"]
    assert "2025-09-17 至 2025-09-17 共 10 人次" in by["bulk_transfer", "BD15"]["evidence"]
    assert {s for s in bulk if s.startswith("BE")} == {f"BE{j:02d}" for j in range(20)}
    assert "2025-03-01 至 2025-04-08 共 20 人次" in by["bulk_transfer", "BE19"]["evidence"]
    assert by["bulk_transfer", "BA03"]["evidence"] == (
        "从 S01 转往 S09：2025-03-01 至 2025-03-30 共 10 人次（阈值：30 天内 10 人次），本次转学日期 2025-03-09"
    )


def test_output_format_is_exact(tmp_path: Path) -> None:
    case_dir = planted_case().write(tmp_path / "case")
    out = tmp_path / "OUT.csv"
    assert run(case_dir, out) == 0
    data = out.read_bytes()
    assert data.startswith(b"kind,student_id,id_number,school_id,evidence\n")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    # Every line splits into exactly five fields; empty id_number is written empty.
    rows = read_out(out)
    assert next(r for r in rows if r["student_id"] == "I5")["id_number"] == ""
    assert b"\ninvalid_id_number,I5,,S05," in data
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_summary_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "OUT.csv"
    assert run(planted_case().write(tmp_path / "case"), out) == 0
    rows = read_out(out)
    summary = capsys.readouterr().out.strip()
    assert summary.startswith(f"{out}: {len(rows)} 条异常")
    ghosts = sum(r["kind"] == "ghost_registration" for r in rows)
    assert f"ghost_registration {ghosts}" in summary
    assert main(["check", "--help"]) == 0
    assert "--bulk-window-days" in capsys.readouterr().out


def test_nothing_found_writes_the_header_only(tmp_path: Path) -> None:
    c = Case()
    c.student("G1", "S01")
    c.attendance.append(("G1", "S01", "2025-2", 80))
    out = tmp_path / "OUT.csv"
    assert run(c.write(tmp_path / "case"), out) == 0
    assert out.read_bytes() == b"kind,student_id,id_number,school_id,evidence\n"


@pytest.mark.parametrize(("encoding", "newline"), [("utf-8-sig", "\n"), ("gb18030", "\r\n"), ("utf-8", "\r\n")])
def test_bom_and_gb18030_inputs_give_the_same_result(tmp_path: Path, encoding: str, newline: str) -> None:
    case = planted_case()
    plain, other = tmp_path / "plain.csv", tmp_path / "other.csv"
    assert run(case.write(tmp_path / "utf8"), plain) == 0
    assert run(case.write(tmp_path / "other", encoding=encoding, newline=newline), other) == 0
    assert other.read_bytes() == plain.read_bytes()
    written = (tmp_path / "other" / "registry.csv").read_bytes()
    assert "王小明".encode("gb18030" if encoding == "gb18030" else "utf-8") in written
    assert written.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")


def test_the_output_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "OUT.csv"
    out.write_bytes(b"old content that is longer than the new one" * 1000)
    c = Case()
    c.student("G1", "S01")
    assert run(c.write(tmp_path / "case"), out) == 0
    assert read_out(out)[0]["kind"] == "ghost_registration" and len(read_out(out)) == 1


def test_through_the_top_level_router(tmp_path: Path) -> None:
    from gaozhong.cli import main as gaozhong

    out = tmp_path / "OUT.csv"
    assert gaozhong(["registry", "check", str(planted_case().write(tmp_path / "case")), "--out", str(out)]) == 0
    assert_matches_oracle(tmp_path / "case", out)
