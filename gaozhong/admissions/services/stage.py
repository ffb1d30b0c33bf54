"""The whole 高中阶段 on the platform (docs/admissions.md §12–§13): what a year's run reads beyond the four files
of before (schools.csv, the programs' 专业 and 特殊类型, the city's settings in policy.toml), the engine's
outputs read back for the pages (普职比, 第一次录取完成率), and the 特长生 公示 list before the run.

Rule: seed 002 §三(一) — 普通高中 and 中职 admitted on one platform, 招生范围 approved per school, 特殊类型招生
规范 and 公示; seed 003 §三(二)3 — 普职比 大体相当, plans follow the first-round fill rate (第一次录取完成率).

A year imported from a case directory (every program with its row order of programs.csv) keeps that case's
format: no schools.csv and no new columns unless the year has 中职 programs, so its run stays the engine's own.
"""

from __future__ import annotations

import csv
import io
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gaozhong.admissions.services.outputs import output_records
from gaozhong.admissions.engine import publicity_outputs, read_case
from gaozhong.admissions.engine.values import format_number
from gaozhong.admissions.models import AdmissionRun, AdmissionYear, Program
from gaozhong.core.models import County, School

#: The level names of schools.csv.
LEVEL_NAMES = {School.Level.SENIOR: "普高", School.Level.VOCATIONAL: "中职"}


def stage_policy(year: AdmissionYear, policy_toml: str | None = None) -> str:
    """The year's policy.toml with its 高中阶段 settings appended, each only where the text does not set it and
    it differs from the engine's default (so a year without them keeps its policy text byte for byte)."""
    text = year.policy_toml if policy_toml is None else policy_toml
    given = tomllib.loads(text)
    lines = []
    if year.range_required and "admission_range" not in given:
        lines.append('admission_range = "required"')
    for key in ("special_share", "special_min_score", "special_min_test_score"):
        value = getattr(year, key)
        if value is not None and key not in given:
            lines.append(f"{key} = {format_number(float(value))}")
    if year.supplementary_declined and "supplementary_declined" not in given:
        lines.append("supplementary_declined = true")
    if not lines:
        return text
    return text + ("" if text.endswith("\n") or not text else "\n") + "\n".join(lines) + "\n"


def uses_stage_format(programs: list[Program]) -> bool:
    """Whether the run writes schools.csv and the 专业/特殊类型 columns: always for a year set up on the platform,
    for a year imported from a case only if it has 中职 programs."""
    return any(p.file_order is None or p.school.level == School.Level.VOCATIONAL or p.major or p.special_type for p in programs)


def schools_csv_text(programs: list[Program]) -> str:
    """schools.csv of the programs' schools: ``school_id,county,level,name`` by school code."""
    schools = sorted({p.school.pk: p.school for p in programs}.values(), key=lambda s: s.code)
    counties = dict(County.objects.values_list("pk", "code"))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["school_id", "county", "level", "name"])
    w.writerows([s.code, counties[s.county_id], LEVEL_NAMES.get(s.level, s.level), s.name] for s in schools)
    return buf.getvalue()


def read_case_texts(files: dict[str, str]):
    """Read a case given as file name → text (``supplementary/…`` names included) exactly as the command would."""
    with tempfile.TemporaryDirectory(prefix="admission-case-") as d:
        for name, text in files.items():
            path = Path(d, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return read_case(d)


# -- the engine's stage outputs, read back ----------------------------------------------------------------------

@dataclass(frozen=True)
class GeneralVocational:
    """One row of general_vocational.csv: 普高 and 中职 counts of a county (or the city) on one basis."""

    scope: str  # county | city
    county: str  # county code ("" for the city)
    basis: str  # plan | admitted | admitted_home
    general: int
    vocational: int
    general_share: str  # four decimals, "" when both are 0

    @property
    def total(self) -> int:
        return self.general + self.vocational

    @property
    def ratio_text(self) -> str:
        """普职比 as “普:职”, e.g. ``5:3``; “—” with no seats."""
        return f"{self.general}:{self.vocational}" if self.total else "—"

    @property
    def share_percent(self) -> str:
        return "" if not self.general_share else f"{float(self.general_share) * 100:.2f}%"


def general_vocational(text: str) -> list[GeneralVocational]:
    """The rows of a general_vocational.csv text (empty for a run without one)."""
    if not text:
        return []
    rows = output_records(text)
    return [GeneralVocational(r["scope"], r["county"], r["basis"], int(r["general"]), int(r["vocational"]), r["general_share"]) for r in rows]


@dataclass(frozen=True)
class FillRate:
    school_code: str
    plan: int
    first_round_admitted: int
    first_round_fill_rate: str
    final_admitted: int
    final_fill_rate: str


def fill_rates(text: str) -> dict[str, FillRate]:
    """fill_rates.csv by school code (empty for a run without one)."""
    if not text:
        return {}
    return {r["school_id"]: FillRate(r["school_id"], int(r["plan"]), int(r["first_round_admitted"]), r["first_round_fill_rate"],
                                     int(r["final_admitted"]), r["final_fill_rate"]) for r in output_records(text)}


@dataclass(frozen=True)
class PublicityRow:
    program_code: str
    school_code: str
    special_type: str
    exam_no: str
    test_score: str
    score: str
    position: int


@dataclass(frozen=True)
class Publicity:
    """Before the run: the 特长生 公示 list and 普职比 of the plans, with the files they come from."""

    rows: list[PublicityRow]
    general_vocational: list[GeneralVocational]
    files: dict[str, bytes]


def publicity(inputs: dict[str, str]) -> Publicity:
    """The engine's ``publicity`` on the year's inputs (``runs.publicity_inputs``: the 特长生 applicants of
    ``runs.canonical_inputs``, which give the same files)."""
    files = publicity_outputs(read_case_texts(inputs))
    rows = [PublicityRow(r["program_id"], r["school_id"], r["special_type"], r["student_id"], r["test_score"], r["score"], int(r["position"]))
            for r in output_records(files["publicity.csv"].decode("utf-8"))]
    gv = general_vocational(files["general_vocational.csv"].decode("utf-8")) if "general_vocational.csv" in files else []
    return Publicity(rows, gv, files)


def final_run(year: AdmissionYear) -> AdmissionRun | None:
    """The year's published result: the published 补录 run if there is one, else the published main run."""
    runs = AdmissionRun.objects.filter(year=year, status=AdmissionRun.Status.APPROVED).order_by("-round", "-pk")
    return runs.first()
