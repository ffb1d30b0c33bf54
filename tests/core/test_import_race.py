"""Two imports of the same 身份证号 at once, from two schools (two counties for teachers), each on its own
connection: both pass their checks before either writes; one registers the numbers, the other is refused row by
row with the message that names no other school ("已在本市其他学校在籍，请联系县(区)教育局"), writes nothing and
raises nothing (no 500). A unique constraint on the 身份证号 holds whatever the timing: on SQLite the second write
waits for the first and its in-transaction re-check sees it; on PostgreSQL the constraint stops the insert."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from gaozhong.core.models import AuditEvent, Student, Teacher
from gaozhong.core.services import imports as imp
from gaozhong.core.services.imports import records_import

from .test_imports import TEACHER_HEADERS, idn, student_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)

N = 60


def _race(monkeypatch, checker: str, jobs: list[tuple]) -> list:
    """Run ``records_import`` for each (actor, kind, data) in its own thread; every checker waits for the others
    before its write, so the writes race."""
    barrier = threading.Barrier(len(jobs))
    real = getattr(imp, checker)

    def checked_then_wait(actor, table):
        plan, problems = real(actor, table)
        barrier.wait(timeout=60)
        return plan, problems

    monkeypatch.setattr(imp, checker, checked_then_wait)
    results: list = [None] * len(jobs)

    def run(i, actor, kind, data):
        try:
            results[i] = records_import(actor=actor, kind=kind, data=data, filename=f"{i}.xlsx")
        except BaseException as exc:  # the test fails on it below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


@pytest.mark.parametrize("recheck", [True, False], ids=["recheck-sees-it", "constraint-stops-it"])
def test_two_schools_importing_the_same_id_numbers_at_once_register_them_once(world, monkeypatch, recheck):
    """``constraint-stops-it`` leaves out the in-transaction re-check, as when two re-checks pass at once on
    PostgreSQL: the unique constraint stops the second insert and its rows are named the same way."""
    if not recheck:
        monkeypatch.setattr(imp, "_recheck_owners", lambda *a, **k: None)
    rows_a = student_rows("GA1", n=N, start=100)
    rows_b = [[f"GB{i:05d}", r[1], f"另名{i}"] + r[3:] for i, r in enumerate(student_rows("GB1", n=N, start=100))]
    for r in rows_b:
        r[5] = "GB1"
    audit = AuditEvent.objects.count()
    results = _race(monkeypatch, "_students", [(world.a.school_user, "students", xlsx(rows_a)), (world.b.school_user, "students", xlsx(rows_b))])
    assert not [r for r in results if isinstance(r, BaseException)], results
    won = [r for r in results if r.ok]
    lost = [r for r in results if not r.ok]
    assert len(won) == 1 and len(lost) == 1 and won[0].created == N
    problems = lost[0].problems
    assert len(problems) == N and {p.line for p in problems} == set(range(2, N + 2))
    assert all(p.column.startswith("身份证号") and "已在本市其他学校在籍，请联系县(区)教育局" in p.reason for p in problems)
    assert not any(world.a.school.name in p.reason or world.b.school.name in p.reason for p in problems)
    ids = [r[1] for r in rows_a]
    assert Student.objects.filter(id_number__in=ids).count() == N
    assert len(set(Student.objects.filter(id_number__in=ids).values_list("school", flat=True))) == 1
    assert AuditEvent.objects.count() == audit + 1


def test_two_counties_hiring_the_same_id_numbers_at_once_register_them_once(world, monkeypatch):
    def rows(tag, county, school):
        return [[f"T{tag}{i:04d}", idn(900 + i), f"教师{tag}{i}", "女", county, school, "数学", "一级", "专任教师", "2015-09-01", "是"] for i in range(N)]

    from gaozhong.core.models import Subject

    Subject.objects.get_or_create(code="SX", defaults={"name": "数学"})
    data_a = xlsx(rows("a", "149901", "GA1"), TEACHER_HEADERS, sheet="教师")
    data_b = xlsx(rows("b", "149902", "GB1"), TEACHER_HEADERS, sheet="教师")
    results = _race(monkeypatch, "_teachers", [(world.a.county_user, "teachers", data_a), (world.b.county_user, "teachers", data_b)])
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(r.ok for r in results) == [False, True]
    lost = next(r for r in results if not r.ok)
    assert len(lost.problems) == N and all("已在本市其他单位登记" in p.reason for p in lost.problems)
    assert Teacher.objects.filter(id_number__in=[idn(900 + i) for i in range(N)]).count() == N


def test_the_database_refuses_a_second_student_or_teacher_with_one_id_number(world):
    """The constraint itself, below every service: a direct insert of a held number fails; an empty number is no number."""
    a = world.a
    with pytest.raises(IntegrityError), transaction.atomic():
        Student.objects.create(school=a.school, student_no="GX1", id_number=a.student.id_number, name="某", gender="男", entry_year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        Teacher.objects.create(school=a.school, county=a.county, staff_no="TX1", id_number=a.teacher.id_number, name="某", gender="女",
                               hire_date="2020-09-01")
    for no in ("GX2", "GX3"):
        Student.objects.create(school=a.school, student_no=no, id_number="", name="某", gender="男", entry_year=2025)
