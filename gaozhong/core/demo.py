"""The demo city 晋阳市 (made up): counties, schools, students in classes over four school years, teachers,
this year's 中考 candidates, and a demo account for every role. Built deterministically from a seed.

Shape (seed 002 §三(五): 18 public senior high schools; §三(七): classes ≤ 55): six counties, 18 public and 3
private senior high schools, about 80 junior high schools, about 20,000 candidates, about 11,000 senior
students a year in classes of 40–70 (some over 55 so the 班额 target has something to show, fewer each year),
about 3,500 teachers. All names, places and identity numbers are invented; identity numbers pass the GB 11643
check so the registry checks have clean data to start from.

``scale`` (default 1) multiplies the number of people — every school's yearly intake and every junior school's
中考 candidates — and keeps the shape: the same counties, schools, programs, accounts and steps. A test that
needs the demo's whole year in a browser builds it at ``scale=0.1`` (about 2,000 candidates a year).

The demo comes in through the front door: ``setup_city`` creates the city, its counties and ``city_admin``, and
the schools, students and teachers arrive as the Excel files a bureau receives (written under
``<data directory>/demo-files``), loaded through the import services of the 数据导入 page
(``gaozhong.core.demofiles``), so every build exercises them.
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from gaozhong.importer.export import write_csv, write_xlsx
from gaozhong.importer.idnumber import check_character as id_check_char

from .curriculum import SUBJECTS
from .demofiles import DemoFile, demo_files_dir, load_demo_files
from .importspecs import SPECS
from .models import (
    AdminClass, Candidate, City, County, Enrollment, Membership, Role, School, SchoolYear, Student, Subject, Teacher,
    TeachingAssignment,
)
from .services.imports import records_import
from .services.setup import setup_city

DEMO_PASSWORD = "Gaozhong2025"
CITY_NAME, CITY_CODE, CITY_ADMIN = "晋阳市", "1499", "city_admin"
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
#: 中等职业学校 (county index, name): admitted on the same platform as the senior high schools (seed 002 §三(一)).
VOCATIONAL_SCHOOLS = [(0, "晋阳市职业技术学校"), (2, "河阳县职业中学"), (4, "白水县职业教育中心")]

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


@dataclass(frozen=True)
class DemoCity:
    """What the foundation's build generated for a domain's demo files: the files' folder and the coming
    admission's 中考 candidates (unsaved, in 准考证号 order of generation; the admissions demo writes them as the
    examination authority's 中考 file and imports it, since the foundation does not know that file's columns), and
    last year's, whose admission the demo has published."""

    folder: Path
    candidates: list[Candidate]
    #: last year's 中考 candidates (2025), whose admission the admissions demo runs and publishes: this year's 高一
    #: students (their registration's 准考证号, ID number and 中考 score) and the graduates who did not enter a
    #: senior high school
    last_year_candidates: list[Candidate]
    #: each senior school's yearly intake by code (``SENIOR_SCHOOLS`` times the build's ``scale``)
    intake: dict[str, int] = field(default_factory=dict)
    #: the build's ``scale`` (1 for the demo): a domain sizes what it makes up itself (plans of schools without
    #: an intake, say) by it
    scale: float = 1.0


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


