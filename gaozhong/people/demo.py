"""Demo data of the people app, built inside the demo city's transaction after the foundation's data:
qualifications and post histories, a training catalogue with records (some 教研员 under 72 课时 in every year),
dated moves over 2023–2025 at rates that differ by county (and none yet in 2026, so the proposal of who is due
has work to do), 师德 records (open, sanctioned within and past their period, dismissed), two people on the
ban list, nominations, and new hires waiting for their pre-hire check.

Deterministic from the seed; written directly like the foundation's demo (no audit rows: nothing was done by
a user). The first teacher of 晋阳市第一中学 (school G0101) has an open 师德 record, so a title nomination of
them is refused by the veto.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from gaozhong.common.standards import RESEARCHER_MIN_HOURS
from gaozhong.core.models import City, County, School, Subject, Teacher
from gaozhong.importer.idnumber import check_character

from .engine.training import LEVELS
from .models import BannedPerson, Course, EthicsRecord, HireCheck, Move, Nomination, PostRecord, Qualification, TrainingRecord

ROTATION_POSTS = (Teacher.Post.TEACHING, Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL, Teacher.Post.COUNSELLOR)
MOVE_YEARS = (2023, 2024, 2025)
TRAINING_YEARS = (2024, 2025, 2026)
TRAINING_UNTIL = dt.date(2026, 8, 31)  # the last day of the demo's current school year (2025-2026)
# Share of each county's principals and teachers rotated per year (county order as in the foundation's demo):
# two counties stay above 15% every year, one crosses it, the others fall short.
RATES = [(0.17, 0.18, 0.19), (0.12, 0.14, 0.16), (0.09, 0.11, 0.13), (0.16, 0.15, 0.17), (0.06, 0.08, 0.10), (0.14, 0.155, 0.165)]
UNIVERSITIES = ["山西师范大学", "太原师范学院", "北京师范大学", "华东师范大学", "陕西师范大学", "东北师范大学", "华中师范大学", "晋中学院", "运城学院"]
COURSE_TOPICS = ["新课程新教材实施", "高考综合改革与选课走班", "大单元教学设计", "作业设计与评价", "信息技术与教学融合", "心理健康教育",
                 "班主任工作能力提升", "师德师风专题", "学科核心素养", "实验教学能力", "教研员专业发展", "命题与试题分析"]


def build(*, seed: int, progress: Callable[[str], None]) -> None:
    r = random.Random(seed * 7919 + 10)
    city = City.objects.order_by("pk").first()
    counties = list(County.objects.order_by("code"))
    if city is None or not counties:
        return
    # The roster the foundation's demo imported was in post before the platform, and such teachers have no
    # pre-hire check (see HireCheck); the import opened one for each new teacher, so the demo closes them by
    # removing them. The new hires below get theirs.
    HireCheck.objects.filter(teacher__hire_date__lt=TRAINING_UNTIL).delete()
    teachers = list(Teacher.objects.order_by("pk").values("pk", "school_id", "county_id", "post", "hire_date", "name", "staff_no", "title"))
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code").values("pk", "county_id", "code"))
    schools_of: dict[int, list[int]] = defaultdict(list)
    for s in seniors:
        schools_of[s["county_id"]].append(s["pk"])
    _qualifications(r, teachers)
    _posts(r, teachers)
    progress("people: qualifications and post histories")
    n_moves = _moves(r, teachers, counties, schools_of)
    progress(f"people: {n_moves} moves over {MOVE_YEARS[0]}–{MOVE_YEARS[-1]}")
    n_records = _training(r, city, teachers)
    progress(f"people: {n_records} training records")
    blocked = _ethics(r, city, teachers, seniors)
    _nominations(r, teachers, blocked)
    _hires(r, counties, seniors)
    progress("people: 师德 records, ban list, nominations and new hires")


def _qualifications(r: random.Random, teachers: list[dict]) -> None:
    rows = []
    for t in teachers:
        grad = dt.date(max(1985, t["hire_date"].year - (3 if r.random() < 0.25 else 0)), 6, 30)
        master = r.random() < 0.22
        rows.append(Qualification(teacher_id=t["pk"], kind=Qualification.Kind.DEGREE, name="硕士研究生" if master else "大学本科",
                                  institution=r.choice(UNIVERSITIES), obtained_on=grad))
        if t["post"] != Teacher.Post.STAFF:
            rows.append(Qualification(teacher_id=t["pk"], kind=Qualification.Kind.CERTIFICATE, name="高级中学教师资格",
                                      obtained_on=min(t["hire_date"], grad + dt.timedelta(days=60)),
                                      certificate_no=f"2{t['pk']:08d}"))
    Qualification.objects.bulk_create(rows, batch_size=5000)


def _posts(r: random.Random, teachers: list[dict]) -> None:
    rows = []
    for t in teachers:
        if t["post"] in (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL):
            years = max(1, (dt.date(2025, 9, 1) - t["hire_date"]).days // 365)
            promoted = dt.date(2025 - r.randrange(0, min(12, years)), 8, 1)
            promoted = max(promoted, t["hire_date"] + dt.timedelta(days=400))
            rows.append(PostRecord(teacher_id=t["pk"], post=Teacher.Post.TEACHING, started_on=t["hire_date"], ended_on=promoted - dt.timedelta(days=1)))
            rows.append(PostRecord(teacher_id=t["pk"], post=t["post"], started_on=promoted))
        elif t["post"] == Teacher.Post.TEACHING and r.random() < 0.08:
            since = max(t["hire_date"], dt.date(2019 + r.randrange(0, 6), 9, 1))
            rows.append(PostRecord(teacher_id=t["pk"], post=t["post"], started_on=t["hire_date"], ended_on=since - dt.timedelta(days=1)))
            rows.append(PostRecord(teacher_id=t["pk"], post=t["post"], duty=r.choice(["教研组长", "备课组长", "年级主任", "教务处副主任"]), started_on=since))
    PostRecord.objects.bulk_create(rows, batch_size=5000)


def _moves(r: random.Random, teachers: list[dict], counties: list[County], schools_of: dict[int, list[int]]) -> int:
    """Each mover came to their current school from another school of the same county, once, in one of the
    move years; a few came across counties and a few by ordinary transfer (not counted)."""
    school_county = {s: c for c, lst in schools_of.items() for s in lst}
    rows = []
    used: set[int] = set()
    for ci, county in enumerate(counties):
        local = [t for t in teachers if t["county_id"] == county.pk and t["school_id"] in school_county and t["post"] in ROTATION_POSTS]
        others = [s for s in schools_of[county.pk]]
        if len(others) < 2:
            continue
        for yi, year in enumerate(MOVE_YEARS):
            start = dt.date(year, 1, 1)
            head = [t for t in local if t["hire_date"] <= start]
            want = round(RATES[ci % len(RATES)][yi] * len(head))
            pool = [t for t in head if t["pk"] not in used and t["hire_date"] < dt.date(year - 1, 9, 1)]
            r.shuffle(pool)
            for t in pool[:want]:
                used.add(t["pk"])
                frm = r.choice([s for s in others if s != t["school_id"]])
                rows.append(Move(teacher_id=t["pk"], kind=Move.Kind.ROTATION, moved_on=dt.date(year, 8, r.randrange(18, 31)),
                                 from_school_id=frm, to_school_id=t["school_id"], from_county_id=county.pk, to_county_id=county.pk,
                                 note="县管校聘交流"))
            # ordinary transfers: not counted toward the rate
            for t in pool[want:want + 3]:
                used.add(t["pk"])
                frm = r.choice([s for s in others if s != t["school_id"]])
                rows.append(Move(teacher_id=t["pk"], kind=Move.Kind.TRANSFER, moved_on=dt.date(year, 7, r.randrange(1, 28)),
                                 from_school_id=frm, to_school_id=t["school_id"], from_county_id=county.pk, to_county_id=county.pk,
                                 note="个人申请调动"))
    # A few rotated across counties (城乡、区域间交流), counted for the county they left.
    all_schools = sorted(school_county)
    movable = [t for t in teachers if t["school_id"] in school_county and t["post"] == Teacher.Post.TEACHING and t["pk"] not in used
               and t["hire_date"] < dt.date(2022, 9, 1)]
    r.shuffle(movable)
    for t in movable[:18]:
        frm = r.choice([s for s in all_schools if school_county[s] != t["county_id"]])
        rows.append(Move(teacher_id=t["pk"], kind=Move.Kind.ROTATION, moved_on=dt.date(r.choice(MOVE_YEARS), 8, 25), from_school_id=frm,
                         to_school_id=t["school_id"], from_county_id=school_county[frm], to_county_id=t["county_id"], note="跨县(区)交流"))
    Move.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _training(r: random.Random, city: City, teachers: list[dict]) -> int:
    courses: dict[int, list[Course]] = {}
    catalogue = []
    for year in TRAINING_YEARS:
        for li, (level, label) in enumerate(LEVELS):
            for k in range(1, 7):
                hours = Decimal(r.choice([8, 12, 16, 24, 24, 32, 40, 48] if li < 3 else [4, 6, 8, 12, 16, 24]))
                topic = COURSE_TOPICS[(li * 7 + k * 3 + year) % len(COURSE_TOPICS)]
                catalogue.append(Course(city=city, code=f"{level[:2].upper()}{year}-{k:02d}", name=f"{year}年{label}{topic}培训", level=level, hours=hours))
    Course.objects.bulk_create(catalogue)
    for c in catalogue:
        courses.setdefault(int(c.code[2:6]), []).append(c)
    rows = []
    researchers = [t for t in teachers if t["post"] == Teacher.Post.RESEARCHER]
    by_county: dict[int, list[dict]] = defaultdict(list)
    for t in researchers:
        by_county[t["county_id"]].append(t)
    for year in TRAINING_YEARS:
        last = TRAINING_UNTIL if year == TRAINING_UNTIL.year else dt.date(year, 12, 31)
        span = (last - dt.date(year, 1, 1)).days
        for ci, (county_id, group) in enumerate(sorted(by_county.items())):
            short = {t["pk"] for t in group[: 1 + (ci + year) % 4]}  # 1–4 researchers per county fall short each year
            for t in group:
                # Short of the 72 课时 standard by 8–32 hours, or at it and above.
                below = [RESEARCHER_MIN_HOURS - d for d in (32, 24, 16, 8)]
                at_or_above = [RESEARCHER_MIN_HOURS + d for d in (0, 4, 8, 18, 32)]
                target = Decimal(r.choice(below)) if t["pk"] in short else Decimal(r.choice(at_or_above))
                got = Decimal(0)
                pool = list(courses[year])
                r.shuffle(pool)
                for c in pool:
                    if got + c.hours > target + 8 or (got >= target):
                        continue
                    if t["pk"] in short and got + c.hours >= Decimal(RESEARCHER_MIN_HOURS):
                        continue
                    rows.append(TrainingRecord(teacher_id=t["pk"], course=c, hours=c.hours,
                                               completed_on=dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(0, span + 1))))
                    got += c.hours
        for t in teachers:
            if t["post"] == Teacher.Post.RESEARCHER or r.random() > 0.3:
                continue
            for c in r.sample(courses[year], r.randrange(1, 4)):
                rows.append(TrainingRecord(teacher_id=t["pk"], course=c, hours=c.hours,
                                           completed_on=dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(0, span + 1))))
    TrainingRecord.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _ethics(r: random.Random, city: City, teachers: list[dict], seniors: list[dict]) -> set[int]:
    """师德 records across the counties; returns the teachers the veto blocks now."""
    first_school = seniors[0]["pk"]
    teaching = [t for t in teachers if t["post"] == Teacher.Post.TEACHING and t["school_id"]]
    anchor = next(t for t in teaching if t["school_id"] == first_school)
    others = [t for t in teaching if t["pk"] != anchor["pk"]]
    r.shuffle(others)
    picks = [anchor] + others[:13]
    C, S = EthicsRecord.Category, EthicsRecord.Status
    plans = [  # (status, category, occurred, sanction, period start, period end)
        (S.OPEN, C.PAID_TUTORING, dt.date(2026, 5, 12), "", None, None),
        (S.OPEN, C.OUTSIDE_JOB, dt.date(2026, 3, 2), "", None, None),
        (S.OPEN, C.GIFTS, dt.date(2026, 6, 18), "", None, None),
        (S.OPEN, C.INSULT, dt.date(2026, 4, 9), "", None, None),
        (S.SANCTIONED, C.PAID_TUTORING, dt.date(2025, 4, 20), EthicsRecord.Sanction.WARNING, dt.date(2025, 6, 1), dt.date(2026, 11, 30)),
        (S.SANCTIONED, C.PUNISHMENT, dt.date(2025, 10, 11), EthicsRecord.Sanction.DEMERIT, dt.date(2025, 12, 1), dt.date(2027, 5, 31)),
        (S.SANCTIONED, C.OUTSIDE_JOB, dt.date(2024, 11, 5), EthicsRecord.Sanction.DEMOTION, dt.date(2025, 1, 10), dt.date(2027, 1, 9)),
        (S.SANCTIONED, C.MISCONDUCT, dt.date(2025, 9, 1), EthicsRecord.Sanction.CRITICISM, dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
        (S.SANCTIONED, C.GIFTS, dt.date(2022, 9, 15), EthicsRecord.Sanction.WARNING, dt.date(2022, 11, 1), dt.date(2023, 4, 30)),
        (S.SANCTIONED, C.PAID_TUTORING, dt.date(2023, 3, 1), EthicsRecord.Sanction.CRITICISM, dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
        (S.SANCTIONED, C.PUNISHMENT, dt.date(2021, 12, 3), EthicsRecord.Sanction.DEMERIT, dt.date(2022, 1, 15), dt.date(2023, 7, 14)),
        (S.DISMISSED, C.PAID_TUTORING, dt.date(2025, 12, 8), "", None, None),
        (S.DISMISSED, C.INSULT, dt.date(2026, 2, 20), "", None, None),
        (S.OPEN, C.OTHER, dt.date(2026, 7, 1), "", None, None),
    ]
    records = []
    blocked = set()
    for t, (status, cat, occurred, sanction, p0, p1) in zip(picks, plans):
        opened = occurred + dt.timedelta(days=r.randrange(3, 20))
        decided = None if status == S.OPEN else opened + dt.timedelta(days=r.randrange(15, 40))
        summary = {C.PAID_TUTORING: "在校外组织学生有偿补课", C.OUTSIDE_JOB: "在校外培训机构兼职授课", C.GIFTS: "收受学生家长购物卡",
                   C.INSULT: "课堂上以侮辱性语言批评学生", C.PUNISHMENT: "罚站并推搡学生", C.MISCONDUCT: "论文抄袭",
                   C.OTHER: "家长举报：在工作群发表不当言论"}[cat]
        records.append(EthicsRecord(teacher_id=t["pk"], category=cat, occurred_on=occurred, opened_on=opened, summary=summary, status=status,
                                    sanction=sanction, period_start=p0, period_end=p1, decided_on=decided,
                                    decision_note="" if status == S.OPEN else ("经查属实，依规处理" if status == S.SANCTIONED else "经查举报不实，予以澄清")))
        if status == S.OPEN or (status == S.SANCTIONED and p1 and p1 >= dt.date(2026, 8, 31)):
            blocked.add(t["pk"])
    EthicsRecord.objects.bulk_create(records)
    # Two former teachers barred from the profession; neither is on the roster, any hire of them is refused.
    for k, (name, born, since, reason) in enumerate([
        ("郑某某", dt.date(1979, 3, 14), dt.date(2023, 6, 30), "猥亵学生，被判处有期徒刑，开除并全行业禁入"),
        ("钱某", dt.date(1986, 10, 2), dt.date(2024, 12, 20), "长期组织有偿补课并威胁学生参加，情节严重，开除并全行业禁入"),
    ]):
        first = f"149922{born:%Y%m%d}{31 + 2 * k:03d}"
        BannedPerson.objects.create(city=city, id_number=first + check_character(first), name=name, since=since, reason=reason)
    return blocked


def _nominations(r: random.Random, teachers: list[dict], blocked: set[int]) -> None:
    pool = [t for t in teachers if t["post"] == Teacher.Post.TEACHING and t["school_id"] and t["pk"] not in blocked]
    r.shuffle(pool)
    order = [Teacher.Title.NONE, Teacher.Title.THIRD, Teacher.Title.SECOND, Teacher.Title.FIRST, Teacher.Title.SENIOR, Teacher.Title.SENIOR_PLUS]
    rows = []
    for k, t in enumerate(pool[:16]):
        status = [Nomination.Status.SUBMITTED, Nomination.Status.APPROVED, Nomination.Status.REJECTED][k % 3]
        submitted = dt.date(2026, 3 + k % 5, 10)
        decided = None if status == Nomination.Status.SUBMITTED else submitted + dt.timedelta(days=30)
        if k % 2 == 0 and t["title"] != Teacher.Title.SENIOR_PLUS:
            target = order[order.index(t["title"]) + 1]
            rows.append(Nomination(teacher_id=t["pk"], kind=Nomination.Kind.TITLE, target_title=target, status=status, submitted_on=submitted,
                                   decided_on=decided, note="任现职称满规定年限，教学业绩突出"))
            if status == Nomination.Status.APPROVED:
                Teacher.objects.filter(pk=t["pk"]).update(title=target)
        else:
            rows.append(Nomination(teacher_id=t["pk"], kind=Nomination.Kind.AWARD, award=r.choice(["市级优秀教师", "县级优秀班主任", "市级骨干教师"]),
                                   status=status, submitted_on=submitted, decided_on=decided, note="师德表现良好，育人成效显著"))
    Nomination.objects.bulk_create(rows)


def _hires(r: random.Random, counties: list[County], seniors: list[dict]) -> None:
    """New hires of the coming term: four wait for their pre-hire check, two are cleared, one was not cleared."""
    used = set(Teacher.objects.values_list("id_number", flat=True))
    subjects = list(Subject.objects.order_by("code"))
    outcomes = [HireCheck.Status.PENDING] * 4 + [HireCheck.Status.CLEARED] * 2 + [HireCheck.Status.NOT_CLEARED]
    for k, status in enumerate(outcomes):
        school = seniors[(k * 5) % len(seniors)]
        county = next(c for c in counties if c.pk == school["county_id"])
        while True:
            born = dt.date(1998 + r.randrange(0, 5), 1 + r.randrange(0, 12), 1 + r.randrange(0, 28))
            first = f"{county.code}{born:%Y%m%d}{r.randrange(0, 999):03d}"
            idn = first + check_character(first)
            if idn not in used:
                used.add(idn)
                break
        hired = dt.date(2026, 8, 20)
        t = Teacher.objects.create(school_id=school["pk"], county=county, staff_no=f"N{county.code[-2:]}{k + 1:04d}",
                                   name=["周新宇", "林雨桐", "韩明哲", "邵佳怡", "秦子墨", "谭思源", "罗静怡"][k], id_number=idn,
                                   gender="男" if k % 2 else "女", hire_date=hired, is_bianzhi=True)
        t.subjects.add(subjects[(k * 4) % len(subjects)])
        HireCheck.objects.create(teacher=t, status=status, requested_on=dt.date(2026, 8, 10),
                                 checked_on=None if status == HireCheck.Status.PENDING else dt.date(2026, 8, 18),
                                 reference="" if status == HireCheck.Status.PENDING else f"ZR2026-{k + 1:04d}",
                                 note="查询发现不宜从教情形，不予聘用" if status == HireCheck.Status.NOT_CLEARED else "")
        Move.objects.create(teacher=t, kind=Move.Kind.HIRE, moved_on=hired, to_school_id=school["pk"], to_county=county)
        PostRecord.objects.create(teacher=t, post=t.post, started_on=hired)
