"""The rules one by one: GB 11643 and the bulk-transfer batches against brute force on many generated inputs,
the in-memory entry point the web app uses, and the engine's independence from Django."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaozhong.registry.engine import (
    CheckParams,
    RegistryInputs,
    Terms,
    check_character,
    check_directory,
    check_frames,
    frame_table,
    id_number_problems,
    load_directory,
    validate_tables,
)
from gaozhong.registry.engine.idnumber import valid_mask

from .cases import bulk_batches, check_char, make_id, oracle_id_valid, planted_case

ENGINE = Path(__file__).resolve().parents[3] / "gaozhong" / "registry" / "engine"

# ---------------------------------------------------------------- GB 11643


def test_known_numbers() -> None:
    assert check_character("11010519491231002") == "X" == check_char("11010519491231002")
    assert id_number_problems("11010519491231002X") == []
    assert id_number_problems(make_id(birth="20000229")) == []
    assert any("19000229" in p for p in id_number_problems(make_id(birth="19000229")))
    assert any("大写 X" in p for p in id_number_problems("11010519491231002x"))
    assert id_number_problems("") == ["身份证号为空"]
    assert id_number_problems("1101051949123100") == ["身份证号有 16 位，应为 18 位"]
    values = ["11010519491231002X", "11010519491231002x", None, "", make_id(birth="19000229")]
    assert valid_mask(pl.Series(values)).to_list() == [True, False, False, False, False]


@st.composite
def built_ids(draw: st.DrawFn) -> str:
    """A number built with a correct check character, from a real date or any 8 digits, then maybe altered."""
    real = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    birth = draw(st.sampled_from([f"{real.year:04d}{real.month:02d}{real.day:02d}", f"{draw(st.integers(0, 99999999)):08d}"]))
    number = make_id(region=f"{draw(st.integers(0, 999999)):06d}", birth=birth, seq=f"{draw(st.integers(0, 999)):03d}")
    last = draw(st.one_of(st.none(), st.sampled_from(list("0123456789Xx"))))
    return number if last is None else number[:17] + last


id_texts = st.one_of(
    st.text(alphabet="0123456789Xx", min_size=16, max_size=19),
    built_ids(),
    st.text(min_size=0, max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(id_texts, min_size=1, max_size=30), st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))))
def test_id_rule_agrees_with_the_standard(values: list[str], today: dt.date | None) -> None:
    expected = [oracle_id_valid(v, today) for v in values]
    assert valid_mask(pl.Series(values, dtype=pl.String), today=today).to_list() == expected
    assert [id_number_problems(v, today=today) == [] for v in values] == expected


def test_the_registry_and_the_importer_give_one_verdict() -> None:
    """One rule: the registry check refuses exactly what an import of the same 身份证号 refuses."""
    from gaozhong.importer.idnumber import id_number_problem

    today = dt.date(2025, 9, 1)
    values = [make_id(), make_id(region="040522"), make_id(birth="20250902"), make_id(birth="20250901"),
              make_id(birth="18991231"), make_id(birth="19000229"), make_id()[:17] + "x", "11010519491231002X"]
    registry = valid_mask(pl.Series(values), today=today).to_list()
    assert registry == [id_number_problem(v, today=today) is None for v in values] == [True, False, False, True, True, False, False, True]
    reasons = id_number_problems(make_id(region="040522", birth="20990101"), today=today)
    assert reasons == ["地址码 040522 不能以 0 开头", "出生日期 20990101 尚未到来"]


# ---------------------------------------------------------------- bulk transfers


def frames_for(transfers: list[tuple[str, str, str, dt.date]]) -> RegistryInputs:
    students = sorted({t[0] for t in transfers}) or ["G0"]
    registry = pl.DataFrame(
        {
            "student_id": students,
            "id_number": [make_id(seq=f"{i % 1000:03d}", region=f"{110000 + i // 1000:06d}") for i in range(len(students))],
            "name": "学生",
            "school_id": "S1",
            "grade": "高一",
            "status": "转出",
        }
    )
    return RegistryInputs(
        registry=registry,
        attendance=pl.DataFrame(schema={"student_id": pl.String, "school_id": pl.String, "term": pl.String, "days_present": pl.Int64}),
        exams=pl.DataFrame(schema={"student_id": pl.String, "school_id": pl.String, "exam_id": pl.String, "term": pl.String}),
        transfers=pl.DataFrame(
            transfers, schema={"student_id": pl.String, "from_school_id": pl.String, "to_school_id": pl.String, "date": pl.Date},
            orient="row",
        ),
        terms=Terms("2025-2", ("2025-1", "2025-2")),
    )


def brute_force(transfers: list[tuple[str, str, str, dt.date]], k: int, d: int) -> list[tuple[str, str, str]]:
    """(student, from, evidence facts) per flagged transfer: some window [anchor, anchor + d) anchored at a
    transfer of the same pair holds it and at least k transfers."""
    rows = []
    for student, src, dst, when in transfers:
        same = [t[3] for t in transfers if (t[1], t[2]) == (src, dst)]
        if any(a <= when < a + dt.timedelta(days=d) and sum(a <= x < a + dt.timedelta(days=d) for x in same) >= k for a in same):
            first, last, size = next(b for b in bulk_batches(sorted(same), k, d) if b[0] <= when <= b[1])
            rows.append((student, src, f"从 {src} 转往 {dst}：{first} 至 {last} 共 {size} 人次（阈值：{d} 天内 {k} 人次），本次转学日期 {when}"))
    return sorted(rows)


transfer_lists = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 60),
    ).filter(lambda t: t[0] != t[1]),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(transfer_lists, st.integers(2, 6), st.integers(1, 20))
def test_bulk_rule_agrees_with_brute_force(raw: list[tuple[str, str, int]], k: int, d: int) -> None:
    base = dt.date(2025, 1, 1)
    transfers = [(f"G{i:03d}", src, dst, base + dt.timedelta(days=day)) for i, (src, dst, day) in enumerate(raw)]
    result = check_frames(frames_for(transfers), CheckParams(bulk_threshold=k, bulk_window_days=d))
    got = sorted(
        (a.student_id, a.school_id, a.evidence) for a in result.anomalies() if a.kind == "bulk_transfer"
    )
    assert got == brute_force(transfers, k, d)


def test_bulk_edges_by_hand() -> None:
    base = dt.date(2025, 3, 1)

    def flagged(offsets: list[int], k: int = 10, d: int = 30) -> int:
        transfers = [(f"G{i:02d}", "S1", "S2", base + dt.timedelta(days=o)) for i, o in enumerate(offsets)]
        return check_frames(frames_for(transfers), CheckParams(k, d)).counts()["bulk_transfer"]

    assert flagged([0] * 9) == 0  # K − 1
    assert flagged([0] * 10) == 10
    assert flagged([0] * 9 + [30]) == 0  # K spanning exactly D days
    assert flagged([0] * 9 + [29]) == 10
    assert flagged([0] * 10 + [40] * 9) == 10  # the later nine are not a batch on their own
    assert flagged([0] * 10 + [15] * 9) == 19  # joined by windows that overlap the first ten
    assert flagged([0, 1], k=2, d=1) == 0 and flagged([0, 0], k=2, d=1) == 2


def test_bulk_pairs_are_directed_and_separate() -> None:
    base = dt.date(2025, 3, 1)
    transfers = [(f"G{i:02d}", "S1", "S2", base) for i in range(5)] + [(f"H{i:02d}", "S2", "S1", base) for i in range(5)]
    transfers += [(f"K{i:02d}", "S1", "S3", base) for i in range(5)]
    assert check_frames(frames_for(transfers), CheckParams(6, 30)).counts()["bulk_transfer"] == 0
    assert check_frames(frames_for(transfers), CheckParams(5, 30)).counts()["bulk_transfer"] == 15


# ---------------------------------------------------------------- entry points


def test_in_memory_check_equals_the_files(tmp_path: Path) -> None:
    case_dir = planted_case().write(tmp_path / "case")
    from_files = check_directory(case_dir)
    inputs = load_directory(case_dir)
    assert check_frames(inputs).to_csv() == from_files.to_csv()
    assert from_files.counts()["bulk_transfer"] == len([a for a in from_files.anomalies() if a.kind == "bulk_transfer"]) > 0
    # Uploaded text tables (the web app's import) validate the same way.
    from gaozhong.registry.engine import REQUIRED

    frames = {name: pl.read_csv(case_dir / name, infer_schema=False) for name in REQUIRED}
    tables = [frame_table(name, frames[name], REQUIRED[name]) for name in REQUIRED]
    uploaded = validate_tables(*tables, inputs.terms)
    assert check_frames(uploaded).to_csv() == from_files.to_csv()


def test_in_memory_frames_must_be_typed_and_known() -> None:
    inputs = frames_for([("G1", "S1", "S2", dt.date(2025, 1, 1))])
    with pytest.raises(TypeError):
        text_days = inputs.attendance.cast({"days_present": pl.String})
        RegistryInputs(inputs.registry, text_days, inputs.exams, inputs.transfers, inputs.terms)
    stranger = inputs.transfers.with_columns(pl.lit("X1").alias("student_id"))
    with pytest.raises(ValueError, match="not in the registry"):
        check_frames(RegistryInputs(inputs.registry, inputs.attendance, inputs.exams, stranger, inputs.terms))
    with pytest.raises(ValueError):
        CheckParams(bulk_threshold=1)
    with pytest.raises(ValueError):
        Terms("2025-3", ("2025-1",))


def test_the_engine_has_no_django_or_app_import() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "gaozhong.core", "gaozhong.site")), (path.name, name)
        assert "print" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}, path.name
