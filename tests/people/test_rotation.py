"""Part 4, rotation (交流轮岗): the audited move service that changes a teacher's school and records the move,
the moves import, each county's yearly rate against > 15% (seed 003 §三(五)) and the proposal of who is due."""

from __future__ import annotations

import datetime as dt

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AdminClass, AuditEvent, School, Subject, Teacher
from gaozhong.people.models import Move
from gaozhong.people.selectors import rotation_due, rotation_rates
from gaozhong.people.services.imports import people_import
from gaozhong.people.services.rotation import teacher_move

from ..core.test_imports import xlsx
from .factories import teacher

pytestmark = pytest.mark.django_db

MOVE_HEADERS = ["教职工号", "调出学校代码", "调入学校代码", "调动日期", "类型", "备注"]


def _rows():
    return AuditEvent.objects.count(), Move.objects.count(), list(Teacher.objects.order_by("pk").values_list("school", "county"))


class TestTeacherMove:
    def test_it_writes_one_audit_row(self, world):
        t = world.a.teacher
        n = AuditEvent.objects.count()
        m = teacher_move(actor=world.a.county_user, teacher=t, to_school=world.a.junior, moved_on=dt.date(2025, 8, 25), note="县管校聘")
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert e.action == "people.teacher.moved" and e.before == {"school": world.a.school.pk, "county": world.a.county.pk}
        t.refresh_from_db()
        assert t.school == world.a.junior
        assert (m.kind, m.from_school, m.to_school, m.from_county, m.to_county) == ("rotation", world.a.school, world.a.junior, world.a.county, world.a.county)

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            teacher_move(actor=getattr(world.a, who), teacher=world.b.teacher, to_school=world.b.junior, moved_on=dt.date(2025, 8, 25))
        assert _rows() == before

    def test_a_county_moves_only_among_its_schools_and_a_school_not_at_all(self, world):
        before = _rows()
        with pytest.raises(PermissionDenied):
            teacher_move(actor=world.a.county_user, teacher=world.a.teacher, to_school=world.b.school, moved_on=dt.date(2025, 8, 25))
        with pytest.raises(PermissionDenied):
            teacher_move(actor=world.a.school_user, teacher=world.a.teacher, to_school=world.a.junior, moved_on=dt.date(2025, 8, 25))
        assert _rows() == before
        teacher_move(actor=world.city_user, teacher=world.a.teacher, to_school=world.b.school, moved_on=dt.date(2025, 8, 25))
        world.a.teacher.refresh_from_db()
        assert (world.a.teacher.school, world.a.teacher.county) == (world.b.school, world.b.county)

    @pytest.mark.parametrize("school,day", [("school", dt.date(2025, 8, 25)), ("junior", dt.date(2009, 8, 25)), ("junior", dt.date(2099, 1, 1))])
    def test_a_wrong_move_is_refused(self, world, school, day):
        before = _rows()
        with pytest.raises(ValidationError):
            teacher_move(actor=world.a.county_user, teacher=world.a.teacher, to_school=getattr(world.a, school), moved_on=day)
        assert _rows() == before

    def test_a_move_cannot_predate_the_last_one(self, world):
        teacher_move(actor=world.a.county_user, teacher=world.a.teacher, to_school=world.a.junior, moved_on=dt.date(2025, 8, 25))
        before = _rows()
        with pytest.raises(ValidationError):
            teacher_move(actor=world.a.county_user, teacher=world.a.teacher, to_school=world.a.school, moved_on=dt.date(2024, 8, 25))
        assert _rows() == before


def _moves_file(rows):
    return xlsx(rows, MOVE_HEADERS, sheet="调动")


def test_the_moves_import_chains_moves_and_writes_one_audit_row(world):
    t = teacher(world.a)
    n = AuditEvent.objects.count()
    rows = [[t.staff_no, "JA1", "GA1", dt.date(2024, 8, 25), "交流轮岗", None],  # given second, dated later
            [t.staff_no, "GA1", "JA1", dt.date(2023, 8, 25), "rotation", "县管校聘"],
            ["Ta1", "GA1", "JA1", dt.date(2025, 8, 20), "调动", None]]
    out = people_import(actor=world.a.county_user, kind="moves", data=_moves_file(rows), filename="调动.xlsx")
    assert out.ok, out.problems
    assert out.created == 3 and AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == "people.moves.imported"
    assert list(Move.objects.filter(teacher=t).order_by("moved_on").values_list("from_school__code", "to_school__code")) == [("GA1", "JA1"), ("JA1", "GA1")]
    t.refresh_from_db()
    world.a.teacher.refresh_from_db()
    assert t.school.code == "GA1" and world.a.teacher.school.code == "JA1"
    assert Move.objects.get(teacher=world.a.teacher).kind == "transfer"


