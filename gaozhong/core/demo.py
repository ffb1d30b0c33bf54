"""The demo city 晋阳市 (made up): counties, schools, students in classes over four school years, teachers,
this year's 中考 candidates, and a demo account for every role. Built deterministically from a seed.

Shape (seed 002 §三(五): 18 public senior high schools; §三(七): classes ≤ 55): six counties, 18 public and 3
private senior high schools, about 80 junior high schools, about 20,000 candidates, about 11,000 senior
students a year in classes of 40–70 (some over 55 so the 班额 target has something to show, fewer each year),
about 3,500 teachers. All names, places and identity numbers are invented; identity numbers pass the GB 11643
check so the registry checks have clean data to start from.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from gaozhong.importer.idnumber import check_character as id_check_char

from .models import (
    AdminClass, Candidate, City, County, Enrollment, Membership, Role, School, SchoolYear, Student, Subject, Teacher,
    TeachingAssignment,
)

DEMO_PASSWORD = "Gaozhong2025"
CURRENT_YEAR = 2025  # school year 2025-2026
FIRST_YEAR = 2022  # four school years: 2022-2023 … 2025-2026

COUNTIES = [
    ("149901", "城东区"), ("149902", "城西区"), ("149921", "河阳县"),
    ("149922", "青山县"), ("149923", "白水县"), ("149924", "松岭县"),
]
# (county index, name, quality, ownership, yearly intake)
SENIOR_SCHOOLS = [
    (0, "晋阳市第一中学", "provincial", "public", 900), (0, "晋阳市第三中学", "city", "public", 700),
    (0, "城东实验中学", "ordinary", "public", 500), (1, "晋阳市第二中学", "provincial", "public", 850),
    (1, "城西高级中学", "ordinary", "public", 550), (1, "晋阳外国语学校", "city", "private", 400),
    (2, "河阳县第一中学", "provincial", "public", 800), (2, "河阳县第二中学", "ordinary", "public", 500),
    (2, "河阳县职教中心附属高中", "ordinary", "public", 300), (3, "青山县第一中学", "city", "public", 650),
    (3, "青山县第二中学", "ordinary", "public", 400), (3, "青山博文中学", "ordinary", "private", 300),
    (4, "白水县第一中学", "city", "public", 600), (4, "白水县第二中学", "ordinary", "public", 450),
    (4, "白水县西城高级中学", "ordinary", "public", 350), (5, "松岭县第一中学", "city", "public", 600),
    (5, "松岭县第二中学", "ordinary", "public", 400), (5, "松岭县民族中学", "ordinary", "public", 300),
    (0, "城东第二高级中学", "ordinary", "public", 450), (1, "晋阳育才学校", "ordinary", "private", 350),
    (2, "河阳县第三中学", "ordinary", "public", 400),
]
JUNIORS_PER_COUNTY = [16, 15, 14, 12, 12, 11]

SUBJECTS = [
    ("YW", "语文", False), ("SX", "数学", False), ("WY", "外语", False), ("WL", "物理", True), ("HX", "化学", True),
    ("SW", "生物", True), ("ZZ", "政治", True), ("LS", "历史", True), ("DL", "地理", True), ("TY", "体育", False),
    ("XX", "信息技术", False), ("TJ", "通用技术", False), ("XL", "心理健康", False), ("YY", "音乐", False), ("MS", "美术", False),
]
# weekly periods per admin class, used to size each school's teaching staff by subject
PERIODS = {"YW": 5, "SX": 5, "WY": 5, "WL": 3, "HX": 3, "SW": 3, "ZZ": 2, "LS": 2, "DL": 2, "TY": 2, "XX": 1, "TJ": 1, "XL": 1, "YY": 1, "MS": 1}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩然博文泽睿子涵皓辰昊天俊熙一鸣晨阳鹏飞志远梓"


@dataclass
class DemoSummary:
    counties: int
    senior_schools: int
    junior_schools: int
    students: int
    enrollments: int
    classes: int
    teachers: int
    candidates: int
    accounts: list[tuple[str, str, str]]  # (username, role label, place)


class _Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.used_ids: set[str] = set()
        self.seq = 0

    def name(self) -> str:
        g = self.r.choice(GIVEN) + (self.r.choice(GIVEN) if self.r.random() < 0.7 else "")
        return self.r.choice(SURNAMES) + g

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        while True:
            self.seq += 1
            serial = self.r.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
            first = f"{region}{birth:%Y%m%d}{serial:03d}"
            full = first + id_check_char(first)
            if full not in self.used_ids:
                self.used_ids.add(full)
                return full

    def birth(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.r.randrange(0, 365))


def build_demo(*, seed: int = 2025, progress: Callable[[str], None] = lambda s: None) -> DemoSummary:
    """Build the demo city into an empty database (refuses if a city exists)."""
    if City.objects.exists():
        raise RuntimeError("数据库中已有城市数据；示范城市只能建在空数据库中 (the database is not empty)")
    g = _Gen(seed)
    r = g.r
    with transaction.atomic():
        city = City.objects.create(code="1499", name="晋阳市")
        counties = [County.objects.create(city=city, code=c, name=n) for c, n in COUNTIES]
        subjects = {code: Subject.objects.create(code=code, name=name, is_elective=el) for code, name, el in SUBJECTS}
        years = {y: SchoolYear.objects.create(start_year=y, is_current=(y == CURRENT_YEAR)) for y in range(FIRST_YEAR, CURRENT_YEAR + 1)}
        progress("counties, subjects and school years")

        seniors: list[tuple[School, int]] = []
        for i, (ci, name, quality, ownership, intake) in enumerate(SENIOR_SCHOOLS, start=1):
            s = School.objects.create(
                county=counties[ci], code=f"G{counties[ci].code[-2:]}{i:02d}", name=name, level=School.Level.SENIOR,
                ownership=ownership, quality=quality, founded_year=r.randrange(1950, 2012), address=f"{counties[ci].name}{name[-4:]}路{r.randrange(1, 300)}号",
            )
            seniors.append((s, intake))
        juniors: list[School] = []
        for ci, n in enumerate(JUNIORS_PER_COUNTY):
            for k in range(1, n + 1):
                juniors.append(School.objects.create(
                    county=counties[ci], code=f"J{counties[ci].code[-2:]}{k:02d}", name=f"{counties[ci].name}第{_cn(k)}初级中学",
                    level=School.Level.JUNIOR, ownership=School.Ownership.PUBLIC, quality=School.Quality.ORDINARY,
                ))
        progress(f"{len(seniors)} senior and {len(juniors)} junior schools")

        # Classes and students: cohorts entering FIRST_YEAR-2 … CURRENT_YEAR; class sizes shrink toward ≤ 55 over the years.
        classes_by: dict[tuple[int, int, int], list[AdminClass]] = {}
        class_rows = []
        for s, intake in seniors:
            for y in years.values():
                for grade in (1, 2, 3):
                    cohort = y.start_year - grade + 1
                    size = _cohort_size(s, intake, cohort, r)
                    k = int(s.code[-2:])
                    if y.start_year >= 2024:
                        target = 58 if k % 5 == 0 else 53  # a few schools still over 55
                    else:
                        target = 67 if k % 7 == 0 else 57  # earlier years: 大班额 and some 超大班额
                    n_classes = max(1, round(size / target))
                    for num in range(1, n_classes + 1):
                        class_rows.append(AdminClass(school=s, school_year=y, grade=grade, number=num))
        AdminClass.objects.bulk_create(class_rows, batch_size=2000)
        for ac in AdminClass.objects.select_related("school_year"):
            classes_by.setdefault((ac.school_id, ac.school_year.start_year, ac.grade), []).append(ac)
        progress(f"{len(class_rows)} admin classes")

        students: list[Student] = []
        placements: list[tuple[int, int, int]] = []  # (student index, school id, cohort)
        for s, intake in seniors:
            region = s.county.code
            for cohort in range(FIRST_YEAR - 2, CURRENT_YEAR + 1):
                size = _cohort_size(s, intake, cohort, r)
                for _ in range(size):
                    gender = "男" if r.random() < 0.51 else "女"
                    birth = g.birth(cohort - 15)
                    idn = g.id_number(region, birth, gender)
                    graduated = cohort + 3 <= CURRENT_YEAR
                    status = Student.Status.GRADUATED if graduated else (Student.Status.SUSPENDED if r.random() < 0.004 else Student.Status.ENROLLED)
                    base = 620 if s.quality == "provincial" else 560 if s.quality == "city" else 470
                    score = max(200, min(700, round(r.gauss(base, 45))))
                    students.append(Student(
                        school=s, student_no="G" + idn, id_number=idn, name=g.name(), gender=gender, birth_date=birth,
                        entry_year=cohort, status=status, exam_no=f"{str(cohort)[2:]}{region[-2:]}{len(students):06d}", entry_score=score,
                    ))
                    placements.append((len(students) - 1, s.pk, cohort))
        Student.objects.bulk_create(students, batch_size=2000)
        progress(f"{len(students)} students")

        # Each school year a student of grade 1–3 sits in one admin class; 高二 re-forms classes (分班), so the
        # order students are dealt into classes is shuffled again for grade 2 and kept for grade 3.
        enrollments = []
        current_class: dict[int, int] = {}
        by_cohort: dict[tuple[int, int], list[int]] = {}
        for idx, school_id, cohort in placements:
            by_cohort.setdefault((school_id, cohort), []).append(idx)
        for (school_id, cohort), members in by_cohort.items():
            order = list(members)
            for grade in (1, 2, 3):
                y = cohort + grade - 1
                if grade == 2:
                    random.Random(len(order) * 31 + cohort).shuffle(order)
                if not FIRST_YEAR <= y <= CURRENT_YEAR:
                    continue
                pool = classes_by[(school_id, y, grade)]
                for k, idx in enumerate(order):
                    st = students[idx]
                    ac = pool[k % len(pool)]
                    enrollments.append(Enrollment(student_id=st.pk, admin_class_id=ac.pk))
                    if y == CURRENT_YEAR and st.status == Student.Status.ENROLLED:
                        current_class[st.pk] = ac.pk
        Enrollment.objects.bulk_create(enrollments, batch_size=5000)
        for st in students:
            st.admin_class_id = current_class.get(st.pk)
        Student.objects.bulk_update([s for s in students if s.admin_class_id], ["admin_class"], batch_size=2000)
        progress(f"{len(enrollments)} class enrollments")

        # Teachers: per school, by subject, from periods × classes with a varying staffing level.
        teachers: list[Teacher] = []
        teacher_subjects: list[tuple[int, str]] = []
        for s, intake in seniors:
            n_classes = sum(len(classes_by[(s.pk, CURRENT_YEAR, gr)]) for gr in (1, 2, 3))
            staffing = r.uniform(0.65, 1.15)
            for code, periods in PERIODS.items():
                need = n_classes * periods / 6.0 * staffing
                if code in ("XL", "XX", "TJ") and r.random() < 0.3:
                    need = 0  # structural shortage: some schools have no 心理/信息/通用技术 teacher
                for _ in range(max(0 if need == 0 else 1, round(need))):
                    teachers.append(_teacher(g, s.county, s, len(teachers)))
                    teacher_subjects.append((len(teachers) - 1, code))
            for post in (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL, Teacher.Post.VICE_PRINCIPAL):
                t = _teacher(g, s.county, s, len(teachers))
                t.post = post
                teachers.append(t)
                teacher_subjects.append((len(teachers) - 1, r.choice(["YW", "SX", "WY"])))
        for c in counties:
            for _ in range(10):
                t = _teacher(g, c, None, len(teachers))
                t.post = Teacher.Post.RESEARCHER
                teachers.append(t)
                teacher_subjects.append((len(teachers) - 1, r.choice(list(PERIODS))))
        Teacher.objects.bulk_create(teachers, batch_size=2000)
        Through = Teacher.subjects.through
        Through.objects.bulk_create([Through(teacher_id=teachers[i].pk, subject_id=subjects[code].pk) for i, code in teacher_subjects], batch_size=5000)
        progress(f"{len(teachers)} teachers")

        # This year's teaching assignments: each current class gets a teacher of its school per subject.
        by_school_subject: dict[tuple[int, str], list[Teacher]] = {}
        for i, code in teacher_subjects:
            t = teachers[i]
            if t.school_id and t.post == Teacher.Post.TEACHING:
                by_school_subject.setdefault((t.school_id, code), []).append(t)
        assignments = []
        heads = []
        for (school_id, y, grade), pool in classes_by.items():
            if y != CURRENT_YEAR:
                continue
            for k, ac in enumerate(pool):
                for code in ("YW", "SX", "WY", "WL", "HX", "SW", "ZZ", "LS", "DL", "TY"):
                    cands = by_school_subject.get((school_id, code))
                    if cands:
                        t = cands[(k + grade * 3) % len(cands)]
                        assignments.append(TeachingAssignment(teacher=t, admin_class=ac, subject=subjects[code]))
                        if code == "YW":
                            ac.head_teacher = t
                            heads.append(ac)
        TeachingAssignment.objects.bulk_create(assignments, batch_size=5000)
        AdminClass.objects.bulk_update(heads, ["head_teacher"], batch_size=2000)
        progress(f"{len(assignments)} teaching assignments")

        # 中考 candidates of the coming admission (2026): junior-school graduates with subject scores.
        cands = []
        for j in juniors:
            n = r.randrange(180, 330)
            strength = r.gauss(0, 25)
            for _ in range(n):
                gender = "男" if r.random() < 0.51 else "女"
                total = max(150.0, min(700.0, round(r.gauss(500 + strength, 85))))
                share = total / 700
                ch = min(120, max(20, round(r.gauss(120 * share, 8))))
                ma = min(120, max(10, round(r.gauss(120 * share, 12))))
                en = min(120, max(10, round(r.gauss(120 * share, 10))))
                talent = round(r.uniform(60, 100), 1) if r.random() < 0.05 else None
                birth = g.birth(2010)
                cands.append(Candidate(
                    year=2026, exam_no=f"26{j.county.code[-2:]}{len(cands):06d}", name=g.name(), id_number=g.id_number(j.county.code, birth, gender),
                    gender=gender, junior_school=j, county=j.county, score=total, chinese=ch, math=ma, english=en, talent_score=talent,
                ))
        Candidate.objects.bulk_create(cands, batch_size=5000)
        progress(f"{len(cands)} 中考 candidates")

        accounts = _accounts(counties, seniors, teachers, students, assignments)
        progress(f"{len(accounts)} demo accounts")

        # Each domain app adds its own demo data: ``<app>/demo.py`` with ``build(*, seed, progress)``.
        for module in _domain_demo_modules():
            module.build(seed=seed, progress=progress)

    return DemoSummary(
        counties=len(counties), senior_schools=len(seniors), junior_schools=len(juniors), students=len(students),
        enrollments=len(enrollments), classes=len(class_rows), teachers=len(teachers), candidates=len(cands), accounts=accounts,
    )


def _domain_demo_modules():
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for cfg in apps.get_app_configs():
        if cfg.name.startswith("gaozhong.") and cfg.name != "gaozhong.core" and find_spec(f"{cfg.name}.demo"):
            yield import_module(f"{cfg.name}.demo")


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _cohort_size(school: School, intake: int, cohort: int, r: random.Random) -> int:
    # Deterministic per (school, cohort): a second generator so the main sequence is not disturbed.
    rr = random.Random(int(school.code[1:]) * 10007 + cohort)
    return max(40, round(intake * rr.uniform(0.92, 1.08)))


def _teacher(g: _Gen, county: County, school: School | None, k: int) -> Teacher:
    r = g.r
    gender = "男" if r.random() < 0.42 else "女"
    birth = g.birth(r.randrange(1965, 2000))
    hire_year = min(2025, birth.year + r.randrange(22, 30))
    return Teacher(
        school=school, county=county, staff_no=f"T{county.code[-2:]}{k:05d}", name=g.name(), id_number=g.id_number(county.code, birth, gender),
        gender=gender, title=r.choice(["高级", "一级", "一级", "二级", "二级", "未定级", "正高级"] if r.random() < 0.98 else ["正高级"]),
        post=Teacher.Post.TEACHING, hire_date=dt.date(hire_year, 9, 1), is_bianzhi=r.random() < 0.88,
    )


def _accounts(counties, seniors, teachers, students, assignments) -> list[tuple[str, str, str]]:
    pw = make_password(DEMO_PASSWORD)
    out = []

    def make(username: str, full: str, role: str, place: str, **where) -> None:
        u = User.objects.create(username=username, first_name=full, password=pw)
        Membership.objects.create(user=u, role=role, **where)
        out.append((username, dict(Role.choices)[role], place))

    make("city_admin", "市教育局管理员", Role.CITY_ADMIN, "晋阳市")
    for c in counties:
        make(f"county_{c.code}", f"{c.name}教育局", Role.COUNTY_STAFF, c.name, county=c)
    for s, _ in seniors:
        make(f"school_{s.code}", f"{s.name}教务处", Role.SCHOOL_ADMIN, s.name, school=s)
    t = assignments[0].teacher
    make("teacher_demo", t.name, Role.TEACHER, t.school.name, school=t.school, teacher=t)
    st = next(s for s in students if s.status == Student.Status.ENROLLED and s.admin_class_id)
    make("student_demo", st.name, Role.STUDENT, st.school.name, school=st.school, student=st)
    return out
