"""Demo data of the electives app: the 高二 course-selection window of 晋阳市第一中学 (G0101) for the current
school year, with the usual 3+1+2 weekly plan, home rooms, extra rooms, chemistry labs and sports fields, the
limits of the grade's teachers (some with unavailable slots), and every student's choice drawn like a
province's first 3+1+2 cohorts (物理 ≈ 60%, 物化生 the largest physics combination, 史政地 the largest history
one). The window is open and not yet solved: the school's 教务 (school_G0101) starts the solve from its page.

A student account of that grade, ``student_xuanke``, can change its choice before the deadline.
Deterministic from the seed; written directly like the foundation's demo (no audit rows).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from gaozhong.core.demo import DEMO_PASSWORD
from gaozhong.core.models import Membership, Role, School, SchoolYear, Subject, Teacher, TeachingAssignment

from .casebuild import window_classes, window_students
from .models import Choice, Room, SubjectPlan, TeacherLimit, Window
from .services.windows import DEFAULT_PLAN

PHYSICS_SHARE = 0.6
PHYSICS_PAIRS = {("HX", "SW"): 0.46, ("HX", "DL"): 0.12, ("SW", "DL"): 0.16, ("HX", "ZZ"): 0.08, ("SW", "ZZ"): 0.08, ("ZZ", "DL"): 0.10}
HISTORY_PAIRS = {("ZZ", "DL"): 0.50, ("SW", "DL"): 0.16, ("SW", "ZZ"): 0.12, ("HX", "SW"): 0.06, ("HX", "DL"): 0.08, ("HX", "ZZ"): 0.08}
CLOSES_AT = dt.datetime(2027, 1, 15, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _pick(r: random.Random, shares: dict) -> tuple[str, str]:
    x, acc = r.random(), 0.0
    for pair, share in shares.items():
        acc += share
        if x < acc:
            return pair
    return next(reversed(shares))


def build(*, seed: int, progress: Callable[[str], None]) -> None:
    r = random.Random(seed * 7919 + 70)
    school = School.objects.filter(code="G0101").first()
    year = SchoolYear.objects.filter(is_current=True).first()
    if school is None or year is None:
        return
    admin = User.objects.filter(membership__role=Role.SCHOOL_ADMIN, membership__school=school).first() or User.objects.order_by("pk").first()
    window = Window.objects.create(school=school, school_year=year, grade=2, title=f"{year.start_year}学年高二选课走班", closes_at=CLOSES_AT,
                                   blocked="3:7;3:8", default_max_periods=16)
    subjects = {s.code: s for s in Subject.objects.all()}
    SubjectPlan.objects.bulk_create([SubjectPlan(window=window, subject=subjects[c], track=t, periods=p, xuekao_periods=x, room_type=rt)
                                     for c, t, p, x, rt in DEFAULT_PLAN])
    classes = list(window_classes(window))
    rooms = [Room(school=school, code=f"{ac.grade}{ac.number:02d}", room_type="normal", capacity=56, admin_class=ac) for ac in classes]
    rooms += [Room(school=school, code=f"Z{k:02d}", room_type="normal", capacity=56) for k in range(1, 13)]
    rooms += [Room(school=school, code=f"HX{k}", room_type="lab-chem", capacity=56) for k in range(1, 5)]
    rooms += [Room(school=school, code=f"TY{k}", room_type="field", capacity=60) for k in range(1, 4)]
    Room.objects.bulk_create(rooms)
    plan_codes = {c for c, *_ in DEFAULT_PLAN}
    teacher_ids = sorted(set(TeachingAssignment.objects.filter(admin_class__in=classes, subject__code__in=plan_codes).values_list("teacher_id", flat=True)))
    limits = []
    for t in Teacher.objects.filter(pk__in=teacher_ids, post=Teacher.Post.TEACHING).order_by("staff_no"):
        unavailable = ""
        if r.random() < 0.2:
            slots = sorted({(r.randint(1, 5), r.randint(1, 8)) for _ in range(r.randint(2, 4))})
            unavailable = ";".join(f"{d}:{p}" for d, p in slots if (d, p) not in {(3, 7), (3, 8)})
        limits.append(TeacherLimit(window=window, teacher=t, max_periods=16, unavailable=unavailable))
    TeacherLimit.objects.bulk_create(limits)
    students = list(window_students(window))
    choices = []
    for st in students:
        if r.random() < PHYSICS_SHARE:
            codes = ["WL", *_pick(r, PHYSICS_PAIRS)]
        else:
            codes = ["LS", *_pick(r, HISTORY_PAIRS)]
        order = {c: i for i, c in enumerate(["WL", "LS", "HX", "SW", "ZZ", "DL"])}
        choices.append(Choice(window=window, student=st, electives=";".join(sorted(codes, key=order.get)), updated_by=admin))
    Choice.objects.bulk_create(choices)
    if students:
        st = students[0]
        u = User.objects.create(username="student_xuanke", first_name=st.name, password=make_password(DEMO_PASSWORD))
        Membership.objects.create(user=u, role=Role.STUDENT, school=school, student=st)
    progress(f"electives: window {window.title}, {len(choices)} choices, {len(rooms)} rooms, {len(limits)} teachers")