def test_the_moves_import_names_every_problem_and_writes_nothing(world):
    t, t2 = teacher(world.a), teacher(world.a)
    before = _rows()
    rows = [[t.staff_no, "JA1", "GA1", dt.date(2024, 8, 25), "交流轮岗", None],  # line 2: at GA1, not JA1
            ["Tb1", "GB1", "JB1", dt.date(2024, 8, 25), "交流轮岗", None],  # line 3: another county's teacher and schools
            ["Ta1", "GA1", "JB1", dt.date(2024, 8, 25), "交流轮岗", None],  # line 4: destination in another county
            ["Ta1", "GA1", "ZZ9", dt.date(2024, 8, 25), "交流轮岗", None],  # line 5: no such school (and from GA1 again)
            [t2.staff_no, "GA1", "JA1", dt.date(2001, 8, 25), "交流轮岗", None]]  # line 6: before the hire date
    out = people_import(actor=world.a.county_user, kind="moves", data=_moves_file(rows), filename="调动.xlsx")
    got = {(p.line, p.column.split(" ")[0]) for p in out.problems}
    assert {(3, "教职工号"), (3, "调出学校代码"), (3, "调入学校代码"), (4, "调入学校代码"), (5, "调入学校代码"), (6, "调动日期")} <= got, out.problems
    assert any(p.line == 2 and p.column.startswith("调出学校代码") for p in out.problems)
    assert _rows() == before


def _county_a_history(world):
    """Ten principals and teachers at GA1 since 2010; in 2025 two rotate out of GA1, one transfers (not counted)."""
    staff = [world.a.teacher] + [teacher(world.a, hired=dt.date(2010, 9, 1)) for _ in range(9)]
    for t, kind in zip(staff[1:4], ("rotation", "rotation", "transfer")):
        Move.objects.create(teacher=t, kind=kind, moved_on=dt.date(2025, 8, 25), from_school=world.a.school, to_school=world.a.junior,
                            from_county=world.a.county, to_county=world.a.county)
        Teacher.objects.filter(pk=t.pk).update(school=world.a.junior)
    return staff


def test_rates_per_county_and_year(world):
    _county_a_history(world)
    data = rotation_rates(user=world.city_user, years=[2024, 2025])
    cells = {(row["county"].code, c.year): c for row in data["table"] for c in row["cells"]}
    a25 = cells[world.a.county.code, 2025]
    assert (a25.headcount, a25.movers, a25.meets, a25.needed) == (10, 2, True, 0)
    assert (cells[world.a.county.code, 2024].movers, cells[world.a.county.code, 2024].needed) == (0, 2)
    assert (cells[world.b.county.code, 2025].headcount, cells[world.b.county.code, 2025].movers) == (1, 0)
    assert [row["county"] for row in rotation_rates(user=world.b.county_user, years=[2025])["table"]] == [world.b.county]
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("people_rotation")).content.decode()
    assert "20.0%" in body and "2/10" in body and world.b.county.name not in body.split("rotation-table")[1].split("</table>")[0]
    c.force_login(world.a.school_user)
    assert c.get(reverse("people_rotation")).status_code == 403


def test_the_proposal_sends_a_spare_teacher_where_the_subject_is_lacking(world):
    staff = _county_a_history(world)
    maths = Subject.objects.get(code="SX")
    ga2 = School.objects.create(county=world.a.county, code="GA2", name="a县二中", level="senior")
    for n in (1, 2):
        AdminClass.objects.create(school=ga2, school_year=world.year, grade=1, number=n)
    spare = staff[5]
    spare.subjects.set([maths])  # GA1 now has two maths teachers for two classes: one spare
    Teacher.objects.filter(pk=staff[6].pk).update(hire_date=dt.date(2022, 9, 1))  # only 3–4 years at GA1: not due
    data = rotation_due(user=world.a.county_user, county=world.a.county, on=dt.date(2026, 8, 31))
    ids = [x["teacher"].pk for x in data["proposals"]]
    # the two maths teachers of GA1 (one of them spare there) come first, both proposed for GA2, which has none
    assert set(ids[:2]) == {spare.pk, world.a.teacher.pk}
    assert all(x["destinations"][0][0] == ga2 and x["subject"] == "数学" for x in data["proposals"][:2])
    assert all(not x["destinations"] for x in data["proposals"][2:])
    assert staff[6].pk not in ids and staff[1].pk not in ids  # too recent, and moved in 2025
    assert data["rate"].year == 2026 and data["rate"].needed == 2  # 10 at 1 January 2026, none moved yet
    assert any(x["school"] == ga2 for x in data["lacking"])
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("people_rotation_due")).content.decode()
    assert spare.name in body and "a县二中" in body
    # the whole list exports in its order (no cut), with the proposed destinations
    r = c.get(reverse("people_rotation_due"), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("建议顺序", "教师", "教职工号") and len(rows) - 1 == len(data["proposals"])
    assert [row[2] for row in rows[1:]] == [x["teacher"].staff_no for x in data["proposals"]] and "a县二中" in rows[1][8]
    found = c.get(reverse("people_rotation_due"), {"q": spare.staff_no}).content.decode()
    assert "共 1 条" in found and spare.name in found