def build_demo(*, seed: int = 2025, progress: Callable[[str], None] = lambda s: None, files_dir: Path | None = None,
               scale: float = 1.0) -> DemoSummary:
    """Build the demo city into an empty database (refuses if a city exists).

    The front door, as a bureau would: ``setup_city`` from a counties file, then the schools, students and
    teachers files (``files_dir``, default ``<data directory>/demo-files``) through the import services of the
    数据导入 page, as the city administrator. What has no import (school years, admin classes, past
    years' class enrolments, teaching assignments, the other demo accounts) is written directly. The 中考 candidates
    are generated here and handed to the domain demos (``DemoCity``): the admissions demo imports their file.
    ``scale`` multiplies the intakes and the candidates (the module's docstring).
    """
    if City.objects.exists():
        raise RuntimeError("数据库中已有城市数据；示范城市只能建在空数据库中 (the database is not empty)")
    folder = files_dir or demo_files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    b = _Builder(seed, scale)
    with transaction.atomic():
        counties_csv = b.write_counties(folder)
        admin = setup_city(name=CITY_NAME, code=CITY_CODE, counties_data=counties_csv.read_bytes(), counties_filename=counties_csv.name,
                           admin_username=CITY_ADMIN, password=DEMO_PASSWORD).admin
        b.counties = list(County.objects.order_by("pk"))
        b.subjects = {s.code: s for s in Subject.objects.all()}  # setup_city created the curriculum's subjects
        b.years = {y: SchoolYear.objects.create(start_year=y, is_current=(y == CURRENT_YEAR)) for y in range(FIRST_YEAR, CURRENT_YEAR + 1)}
        progress("setup_city, subjects and school years")

        # The files a bureau receives, each loaded through its import (one line per kind).
        load_demo_files([
            DemoFile("schools", b.write_schools, partial(records_import, kind="schools"), after=b.make_classes),
            DemoFile("students", b.write_students, partial(records_import, kind="students"), after=b.enrol),
            DemoFile("teachers", b.write_teachers, partial(records_import, kind="teachers"), after=b.assign),
        ], actor=admin, folder=folder, progress=progress)

        cands = b.candidates()
        last_year = b.last_year_candidates()  # after this year's, so this year's are the same as before
        progress(f"{len(cands)} 中考 candidates of {CURRENT_YEAR + 1} and {len(last_year)} of {CURRENT_YEAR} generated (admissions imports their files)")
        accounts = [(CITY_ADMIN, Role.CITY_ADMIN.label, CITY_NAME)] + _accounts(b.counties, b.seniors, b.teachers, b.students, b.assignments)
        progress(f"{len(accounts)} demo accounts")

        # Each domain app adds its own demo data: ``<app>/demo.py`` with ``build(*, seed, progress)``, and
        # ``city`` if it asks for it (what this build generated that the domain's files carry).
        city = DemoCity(folder=folder, candidates=cands, last_year_candidates=last_year, intake=dict(b.intake), scale=scale)
        for module in _domain_demo_modules():
            extra = {"city": city} if "city" in inspect.signature(module.build).parameters else {}
            module.build(seed=seed, progress=progress, **extra)

    return DemoSummary(
        counties=len(b.counties), senior_schools=len(b.seniors), junior_schools=len(b.juniors), students=len(b.students),
        enrollments=b.n_enrollments, classes=b.n_classes, teachers=len(b.teachers), candidates=len(cands), accounts=accounts,
    )


