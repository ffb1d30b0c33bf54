"""A small 3+1+2 grade for the web tests: school a's two 高一 classes of the ``world`` fixture filled to
``per_class`` students each, every subject of the default plan with two teachers, home rooms, spare rooms, a
chemistry lab and a field, an open selection window, and (unless told otherwise) every student's choice."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from gaozhong.core.models import Enrollment, Student, Subject, Teacher
from gaozhong.electives.models import Choice, Room, Window
from gaozhong.electives.rules import COMBINATIONS
from gaozhong.electives.services.windows import DEFAULT_PLAN, window_create

NAMES = {"YW": "语文", "SX": "数学", "WY": "外语", "TY": "体育", "WL": "物理", "LS": "历史", "HX": "化学", "SW": "生物", "ZZ": "政治", "DL": "地理"}
# Physics-heavy, like a real cohort: the first combinations of COMBINATIONS are the physics ones.
ROTATION = [0, 0, 1, 2, 0, 3, 6, 11, 0, 4, 7, 11]


def _id(k: int) -> str:
    from gaozhong.importer.idnumber import check_character

    first = f"149901200801{k:05d}"
    return first + check_character(first)


def elective_grade(world, place=None, *, per_class: int = 20, choose: bool = True, closes_in: dt.timedelta = dt.timedelta(days=3)) -> Window:
    place = place or world.a
    school = place.school
    subjects = {s.code: s for s in Subject.objects.all()}
    for code, name in NAMES.items():
        if code not in subjects:
            subjects[code] = Subject.objects.create(code=code, name=name, is_elective=code in {"WL", "LS", "HX", "SW", "ZZ", "DL"})
    k = 0
    for code in NAMES:
        for n in (1, 2):
            k += 1
            t = Teacher.objects.create(school=school, county=place.county, staff_no=f"E{school.code}{code}{n}", name=f"{NAMES[code]}老师{n}",
                                       id_number=_id(500 + k + (100 if place is world.b else 0)), gender="女", hire_date=dt.date(2015, 9, 1))
            t.subjects.add(subjects[code])
    serial = itertools.count(1)
    for ac in (place.admin_class, place.other_class):
        have = Student.objects.filter(admin_class=ac).count()
        for _ in range(per_class - have):
            i = next(serial) + (1000 if place is world.b else 0)
            st = Student.objects.create(school=school, student_no=f"E{ac.pk:03d}{i:04d}", id_number=_id(2000 + i), name=f"学生{i}", gender="男",
                                        entry_year=2025, admin_class=ac)
            Enrollment.objects.create(student=st, admin_class=ac)
    for ac in (place.admin_class, place.other_class):
        Room.objects.create(school=school, code=f"H{ac.number}", room_type="normal", capacity=50, admin_class=ac)
    for i in range(1, 4):
        Room.objects.create(school=school, code=f"N{i}", room_type="normal", capacity=50)
    Room.objects.create(school=school, code="LAB1", room_type="lab-chem", capacity=50)
    Room.objects.create(school=school, code="F1", room_type="field", capacity=60)
    su = place.school_user
    window = window_create(actor=su, school=school, school_year=world.year, grade=1, closes_at=timezone.now() + closes_in)
    assert window.plan.count() == len(DEFAULT_PLAN)
    if choose:
        for n, st in enumerate(Student.objects.filter(admin_class__in=[place.admin_class, place.other_class]).order_by("pk")):
            codes = COMBINATIONS[ROTATION[n % len(ROTATION)]]
            Choice.objects.create(window=window, student=st, electives=";".join(codes), updated_by=su)
    return window
