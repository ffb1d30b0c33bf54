"""Parity of the platform with ``gaozhong registry check DIR --out OUT.csv``: the case directory imported into
the database (``case-import``), checked there (``db-check``) and exported (``db-export``) gives OUT.csv byte for
byte, on generated cases with every kind planted. A case whose registry.csv disagrees with the platform, or
that the engine refuses, is refused with file, line and column, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from gaozhong.core.masking import mask_ids
from gaozhong.core.models import AuditEvent, City, County, Membership, Role, School, Student
from gaozhong.registry.cli import main as registry_main
from gaozhong.registry.models import AttendanceRecord, ExamSitting, Registration, RegistryAnomaly, RegistryCheck, TransferRecord
from gaozhong.registry.services.imports import registry_case_import

from .engine.cases import Case, planted_case, random_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cli_in_process")]


def platform_for(case: Case) -> User:
    """The case's schools and registry as the platform's own (as the school and student imports would leave them):
    one student per 身份证号, the first row of each; a later row with a number already held is a registration the
    platform does not hold, which ``case-import`` brings in from registry.csv as the national registry's."""
    city = City.objects.create(code="1498", name="案例市")
    county = County.objects.create(city=city, code="149801", name="案例县")
    for code in sorted({r[3] for r in case.registry} | {a[1] for a in case.attendance} | {e[1] for e in case.exams}
                       | {t[1] for t in case.transfers} | {t[2] for t in case.transfers}):
        School.objects.create(county=county, code=code, name=f"学校{code}", level="senior")
    schools = {s.code: s for s in School.objects.all()}
    held: set[str] = set()
    rows = []
    for sid, idn, name, school, _grade, status in case.registry:
        if idn and idn in held:
            continue
        held.add(idn)
        rows.append(Student(student_no=sid, id_number=idn, name=name, school=schools[school], gender="男", entry_year=2025, status=status))
    Student.objects.bulk_create(rows)
    user = User.objects.create(username="city")
    Membership.objects.create(user=user, role=Role.CITY_ADMIN)
    return user


def engine_out(case_dir: Path, out: Path, *extra: str) -> bytes:
    assert registry_main(["check", str(case_dir), "--out", str(out), *extra]) == 0
    return out.read_bytes()


def storable(case: Case) -> Case:
    """The case as the platform can hold it: its 身份证号 field has 18 characters, so a generated 19-character
    number is cut to 18 characters (then valid, invalid or a duplicate: the engine judges it as it is)."""
    case.registry = [(sid, idn[:18], name, school, grade, status) for sid, idn, name, school, grade, status in case.registry]
    return case


@pytest.mark.parametrize("make", [planted_case, lambda: storable(random_case(3)), lambda: storable(random_case(8, students=400))],
                         ids=["planted", "random3", "random8"])
def test_case_through_the_platform_gives_the_commands_out_csv(tmp_path, make):
    """Second registrations of one 身份证号 come in as the national registry's registrations (the platform holds one
    student per number) and are found as duplicates exactly as the command finds them."""
    case = make()
    case_dir = case.write(tmp_path / "case")
    expected = engine_out(case_dir, tmp_path / "engine.csv")
    platform_for(case)
    events = AuditEvent.objects.count()
    assert registry_main(["case-import", str(case_dir), "--user", "city"]) == 0
    assert AuditEvent.objects.count() == events + 1 and AuditEvent.objects.latest("id").action == "registry.case.imported"
    assert AttendanceRecord.objects.count() == len(case.attendance)
    assert TransferRecord.objects.count() == len(case.transfers)
    assert registry_main(["db-check", "--user", "city", "--terms-from", str(case_dir)]) == 0
    out = tmp_path / "platform.csv"
    assert registry_main(["db-export", "--out", str(out)]) == 0
    assert out.read_bytes() == expected
    check = RegistryCheck.objects.get()
    assert sum(check.counts.values()) == RegistryAnomaly.objects.filter(check_run=check).count() == expected.count(b"\n") - 1


def test_bulk_parameters_carry_through(tmp_path):
    case = planted_case()
    case_dir = case.write(tmp_path / "case")
    expected = engine_out(case_dir, tmp_path / "engine.csv", "--bulk-threshold", "3", "--bulk-window-days", "5")
    platform_for(case)
    assert registry_main(["case-import", str(case_dir), "--user", "city"]) == 0
    assert registry_main(["db-check", "--user", "city", "--terms-from", str(case_dir), "--bulk-threshold", "3", "--bulk-window-days", "5"]) == 0
    out = tmp_path / "platform.csv"
    assert registry_main(["db-export", "--out", str(out)]) == 0
    assert out.read_bytes() == expected


def _written():
    return (Registration.objects.count(), AttendanceRecord.objects.count(), ExamSitting.objects.count(), TransferRecord.objects.count(),
            AuditEvent.objects.count())


def test_a_case_that_disagrees_with_the_platform_is_refused(tmp_path):
    case = planted_case()
    user = platform_for(case)
    first, second = case.registry[0], case.registry[1]
    case.registry.append(("UNKNOWN1", "", "某", "S99", "高一", "在籍"))              # a registration at no school of the city
    case.registry[0] = (first[0], first[1], first[2], second[3], *first[4:])   # a platform student, at another school
    case.attendance.append(("UNKNOWN1", first[3], case.current, 30))
    case_dir = case.write(tmp_path / "case")
    before = _written()
    out = registry_case_import(actor=user, directory=case_dir)
    assert _written() == before
    where = sorted((p.file, p.line, p.column.split(" ")[0]) for p in out.problems)
    n = len(case.registry) + 1
    assert where == sorted([("registry.csv", n, "school_id"), ("registry.csv", 2, "school_id"),
                            ("attendance.csv", len(case.attendance) + 1, "student_id")]), out.problems
    with pytest.raises(SystemExit) as exit_:
        registry_main(["case-import", str(case_dir), "--user", "city"])
    assert exit_.value.code == 2 and _written() == before


def test_a_case_the_engine_refuses_is_refused_the_same_way(tmp_path):
    case = planted_case()
    user = platform_for(case)
    case.attendance.append((case.registry[0][0], case.registry[0][3], "2019-1", "many"))
    case_dir = case.write(tmp_path / "case")
    assert registry_main(["check", str(case_dir), "--out", str(tmp_path / "x.csv")]) == 2
    before = _written()
    out = registry_case_import(actor=user, directory=case_dir)
    assert [(p.file, p.line, p.column) for p in out.problems] == [("attendance.csv", len(case.attendance) + 1, "days_present")]
    assert _written() == before


def test_the_check_from_the_page_and_its_download_equal_the_command(tmp_path):
    case = random_case(5)
    case_dir = case.write(tmp_path / "case")
    expected = engine_out(case_dir, tmp_path / "engine.csv")
    user = platform_for(case)
    assert registry_case_import(actor=user, directory=case_dir).ok
    c = Client()
    c.force_login(user)
    r = c.post(reverse("registry_check_run"), {"current_term": case.current, "terms": ",".join(case.terms), "bulk_threshold": 10,
                                               "bulk_window_days": 30})
    assert r.status_code == 302
    check = RegistryCheck.objects.get()
    assert c.get(reverse("registry_check_export", args=[check.pk]) + "?full=1").content == expected
    masked = c.get(reverse("registry_check_export", args=[check.pk])).content.decode()
    assert masked == mask_ids(expected.decode()) and masked.count("\n") == expected.count(b"\n")