class _Builder:
    """The demo city's generator, one kind at a time in a fixed order (the random sequence, and so the city,
    is the same on every build from a seed). ``write_*`` writes a kind's file(s); the step's ``after`` writes
    what the files do not carry."""

    def __init__(self, seed: int, scale: float = 1.0):
        self.g = _Gen(seed)
        self.scale = scale
        self.r = self.g.r
        self.counties: list[County] = []
        self.subjects: dict[str, Subject] = {}
        self.years: dict[int, SchoolYear] = {}
        self.seniors: list[tuple[School, int]] = []
        self.juniors: list[School] = []
        self.intake: dict[str, int] = {}
        self.classes_by: dict[tuple[int, int, int], list[AdminClass]] = {}
        self.n_classes = 0
        self.students: list[Student] = []
        self.placements: list[tuple[int, int, int]] = []  # (student index, school id, cohort)
        self.current_class: dict[int, AdminClass] = {}  # student index -> this year's class (enrolled students)
        self.n_enrollments = 0
        self.teachers: list[Teacher] = []
        self.teacher_subjects: list[tuple[int, str]] = []
        self.assignments: list[TeachingAssignment] = []

    def write_counties(self, folder: Path) -> Path:
        path = folder / "counties.csv"
        path.write_text("code,name\n" + "".join(f"{c},{n}\n" for c, n in COUNTIES), encoding="utf-8")
        return path

    def write_schools(self, folder: Path) -> list[Path]:
        r, counties = self.r, self.counties
        rows = []
        for i, (ci, name, quality, ownership, intake) in enumerate(SENIOR_SCHOOLS, start=1):
            code = f"G{counties[ci].code[-2:]}{i:02d}"
            rows.append({"code": code, "name": name, "county": counties[ci].code, "level": School.Level.SENIOR, "ownership": ownership,
                         "quality": quality, "founded_year": r.randrange(1950, 2012), "address": f"{counties[ci].name}{name[-4:]}路{r.randrange(1, 300)}号"})
            self.intake[code] = max(1, round(intake * self.scale))
        for k, (ci, name) in enumerate(VOCATIONAL_SCHOOLS, start=1):
            rows.append({"code": f"V{counties[ci].code[-2:]}{k:02d}", "name": name, "county": counties[ci].code, "level": School.Level.VOCATIONAL,
                         "ownership": School.Ownership.PUBLIC, "quality": School.Quality.ORDINARY})
        for ci, n in enumerate(JUNIORS_PER_COUNTY):
            for k in range(1, n + 1):
                rows.append({"code": f"J{counties[ci].code[-2:]}{k:02d}", "name": f"{counties[ci].name}第{_cn(k)}初级中学", "county": counties[ci].code,
                             "level": School.Level.JUNIOR, "ownership": School.Ownership.PUBLIC, "quality": School.Quality.ORDINARY})
        path = folder / "schools.xlsx"
        write_xlsx(path, SPECS["schools"], rows)
        return [path]

    def make_classes(self) -> None:
        """Admin classes of four school years (no import for them): class sizes shrink toward ≤ 55 over the years."""
        schools = list(School.objects.select_related("county").order_by("pk"))
        self.seniors = [(s, self.intake[s.code]) for s in schools if s.level == School.Level.SENIOR]
        self.juniors = [s for s in schools if s.level == School.Level.JUNIOR]
        class_rows = []
        for s, intake in self.seniors:
            for y in self.years.values():
                for grade in (1, 2, 3):
                    cohort = y.start_year - grade + 1
                    size = _cohort_size(s, intake, cohort, self.r)
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
            self.classes_by.setdefault((ac.school_id, ac.school_year.start_year, ac.grade), []).append(ac)
        self.n_classes = len(class_rows)

    def write_students(self, folder: Path) -> list[Path]:
        """One roster per school, as each school's 教务 sends it: every student of cohorts FIRST_YEAR-2 … now,
        with this year's class for those in school."""
        g, r, students = self.g, self.r, self.students
        for s, intake in self.seniors:
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
                    self.placements.append((len(students) - 1, s.pk, cohort))
        # Each school year a student of grade 1–3 sits in one admin class; 高二 re-forms classes (分班), so the
        # order students are dealt into classes is shuffled again for grade 2 and kept for grade 3.
        self.places: list[tuple[int, AdminClass]] = []
        by_cohort: dict[tuple[int, int], list[int]] = {}
        for idx, school_id, cohort in self.placements:
            by_cohort.setdefault((school_id, cohort), []).append(idx)
        for (school_id, cohort), members in by_cohort.items():
            order = list(members)
            for grade in (1, 2, 3):
                y = cohort + grade - 1
                if grade == 2:
                    random.Random(len(order) * 31 + cohort).shuffle(order)
                if not FIRST_YEAR <= y <= CURRENT_YEAR:
                    continue
                pool = self.classes_by[(school_id, y, grade)]
                for k, idx in enumerate(order):
                    ac = pool[k % len(pool)]
                    if y == CURRENT_YEAR and students[idx].status == Student.Status.ENROLLED:
                        self.current_class[idx] = ac  # the roster's 年级/班号: the import enrols them
                    else:
                        self.places.append((idx, ac))
        # Per school, as its 教务 sends them: the students in school now (.xlsx, with this year's 年级 and 班号),
        # and the graduates exported from the 学籍 system (CSV, UTF-8 with BOM); graduates first, so the
        # students keep the order they were generated in. (Graduates go as CSV to keep the build under two
        # minutes: openpyxl reads about 1,200 rows a second here, CSV ten times that.)
        rows_of: dict[tuple[str, bool], list[dict]] = {}
        for idx, st in enumerate(students):
            ac = self.current_class.get(idx)
            rows_of.setdefault((st.school.code, st.status == Student.Status.GRADUATED), []).append({
                "student_no": st.student_no, "id_number": st.id_number, "name": st.name, "gender": st.gender,
                "birth_date": st.birth_date, "school": st.school.code, "entry_year": st.entry_year,
                "grade": ac.grade if ac else None, "class_number": ac.number if ac else None, "status": st.status,
                "exam_no": st.exam_no, "entry_score": Decimal(st.entry_score)})
        paths = []
        for s, _ in self.seniors:
            graduates, current = folder / f"students-{s.code}-graduates.csv", folder / f"students-{s.code}.xlsx"
            write_csv(graduates, SPECS["students"], rows_of.get((s.code, True), []))
            write_xlsx(current, SPECS["students"], rows_of.get((s.code, False), []))
            paths += [graduates, current]
        return paths

    def enrol(self) -> None:
        """Past years' classes (and this year's for students not in school now), which no roster carries."""
        pk = dict(Student.objects.values_list("student_no", "pk"))
        for st in self.students:
            st.pk = pk[st.student_no]
        for idx, ac in self.current_class.items():
            self.students[idx].admin_class = ac
        Enrollment.objects.bulk_create([Enrollment(student_id=self.students[idx].pk, admin_class_id=ac.pk) for idx, ac in self.places], batch_size=5000)
        self.n_enrollments = len(self.places) + len(self.current_class)

    def write_teachers(self, folder: Path) -> list[Path]:
        """The city's teacher roster: per school, by subject, from periods × classes with a varying staffing
        level; principals; ten 教研员 per county."""
        g, r, teachers, teacher_subjects = self.g, self.r, self.teachers, self.teacher_subjects
        for s, intake in self.seniors:
            n_classes = sum(len(self.classes_by[(s.pk, CURRENT_YEAR, gr)]) for gr in (1, 2, 3))
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
        for c in self.counties:
            for _ in range(10):
                t = _teacher(g, c, None, len(teachers))
                t.post = Teacher.Post.RESEARCHER
                teachers.append(t)
                teacher_subjects.append((len(teachers) - 1, r.choice(list(PERIODS))))
        names = {code: name for code, name, _ in SUBJECTS}
        rows = [{"staff_no": t.staff_no, "id_number": t.id_number, "name": t.name, "gender": t.gender, "county": t.county.code,
                 "school": t.school.code if t.school else None, "subjects": names[code], "title": t.title, "post": t.post,
                 "hire_date": t.hire_date, "is_bianzhi": t.is_bianzhi} for t, (_, code) in zip(teachers, teacher_subjects)]
        path = folder / "teachers.xlsx"
        write_xlsx(path, SPECS["teachers"], rows)
        return [path]

    def assign(self) -> None:
        """This year's teaching assignments: each current class gets a teacher of its school per subject."""
        pk = dict(Teacher.objects.values_list("staff_no", "pk"))
        for t in self.teachers:
            t.pk = pk[t.staff_no]
        by_school_subject: dict[tuple[int, str], list[Teacher]] = {}
        for i, code in self.teacher_subjects:
            t = self.teachers[i]
            if t.school_id and t.post == Teacher.Post.TEACHING:
                by_school_subject.setdefault((t.school_id, code), []).append(t)
        heads = []
        for (school_id, y, grade), pool in self.classes_by.items():
            if y != CURRENT_YEAR:
                continue
            for k, ac in enumerate(pool):
                for code in ("YW", "SX", "WY", "WL", "HX", "SW", "ZZ", "LS", "DL", "TY"):
                    cands = by_school_subject.get((school_id, code))
                    if cands:
                        t = cands[(k + grade * 3) % len(cands)]
                        self.assignments.append(TeachingAssignment(teacher=t, admin_class=ac, subject=self.subjects[code]))
                        if code == "YW":
                            ac.head_teacher = t
                            heads.append(ac)
        TeachingAssignment.objects.bulk_create(self.assignments, batch_size=5000)
        AdminClass.objects.bulk_update(heads, ["head_teacher"], batch_size=2000)

    def candidates(self) -> list[Candidate]:
        """中考 candidates of the coming admission (2026): junior-school graduates with subject scores (unsaved:
        they come in through the admissions app's 中考 import)."""
        g, r = self.g, self.r
        cands = []
        for j in self.juniors:
            n = max(5, round(r.randrange(180, 330) * self.scale))
            strength = r.gauss(0, 25)
            for _ in range(n):
                gender = "男" if r.random() < 0.51 else "女"
                total = max(150.0, min(700.0, round(r.gauss(500 + strength, 85))))
                ch, ma, en = _subject_scores(r, total)
                talent = round(r.uniform(60, 100), 1) if r.random() < 0.05 else None
                birth = g.birth(2010)
                cands.append(Candidate(
                    year=2026, exam_no=f"26{j.county.code[-2:]}{len(cands):06d}", name=g.name(), id_number=g.id_number(j.county.code, birth, gender),
                    gender=gender, junior_school=j, county=j.county, score=total, chinese=ch, math=ma, english=en, talent_score=talent,
                ))
        return cands

    def last_year_candidates(self) -> list[Candidate]:
        """中考 candidates of last year's admission (CURRENT_YEAR): first the 高一 students who entered this school
        year, with the 准考证号, ID number, name and 中考 score their registration carries, a junior school in their
        senior school's county and, for 3 % of those at model schools, a 特长 score; then about as many graduates
        who did not enter a general senior high school (lower scores; unsaved, like ``candidates``)."""
        g, r = self.g, self.r
        juniors_of: dict[int, list[School]] = {}
        for j in self.juniors:
            juniors_of.setdefault(j.county_id, []).append(j)
        out = []
        for st in self.students:
            if st.entry_year != CURRENT_YEAR:
                continue
            j = r.choice(juniors_of[st.school.county_id])
            ch, ma, en = _subject_scores(r, st.entry_score)
            talent = round(r.uniform(60, 100), 1) if st.school.is_quality and r.random() < 0.03 else None
            out.append(Candidate(year=CURRENT_YEAR, exam_no=st.exam_no, name=st.name, id_number=st.id_number, gender=st.gender, junior_school=j,
                                 county=j.county, score=st.entry_score, chinese=ch, math=ma, english=en, talent_score=talent))
        for k in range(len(out)):
            j = r.choice(self.juniors)
            gender = "男" if r.random() < 0.51 else "女"
            total = max(150.0, min(680.0, round(r.gauss(420, 70))))
            ch, ma, en = _subject_scores(r, total)
            birth = g.birth(CURRENT_YEAR - 15)
            out.append(Candidate(year=CURRENT_YEAR, exam_no=f"{CURRENT_YEAR % 100:02d}{j.county.code[-2:]}{900000 + k:06d}", name=g.name(),
                                 id_number=g.id_number(j.county.code, birth, gender), gender=gender, junior_school=j, county=j.county,
                                 score=total, chinese=ch, math=ma, english=en, talent_score=None))
        return out


def _subject_scores(r: random.Random, total: float) -> tuple[int, int, int]:
    """语文, 数学, 英语 (each of 120) of a 中考 total (of 700), near the total's share."""
    share = total / 700
    return (min(120, max(20, round(r.gauss(120 * share, 8)))), min(120, max(10, round(r.gauss(120 * share, 12)))),
            min(120, max(10, round(r.gauss(120 * share, 10)))))


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

    for c in counties:
        make(f"county_{c.code}", f"{c.name}教育局", Role.COUNTY_STAFF, c.name, county=c)
    for s, _ in seniors:
        make(f"school_{s.code}", f"{s.name}教务处", Role.SCHOOL_ADMIN, s.name, school=s)
    t = assignments[0].teacher
    make("teacher_demo", t.name, Role.TEACHER, t.school.name, school=t.school, teacher=t)
    st = next(s for s in students if s.status == Student.Status.ENROLLED and s.admin_class_id)
    make("student_demo", st.name, Role.STUDENT, st.school.name, school=st.school, student=st)
    return out
