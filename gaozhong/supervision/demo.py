"""Demo data of supervision: the catalog from its file, the policy documents the demo city adopts, four school
years of reported base forms that move toward the targets at different speeds, this year's forms at every
workflow state, a task ledger with milestones and evidence (and the city's reasons where a task is due after its
clause's deadline), and rectification tasks for the targets missed in the latest complete year.

The demo city adopts a coherent set (``CITY_DOCUMENTS``): the 十四五 plan for its senior high schools (002, as
its own 十四五 plan), its 2020 senior-high opinion (000) and its bureau's 2021 work points (004); 白水县 adopts the
county document (001), whose three named schools it binds to its own 第一中学, 第二中学 and 西城高级中学. The 运城
plan (003) is not adopted, so its targets (e.g. 毛入学率 ≥ 95 %, 交流轮岗 > 15 %) are not judged here; a city that
takes it as its plan adopts 003 instead of 002 (docs/supervision.md).

Deterministic from the seed; runs inside the demo build's transaction after the foundation data exists.
Reported figures are written directly as approved submissions (a demo's history, like the foundation's
students), not through the import, so the build stays fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from gaozhong.common.standards import FUNDS_PER_STUDENT_MIN, RESEARCHER_MIN_HOURS
from gaozhong.core.models import County, Membership, Role, School, SchoolYear

from .models import Adoption, DataElement, Evidence, Milestone, PolicyDocument, Submission, SubmissionValue, Task
from .selectors import computed_county_elements, computed_school_elements, latest_complete_year
from .services.catalog import catalog_sync, document_adopt
from .services.ledger import clause_deadline, evidence_dir, rectifications_open

# A minimal one-page PDF, used as the demo's evidence file.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

#: Documents the demo city adopts for the whole city (see the module docstring).
CITY_DOCUMENTS = ("000", "002", "004")
#: The county document, the county that adopts it (by code) and the schools it names, bound by name ending.
COUNTY_DOCUMENT = ("001", "149923", {"阳城一中": "第一中学", "阳城二中": "第二中学", "西城高中": "西城高级中学"})

PROJECTS = [
    # (county index or None for the city, title, kind, clause, due (y, m, d), status, milestones [(title, (y, m, d), done)],
    #  the city's reason when the task is due after its clause's deadline)
    (None, "全市普通高中布局调整方案", "policy", "002 §三(十)", (2025, 12, 31), "closed",
     [("完成调研", (2025, 3, 31), True), ("方案报市政府审定", (2025, 10, 31), True)], ""),
    (0, "新建城东区第四高级中学（规模 2400 人）", "project", "002 §三(五)", (2026, 8, 31), "in_progress",
     [("完成可研批复", (2025, 6, 30), True), ("主体结构封顶", (2026, 3, 31), False), ("竣工验收", (2026, 8, 15), False)],
     "建设用地审批延后，市政府常务会议同意竣工时限延至 2026 年 8 月"),
    (1, "城西高级中学扩建教学楼，化解大班额", "project", "002 §三(七)", (2026, 6, 30), "submitted",
     [("开工", (2025, 4, 1), True), ("竣工", (2026, 5, 31), True)], "扩建期间学生分流至临时校区，市教育局同意延至 2026 年 6 月"),
    (2, "河阳县应急指挥安全防控平台建设", "project", "002 §三(九)", (2025, 12, 31), "in_progress",
     [("完成招标", (2025, 5, 31), True), ("平台上线试运行", (2025, 11, 30), False)], "平台招标流标一次，市教育局同意延至 2025 年底"),
    (3, f"青山县教研员 {RESEARCHER_MIN_HOURS} 课时全员培训", "policy", "002 §三(二)", (2026, 7, 15), "open",
     [("制定培训计划", (2025, 10, 31), False)], ""),
    (4, "白水县校门人脸识别装置联网", "project", "002 §三(九)", (2027, 8, 31), "in_progress",
     [("完成设备采购", (2026, 9, 30), True), ("全部校门联网", (2027, 6, 30), False)], "县财政分两年安排设备资金，市教育局同意延至 2027 年 8 月"),
    (5, f"松岭县生均公用经费提标至 {FUNDS_PER_STUDENT_MIN} 元", "policy", "002 §三(八)", (2025, 9, 30), "returned",
     [("县财政列入预算", (2025, 6, 30), True)], ""),
    (0, "晋阳市第一中学智慧食堂建设", "project", "002 §三(九)", (2027, 12, 31), "open",
     [("方案设计", (2026, 12, 31), False)], "与食堂改造工程一并实施，市教育局同意延至 2027 年底"),
]


def adopt_demo_documents(actor) -> list[str]:
    """Adopt the demo city's documents; the county document only when its county and the named schools exist."""
    done = []
    docs = {d.code: d for d in PolicyDocument.objects.all()}
    for code in CITY_DOCUMENTS:
        if code in docs:
            document_adopt(actor=actor, document=docs[code], note="示范城市采用")
            done.append(code)
    code, county_code, names = COUNTY_DOCUMENT
    county = County.objects.filter(code=county_code).first()
    if code in docs and county is not None:
        schools = School.objects.filter(county=county, level=School.Level.SENIOR)
        bound = {}
        for named, ending in names.items():
            s = next((s for s in schools.order_by("code") if s.name.endswith(ending)), None)
            if s is not None:
                bound[named] = s.code
        if len(bound) == len(names):
            document_adopt(actor=actor, document=docs[code], county=county, schools=bound, note=f"{county.name}采用本县文件")
            done.append(code)
    return done



