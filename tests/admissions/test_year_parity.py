"""The engine's case format as the platform's exchange format: ``year-import`` + ``year-run`` + ``year-export``
write byte for byte what ``gaozhong admissions run CASE --out OUT`` writes, on seeded city cases with 指标到校
seats, rollovers, a 特长 batch and ties decided by lottery; a case naming an unknown school or county, or a year
that already has candidates, is refused with exit 2 and nothing written."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pytest

from gaozhong.admissions.cli import main as admissions_main
from gaozhong.admissions.models import AdmissionRun, AdmissionYear, CandidateScores, Confirmation, Preference, Program, SchoolPlan
from gaozhong.core.models import AuditEvent, Candidate, School
from tests.admissions.engine import reference as ref
from tests.admissions.engine.strategies import city_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cli_in_process")]

SEEDS = [1, 2, 3, 4, 5, 6]
SENIORS = ["GA1", "GB1", "GA2", "GB2"]  # GA1, GB1 exist in the test world; the others are created here


@pytest.fixture
def city(world):
    """Platform schools and counties the generated cases name: two counties, four senior and four junior schools."""
    a, b = world.a.county, world.b.county
    School.objects.create(county=a, code="GA2", name="a县二中", level="senior")
    School.objects.create(county=b, code="GB2", name="b县二中", level="senior", ownership="private")
    School.objects.create(county=a, code="JA2", name="a县二初", level="junior")
    School.objects.create(county=b, code="JB2", name="b县二初", level="junior")
    juniors = {"JA1": a.code, "JA2": a.code, "JB1": b.code, "JB2": b.code}
    county_of = {"GA1": a.code, "GA2": a.code, "GB1": b.code, "GB2": b.code}
    return world, juniors, county_of


def _case(seed: int, juniors, county_of, d: Path, *, shuffle: bool) -> Path:
    case = city_case(seed, seniors=SENIORS, juniors=juniors, county_of=county_of)
    order = {}
    if shuffle:  # rows in any order: the outputs follow the input order, and so must the platform's
        r = random.Random(seed)
        order = {"student_order": r.sample(range(len(case.students)), len(case.students)),
                 "program_order": r.sample(range(len(case.programs)), len(case.programs))}
    return ref.write_case(case, d, **order)


def _engine(case_dir: Path, out: Path) -> dict[str, bytes]:
    assert admissions_main(["run", str(case_dir), "--out", str(out)]) == 0
    return {n: (out / n).read_bytes() for n in ("results.csv", "cutoffs.csv")}


@pytest.mark.parametrize("seed", SEEDS)
def test_year_import_run_export_is_byte_identical_to_the_engine_command(city, tmp_path, seed):
    world, juniors, county_of = city
    case_dir = _case(seed, juniors, county_of, tmp_path / "case", shuffle=seed % 2 == 0)
    want = _engine(case_dir, tmp_path / "engine")
    assert admissions_main(["year-import", "2030", str(case_dir), "--user", "city"]) == 0
    assert admissions_main(["year-run", "2030", "--user", "city"]) == 0
    assert admissions_main(["year-export", "2030", "--out", str(tmp_path / "platform")]) == 0
    got = {n: (tmp_path / "platform" / n).read_bytes() for n in ("results.csv", "cutoffs.csv")}
    assert got["results.csv"] == want["results.csv"]
    assert got["cutoffs.csv"] == want["cutoffs.csv"]
    run = AdmissionRun.objects.get(year__year=2030)
    assert run.status == AdmissionRun.Status.DONE and len(run.inputs_sha256) == 64
    # The imported year holds what the case said, in the platform's own tables.
    students = list(csv.DictReader(io.StringIO((case_dir / "students.csv").read_text(encoding="utf-8"))))
    cs = {c.candidate.exam_no: c for c in CandidateScores.objects.select_related("candidate")}
    for s in students:
        assert cs[s["student_id"]].lottery == int(s["lottery"])
        assert cs[s["student_id"]].scores["physics"] == s["physics"]  # the extra numeric column, kept by name
        assert "name" not in cs[s["student_id"]].scores  # a text column is not a score
    prefs = list(csv.DictReader(io.StringIO((case_dir / "preferences.csv").read_text(encoding="utf-8"))))
    assert Preference.objects.filter(year__year=2030).count() == len(prefs)
    assert Confirmation.objects.filter(year__year=2030).count() == len({p["student_id"] for p in prefs})
    programs = list(csv.DictReader(io.StringIO((case_dir / "programs.csv").read_text(encoding="utf-8"))))
    for s in {p["school_id"] for p in programs}:
        plan = SchoolPlan.objects.get(year__year=2030, school__code=s)
        assert plan.seats == sum(int(p["capacity"]) for p in programs if p["school_id"] == s)
        assert plan.talent_seats == sum(int(p["capacity"]) for p in programs if p["school_id"] == s and p["rank_by"] == "talent")


def test_the_generated_cases_cover_quota_rollover_talent_and_lottery_ties(city, tmp_path):
    """Read from the engine's own outputs (independently of the platform): across the seeds, quota seats are
    filled, unfilled seats roll over, talent seats are filled, and some last admitted student ties a rejected
    applicant on score and every tie-break column, so the lottery decided."""
    _, juniors, county_of = city
    seen = {"quota": 0, "rollover": 0, "talent": 0, "lottery": 0}
    for seed in SEEDS:
        case = city_case(seed, seniors=SENIORS, juniors=juniors, county_of=county_of)
        d = ref.write_case(case, tmp_path / str(seed) / "case")
        out = _engine(d, tmp_path / str(seed) / "out")
        results = list(csv.DictReader(io.StringIO(out["results.csv"].decode())))
        cutoffs = {r["program_id"]: r for r in csv.DictReader(io.StringIO(out["cutoffs.csv"].decode()))}
        admitted = {r["student_id"]: r["program_id"] for r in results if r["program_id"]}
        seen["quota"] += sum(1 for p in admitted.values() if "-ZB-" in p)
        seen["talent"] += sum(1 for p in admitted.values() if p.endswith("-TC"))
        caps = {p.program_id: p.capacity for p in case.programs}
        seen["rollover"] += sum(1 for pid, c in cutoffs.items() if int(c["capacity"]) > caps[pid])
        # A tie the lottery broke: a student who listed a unified program, has the same score and tie-break values
        # as its last admitted student, and is not admitted to it or to anything they preferred more.
        by_id = {s.student_id: s for s in case.students}
        for p in (p for p in case.programs if p.batch == 3):
            last_key = cutoffs[p.program_id]["cutoff_score"], cutoffs[p.program_id]["last_tiebreak"]
            if not last_key[0]:
                continue
            for sid, b, rank, pid in case.prefs:
                s = by_id[sid]
                key = ref.fmt(s.values["score"]), ";".join(f"{t}={ref.fmt(s.values[t])}" for t in case.tiebreak)
                if pid == p.program_id and key == last_key and sid not in admitted and not (p.counties or p.min_score):
                    seen["lottery"] += 1
    assert all(v > 0 for v in seen.values()), seen


def test_an_unknown_school_or_county_is_refused_with_file_line_column_and_nothing_written(city, tmp_path, capsys):
    _, juniors, county_of = city
    d = _case(1, juniors, county_of, tmp_path / "case", shuffle=False)
    text = (d / "students.csv").read_text(encoding="utf-8").splitlines()
    row = text[3].split(",")
    row[1], row[2] = "J-NOWHERE", "999999"
    text[3] = ",".join(row)
    (d / "students.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    prog = (d / "programs.csv").read_text(encoding="utf-8").replace(",GB2,", ",GZZ,", 1)
    (d / "programs.csv").write_text(prog, encoding="utf-8")
    audits = AuditEvent.objects.count()
    assert admissions_main(["year-import", "2030", str(d), "--user", "city"]) == 2
    err = capsys.readouterr().err
    assert "students.csv:4: column junior_school_id" in err and "J-NOWHERE" in err
    assert "students.csv:4: column county" in err and "999999" in err
    assert re.search(r"programs.csv:\d+: column school_id: .*GZZ", err)
    assert not Candidate.objects.filter(year=2030).exists() and not Program.objects.exists()
    assert not AdmissionYear.objects.filter(year=2030).exists() and AuditEvent.objects.count() == audits


def test_a_year_with_candidates_is_refused_and_the_engine_problems_are_passed_on(city, tmp_path, capsys):
    _, juniors, county_of = city
    d = _case(2, juniors, county_of, tmp_path / "case", shuffle=False)
    a = AuditEvent.objects.count()
    assert admissions_main(["year-import", "2030", str(d), "--user", "city"]) == 0
    assert AuditEvent.objects.count() == a + 1 and AuditEvent.objects.latest("id").action == "admissions.year.imported"
    n = Candidate.objects.count()
    assert admissions_main(["year-import", "2030", str(d), "--user", "city"]) == 2
    assert "已有考生" in capsys.readouterr().err and Candidate.objects.count() == n
    # A case the engine refuses is refused with the engine's own message (file, line, column).
    bad = tmp_path / "bad"
    ref.write_case(city_case(3, seniors=SENIORS, juniors=juniors, county_of=county_of), bad)
    (bad / "preferences.csv").write_text("student_id,batch,rank,program_id\nNOBODY,3,1,GA1-TZ\n", encoding="utf-8")
    assert admissions_main(["year-import", "2031", str(bad), "--user", "city"]) == 2
    assert "preferences.csv:2: column student_id" in capsys.readouterr().err
    assert not Candidate.objects.filter(year=2031).exists()


def test_only_the_city_imports_runs_and_an_export_needs_a_run(city, tmp_path, capsys):
    world, juniors, county_of = city
    d = _case(4, juniors, county_of, tmp_path / "case", shuffle=False)
    assert admissions_main(["year-import", "2030", str(d), "--user", "county_a"]) == 2
    assert admissions_main(["year-import", "2030", str(d), "--user", "nobody"]) == 2
    assert not Candidate.objects.filter(year=2030).exists()
    assert admissions_main(["year-export", "2030", "--out", str(tmp_path / "o")]) == 2
    assert admissions_main(["year-import", "2030", str(d), "--user", "city"]) == 0
    assert admissions_main(["year-run", "2030", "--user", "county_a"]) == 2
    assert not AdmissionRun.objects.exists()
    assert not (tmp_path / "o").exists()