def build(*, seed: int, progress: Callable[[str], None]) -> None:
    r = random.Random(seed * 131 + 7)
    year_list = list(SchoolYear.objects.order_by("start_year").values_list("start_year", flat=True))
    if not year_list:
        return
    res = catalog_sync(actor=None, effective_from=year_list[0])
    progress(f"supervision catalog {res.catalog_version}: {DataElement.objects.count()} elements, {res.indicators_created} new indicators")
    adopted = adopt_demo_documents(None)
    named = Adoption.objects.filter(document__code=COUNTY_DOCUMENT[0]).first()
    flagship = {named.schools.get("阳城一中")} if named else set()  # the school bound to 阳城一中 works toward its 1681 targets
    progress(f"documents adopted: {', '.join(adopted)}")

    current = year_list[-1]
    counties = list(County.objects.order_by("code"))
    schools = list(School.objects.filter(level=School.Level.SENIOR).select_related("county").order_by("code"))
    years = {y.start_year: y for y in SchoolYear.objects.all()}
    elements = {e.code: e for e in DataElement.objects.all()}
    users = {m.user.username: m.user for m in Membership.objects.select_related("user").filter(role__in=[Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN])}
    city_admin = users.get("city_admin") or User.objects.filter(membership__role=Role.CITY_ADMIN).first()
    sc = computed_school_elements(year_list)
    cc = computed_county_elements(year_list)

    subs: list[Submission] = []
    values: list[tuple[int, dict[str, float]]] = []
    now = timezone.now()

    def add(level: str, year: int, vals: dict[str, float], *, school=None, county=None, status="approved"):
        sub_user = users.get(f"school_{school.code}") if school else users.get(f"county_{county.code}") if county else city_admin
        s = Submission(level=level, school=school, county=county, school_year=years[year], term=1, status=status,
                       source_file="示范数据", created_by=sub_user)
        if status in ("submitted", "reviewed", "approved"):
            s.submitted_by, s.submitted_at = sub_user, now
        if status in ("reviewed", "approved") and level == "school":
            s.reviewed_by, s.reviewed_at = users.get(f"county_{county.code}"), now
        if status == "approved":
            s.approved_by, s.approved_at = city_admin, now
        subs.append(s)
        values.append((len(subs) - 1, vals))

    # Schools: how fast each one moves toward the safety, IT and counselling targets.
    pace = {s.pk: r.uniform(0.6, 1.3) for s in schools}
    for s in schools:
        for k, y in enumerate(year_list):
            comp = sc.get((s.pk, y))
            if not comp:
                continue
            rr = random.Random(seed * 10007 + int(s.code[1:]) * 31 + y)
            step = k / max(1, len(year_list) - 1)
            n = comp["students_enrolled"]
            gates = 2 + int(s.code[-1]) % 3
            cand = round(n / 3 * 0.98)
            q = "provincial" if s.code in flagship else s.quality  # a named school works toward its county's targets
            t1 = {"provincial": rr.uniform(0.70, 0.86), "city": rr.uniform(0.14, 0.30)}.get(q, rr.uniform(0.03, 0.10))
            t2 = {"provincial": rr.uniform(0.95, 1.0), "city": rr.uniform(0.62, 0.80)}.get(q, rr.uniform(0.30, 0.50))
            arts = round(cand * rr.uniform(0.05, 0.10))
            plan = round(n / 3 * rr.uniform(0.98, 1.05))
            quota_share = rr.uniform(0.46, 0.62) if q in ("provincial", "city") else 0.0
            public = s.ownership == School.Ownership.PUBLIC
            fund = (2_000_000 if q == "provincial" else 1_000_000) if public else 0
            if public and q == "ordinary" and pace[s.pk] < 0.8 and y < 2024:
                fund = 800_000
            vals = {
                "staff_posts": comp["teachers_bianzhi"] + rr.randint(0, 12),
                "special_fund_yuan": fund,
                "gates_total": gates,
                "gates_face_networked": min(gates, round(gates * min(1.0, 0.3 + step * 1.2 * pace[s.pk]))),  # most reach 100 % by 2024-25
                "canteen_it_ok": 1.0 if rr.random() < min(1.0, (0.3 + 0.6 * step) * pace[s.pk]) else 0.0,
                "alarm_ok": 1.0,
                "guards_ok": 0.0 if (pace[s.pk] < 0.7 and y <= year_list[1]) else 1.0,
                "closed_mgmt_ok": 1.0,
                "counselling_room": 1.0 if rr.random() < min(1.0, (0.75 + 0.25 * step) * pace[s.pk]) else 0.0,
                "gaokao_candidates": cand,
                "tier1_passes": round(cand * t1),
                "tier2b_passes": max(round(cand * t2), round(cand * t1)),
                "qingbei_admits": rr.randint(6, 15) if q == "provincial" else rr.randint(0, 1) if q == "city" else 0,
                "double_first_admits": 0,
                "arts_candidates": arts,
                "arts_passes": round(arts * rr.uniform(0.55, 0.85)),
                "plan_total": plan,
                "plan_quota": round(plan * quota_share),
            }
            vals["double_first_admits"] = max(vals["qingbei_admits"], round(vals["tier1_passes"] * rr.uniform(0.6, 0.8)))
            if y < current:
                status = "approved"
            else:  # this year's forms at every stage of the workflow
                status = ("approved", "approved", "reviewed", "submitted", "draft")[int(s.code[-2:]) % 5]
            add("school", y, vals, school=s, county=s.county, status=status)

    for ci, c in enumerate(counties):
        rc = random.Random(seed * 977 + ci)
        per_student = {y: 850 + ci * 40 + k * rc.uniform(30, 70) for k, y in enumerate(year_list)}
        for k, y in enumerate(year_list):
            comp_schools = [sc[(s.pk, y)] for s in schools if s.county_id == c.pk and (s.pk, y) in sc]
            public_students = sum(x["public_students"] for x in comp_schools)
            tp = sum(x["teachers_and_principals"] for x in comp_schools)
            researchers = cc[(c.pk, y)]["researchers_total"]
            vals = {
                "public_funds_yuan": round(public_students * per_student[y]),
                "rotated_staff": round(tp * rc.uniform(0.10, 0.19)),
                "researchers_trained_72": researchers if (ci + k) % 3 else max(0, researchers - rc.randint(1, 3)),
                "emergency_platform": 1.0 if y >= year_list[0] + (ci % 4) else 0.0,
                "equipment_fund_yuan": rc.choice([1_500_000, 2_000_000, 2_000_000, 2_500_000]),
            }
            status = "approved" if y < current or ci % 2 == 0 else "submitted"
            add("county", y, vals, county=c, status=status)

    gross = [90.0, 92.1, 93.4, 94.6, 95.5, 96.1]
    myopia = [72.3, 71.5, 70.9, 70.1, 69.2, 68.4]
    fitness = [19.8, 21.2, 22.9, 24.1, 25.3, 26.0]
    kinder = [83.5, 86.2, 88.9, 90.8, 92.1, 93.0]
    built = [3, 6, 8, 10, 12, 12]
    first = [2, 3, 4, 5, 6, 6]
    second = [1, 2, 4, 5, 6, 6]
    for k, y in enumerate(year_list):
        students = sum(sc[(s.pk, y)]["students_enrolled"] for s in schools if (s.pk, y) in sc)
        vocational = round(students * 0.46)
        stage = students + vocational
        screened = 310_000 + k * 2_000
        tested = 305_000 + k * 1_500
        kids = 98_000 - k * 2_500
        vals = {
            "senior_stage_students": stage, "vocational_students": vocational, "population_15_17": round(stage / (gross[k] / 100)),
            "myopia_screened": screened, "myopia_cases": round(screened * myopia[k] / 100),
            "fitness_tested": tested, "fitness_good": round(tested * fitness[k] / 100),
            "kindergarten_children": kids, "inclusive_children": round(kids * kinder[k] / 100),
            "renovated_schools": built[k], "provincial_first_created": first[k], "provincial_second_created": second[k],
        }
        add("city", y, vals, status="approved" if y < current else "submitted")

    Submission.objects.bulk_create(subs, batch_size=500)
    rows = []
    for i, vals in values:
        for code, v in vals.items():
            rows.append(SubmissionValue(submission=subs[i], element=elements[code], value=Decimal(str(round(float(v), 2)))))
    SubmissionValue.objects.bulk_create(rows, batch_size=2000)
    progress(f"{len(subs)} supervision submissions with {len(rows)} values")

    # The task ledger.
    folder = evidence_dir()
    n_tasks = 0
    for ci, title, kind, clause, due, status, milestones, late in PROJECTS:
        county = counties[ci] if ci is not None and ci < len(counties) else None
        school = None
        if "第一中学" in title and county is not None:
            school = next((s for s in schools if s.county_id == county.pk and s.name.endswith("第一中学")), None)
        resp = school.name if school else f"{county.name}教育局" if county else "市教育局"
        t = Task.objects.create(
            kind=kind, title=title, source_clause=clause, county=county, school=school, responsible_unit=resp,
            responsible_person=r.choice(["王建国", "李红梅", "张志强", "赵丽华", "陈卫东", "刘晓燕"]), due_date=dt.date(*due),
            status=status, description="按时间表、路线图推进，挂账督办，完成后凭佐证材料申请销号。", created_by=city_admin,
            submitted_at=now if status in ("submitted", "closed") else None, closed_at=now if status == "closed" else None,
            closed_by=city_admin if status == "closed" else None, close_reason="验收通过" if status == "closed" else "",
            return_reason="佐证材料不全，请补充县财政预算文件" if status == "returned" else "",
        )
        limit = clause_deadline(clause)
        if limit is not None and t.due_date > limit:
            t.late_reason, t.late_approved_by = late or "市教育局同意", city_admin
            t.save(update_fields=["late_reason", "late_approved_by"])
        Milestone.objects.bulk_create([Milestone(task=t, title=mt, due_date=dt.date(*md), done_on=dt.date(*md) if done else None)
                                       for mt, md, done in milestones])
        if status in ("submitted", "closed", "returned"):
            folder.mkdir(parents=True, exist_ok=True)
            stored = f"demo-{seed}-{t.pk}.pdf"
            (folder / stored).write_bytes(DEMO_PDF)
            Evidence.objects.create(task=t, original_name="验收材料.pdf", stored_name=stored, content_type="application/pdf",
                                    size=len(DEMO_PDF), sha256=hashlib.sha256(DEMO_PDF).hexdigest(), uploaded_by=city_admin)
        n_tasks += 1
    year = latest_complete_year()
    opened = rectifications_open(actor=None, year=year) if year is not None else []
    progress(f"{n_tasks} ledger tasks and {len(opened)} rectification tasks for {year}")
