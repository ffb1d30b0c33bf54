"""Setting up an admission year: the year, approved plans, programs from plans and the 指标到校 split, and the
preference window.

Rule: seed 002 §三(一) — plans approved per school; 指标到校 ≥ 50% of each quality school's plan, split among
junior high schools; public and private schools in the same run; seed 003 §三(二)3 — 分批分层录取, 统招定向结合.
Rule: seed 002 §三(一) — 普通高中 and 中职 (programs by 专业, batch 4) in the same run; each plan's approved 招生范围
becomes its programs' range (``全市`` only where approved city-wide); 特殊类型招生 rules as the year's settings.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count

from gaozhong.admissions.engine.quotas import MIN_SHARE, JuniorSchool, QuotaSchool, allocate_quotas
from gaozhong.admissions.models import CITY_WIDE, AdmissionYear, Program, SchoolPlan
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Candidate, County, Role, School
from gaozhong.core.scoping import can_write, scope_of

TALENT_BATCH, QUOTA_BATCH, UNIFIED_BATCH, VOCATIONAL_BATCH = 1, 2, 3, 4
#: What each batch is, as the preference form and the receipt name it.
BATCH_NAMES = {TALENT_BATCH: "特长生", QUOTA_BATCH: "指标到校", UNIFIED_BATCH: "普高统招", VOCATIONAL_BATCH: "中职"}


def batch_label(batch: int) -> str:
    """``第 3 批（普高统招）``; a batch the platform does not name (an imported case's) is ``第 N 批``."""
    name = BATCH_NAMES.get(batch)
    return f"第 {batch} 批（{name}）" if name else f"第 {batch} 批"
#: The levels of school that have an admission plan (高中阶段学校).
PLAN_LEVELS = (School.Level.SENIOR, School.Level.VOCATIONAL)
TALENT_TYPES = ("艺术", "体育")


def _require_city(actor) -> None:
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以进行此操作 (city bureau only)")


@transaction.atomic
def admission_year_create(*, actor, year: int, window_opens: dt.datetime, window_closes: dt.datetime,
                          quota_share: Decimal = Decimal("0.50"), max_unified_choices: int = 6,
                          policy_toml: str = 'tiebreak = ["cme", "math", "chinese"]\n', range_required: bool = True) -> AdmissionYear:
    _require_city(actor)
    if Fraction(str(quota_share)) < MIN_SHARE:
        raise ValidationError(f"指标到校比例不得低于 {float(MIN_SHARE):.0%} (seed 002 §三(一))")
    if window_closes <= window_opens:
        raise ValidationError("截止时间须晚于开始时间")
    try:
        tomllib.loads(policy_toml)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"录取规则不是有效的 TOML：{exc}") from None
    ay = AdmissionYear.objects.create(year=year, window_opens=window_opens, window_closes=window_closes, quota_share=quota_share,
                                      max_unified_choices=max_unified_choices, policy_toml=policy_toml, range_required=range_required)
    audit_record(actor=actor, action="admissions.year.created", obj=ay,
                 after={"year": year, "window_opens": window_opens, "window_closes": window_closes, "quota_share": quota_share, "policy": policy_toml,
                        "range_required": range_required})
    return ay


STAGE_SETTINGS = ("range_required", "special_share", "special_min_score", "special_min_test_score", "supplementary_declined")


@transaction.atomic
def admission_stage_settings_set(*, actor, year: AdmissionYear, range_required: bool, special_share: Decimal | None,
                                 special_min_score: Decimal | None, special_min_test_score: Decimal | None,
                                 supplementary_declined: bool) -> AdmissionYear:
    """The city's 高中阶段 rules of the year (docs/admissions.md §12): 招生范围 required, the 特长生 share of a plan and
    its minimum 中考 and 专业测试 scores (seed 002 §三(一) 规范特殊类型招生), and whether those who decline a
    first-round seat may take part in 补录. Changed only before the window opens (the 补录 one until 补录 opens)."""
    _require_city(actor)
    if special_share is not None and not (0 <= special_share <= 1):
        raise ValidationError("特长生计划占比上限须在 0 到 1 之间")
    values = {"range_required": range_required, "special_share": special_share, "special_min_score": special_min_score,
              "special_min_test_score": special_min_test_score, "supplementary_declined": supplementary_declined}
    before = {k: getattr(year, k) for k in STAGE_SETTINGS}
    changed = {k for k in STAGE_SETTINGS if before[k] != values[k]}
    if changed - {"supplementary_declined"} and year.status != AdmissionYear.Status.SETUP:
        raise ValidationError("招生范围与特长生规则只能在筹备阶段修改")
    if "supplementary_declined" in changed and hasattr(year, "supplementary"):
        raise ValidationError("补录已开放，不能再修改")
    if not changed:
        return year
    for k in changed:
        setattr(year, k, values[k])
    year.save(update_fields=sorted(changed))
    audit_record(actor=actor, action="admissions.year.settings", obj=year, before={k: before[k] for k in changed}, after={k: values[k] for k in changed})
    return year


def plan_range_text(counties: str) -> str:
    """A plan's 招生范围 as the program column holds it: the county codes, or ``全市`` (also for an empty cell)."""
    codes = [c for c in counties.split(";") if c and c != CITY_WIDE]
    return ";".join(codes) if codes else CITY_WIDE


def _check_majors(school: School, seats: int, majors: list) -> list[list]:
    """中职 plans by 专业: [[name, seats], …], names unique, seats positive, adding up to the plan."""
    if school.level != School.Level.VOCATIONAL:
        if majors:
            raise ValidationError(f"{school.name}：只有中职学校按专业设置计划")
        return []
    out = [[str(n).strip(), int(k)] for n, k in majors]
    if not out:
        raise ValidationError(f"{school.name}：中职学校须按专业填写计划（如“机电技术应用:60”）")
    names = [n for n, _ in out]
    if any(not n or len(n) > 60 for n in names) or len(set(names)) != len(names):
        raise ValidationError(f"{school.name}：专业名称不能为空、超过 60 个字或重复")
    if any(k < 1 for _, k in out):
        raise ValidationError(f"{school.name}：各专业计划数须为正整数")
    if sum(k for _, k in out) != seats:
        raise ValidationError(f"{school.name}：各专业计划合计 {sum(k for _, k in out)} 不等于计划数 {seats}")
    return out


@transaction.atomic
def school_plan_set(*, actor, year: AdmissionYear, school: School, seats: int, talent_seats: int = 0, counties: str = "",
                    majors: list | None = None, talent_type: str = "艺术") -> SchoolPlan:
    """A county (or the city) proposes a 普通高中 or 中职 school's plan with its 招生范围 (``;``-separated county
    codes, or ``全市``; empty is the whole city) and, for a 中职 school, its seats by 专业; a changed plan needs
    approval again."""
    if year.status != AdmissionYear.Status.SETUP:
        raise ValidationError("招生计划只能在筹备阶段修改 (plans change only before the window opens)")
    if school.level not in PLAN_LEVELS or not can_write(actor, school):
        raise PermissionDenied("无权设置该校招生计划")
    if talent_seats > seats:
        raise ValidationError("特长生计划不能超过总计划")
    if talent_seats and school.level != School.Level.SENIOR:
        raise ValidationError("中职学校不设特长生计划")
    if talent_type not in TALENT_TYPES:
        raise ValidationError("特长类别须为艺术或体育")
    majors = _check_majors(school, seats, majors or [])
    codes = [c.strip() for c in counties.replace("；", ";").replace("、", ";").split(";") if c.strip()]
    if CITY_WIDE in codes and len(codes) > 1:
        raise ValidationError("招生范围写“全市”时不能再写县(区)")
    known = set(County.objects.values_list("code", flat=True))
    unknown = [c for c in codes if c != CITY_WIDE and c not in known]
    if unknown:
        raise ValidationError(f"县(区)代码不存在：{'、'.join(unknown)}")
    counties = CITY_WIDE if codes == [CITY_WIDE] else ";".join(sorted(set(codes)))
    values = {"seats": seats, "talent_seats": talent_seats, "counties": counties, "majors": majors, "talent_type": talent_type}
    plan, created = SchoolPlan.objects.get_or_create(year=year, school=school, defaults=values)
    before = None if created else {"seats": plan.seats, "talent_seats": plan.talent_seats, "counties": plan.counties, "majors": plan.majors,
                                   "talent_type": plan.talent_type, "approved": plan.approved}
    for k, v in values.items():
        setattr(plan, k, v)
    plan.approved = False
    plan.save()
    audit_record(actor=actor, action="admissions.plan.set", obj=plan, object_repr=f"{school.name} {year.year}", county_id=school.county_id,
                 school_id=school.pk, before=before, after=values)
    return plan


@transaction.atomic
def school_plans_approve(*, actor, year: AdmissionYear) -> int:
    """The city approves every pending plan of the year (审批下达)."""
    _require_city(actor)
    pending = list(SchoolPlan.objects.filter(year=year, approved=False).values_list("pk", flat=True))
    SchoolPlan.objects.filter(pk__in=pending).update(approved=True)
    audit_record(actor=actor, action="admissions.plan.approved", obj=year, after={"plans": pending})
    return len(pending)


def junior_schools_for_quota(year: AdmissionYear) -> list[JuniorSchool]:
    """Junior schools with this year's candidates; the weakest quarter by mean score in each county is 'weak'
    (they get leftover seats first in the split)."""
    stats = list(Candidate.objects.filter(year=year.year).values("junior_school__code", "junior_school__county__code")
                 .annotate(n=Count("id"), mean=Avg("score")).order_by("junior_school__code"))
    by_county: dict[str, list[dict]] = {}
    for s in stats:
        by_county.setdefault(s["junior_school__county__code"], []).append(s)
    weak = set()
    for rows in by_county.values():
        rows = sorted(rows, key=lambda r: (r["mean"], r["junior_school__code"]))
        weak |= {r["junior_school__code"] for r in rows[: max(1, len(rows) // 4)]}
    return [JuniorSchool(s["junior_school__code"], s["junior_school__county__code"], s["n"], s["junior_school__code"] in weak) for s in stats]


@transaction.atomic
def programs_generate(*, actor, year: AdmissionYear) -> dict:
    """Programs from the approved plans: per senior school a 特长 program (batch 1, by talent score) if it has
    talent seats, 指标到校 programs for junior schools (batch 2, quality schools, split exactly, unfilled seats
    roll over to 统招), and a 统招 program (batch 3) with the rest; per 中职 school a program per 专业 (batch 4).
    Every program but 指标到校 (its feeder school's county) admits from its plan's 招生范围. Replaces earlier
    generated programs."""
    _require_city(actor)
    if year.status != AdmissionYear.Status.SETUP:
        raise ValidationError("只能在筹备阶段生成招生专业")
    plans = list(SchoolPlan.objects.filter(year=year).select_related("school", "school__county").order_by("school__code"))
    if not plans:
        raise ValidationError("还没有招生计划")
    if any(not p.approved for p in plans):
        raise ValidationError("仍有未审批的招生计划 (every plan must be approved first)")
    Program.objects.filter(year=year).update(rollover_to=None)  # a program's rollover target is deleted with it
    Program.objects.filter(year=year).delete()
    vocational = [p for p in plans if p.school.level == School.Level.VOCATIONAL]
    plans = [p for p in plans if p.school.level == School.Level.SENIOR]
    juniors = junior_schools_for_quota(year)
    split = allocate_quotas(
        [QuotaSchool(p.school.code, p.school.county.code, p.seats, p.school.is_quality, "county") for p in plans],
        juniors, Fraction(str(year.quota_share)),
    )
    quota_of: dict[str, list] = {}
    for row in split.rows:
        quota_of.setdefault(row.school_id, []).append(row)
    junior_by_code = {s.code: s for s in School.objects.filter(level=School.Level.JUNIOR)}
    counts = {"talent": 0, "quota": 0, "unified": 0, "vocational": 0}
    for p in plans:
        s = p.school
        quota_total = sum(r.seats for r in quota_of.get(s.code, []))
        if quota_total + p.talent_seats > p.seats:
            raise ValidationError(f"{s.name}：指标到校 {quota_total} 加特长生 {p.talent_seats} 超过计划 {p.seats}")
        if p.talent_seats and year.special_share is not None and p.talent_seats > int(Fraction(str(year.special_share)) * p.seats):
            raise ValidationError(f"{s.name}：特长生计划 {p.talent_seats} 超过计划 {p.seats} 的 {float(year.special_share) * 100:g}%（规范特殊类型招生）")
        area = plan_range_text(p.counties)
        unified = Program.objects.create(year=year, code=f"{s.code}-TZ", school=s, kind=Program.Kind.UNIFIED, batch=UNIFIED_BATCH,
                                         capacity=p.seats - p.talent_seats - quota_total, counties=area)
        counts["unified"] += 1
        if p.talent_seats:
            Program.objects.create(year=year, code=f"{s.code}-TC", school=s, kind=Program.Kind.TALENT, batch=TALENT_BATCH, capacity=p.talent_seats,
                                   rank_by="talent_score", rollover_to=unified, counties=area, special_type=p.talent_type)
            counts["talent"] += 1
        for r in quota_of.get(s.code, []):
            Program.objects.create(year=year, code=f"{s.code}-ZB-{r.junior_school_id}", school=s, kind=Program.Kind.QUOTA, batch=QUOTA_BATCH,
                                   capacity=r.seats, feeder_school=junior_by_code[r.junior_school_id], counties=s.county.code, rollover_to=unified)
            counts["quota"] += 1
    for p in vocational:
        for i, (major, seats) in enumerate(p.majors, start=1):
            Program.objects.create(year=year, code=f"{p.school.code}-ZY{i:02d}", school=p.school, kind=Program.Kind.VOCATIONAL,
                                   batch=VOCATIONAL_BATCH, capacity=seats, major=major, counties=plan_range_text(p.counties))
            counts["vocational"] += 1
    audit_record(actor=actor, action="admissions.programs.generated", obj=year,
                 after={**counts, "quota_totals": split.totals, "warnings": [w.message for w in split.warnings]})
    return {**counts, "warnings": [w.message for w in split.warnings]}


@transaction.atomic
def admission_window_set(*, actor, year: AdmissionYear, status: str) -> AdmissionYear:
    """Open or close the preference window (筹备 → 填报中 → 已截止)."""
    _require_city(actor)
    allowed = {AdmissionYear.Status.SETUP: AdmissionYear.Status.OPEN, AdmissionYear.Status.OPEN: AdmissionYear.Status.CLOSED}
    if allowed.get(year.status) != status:
        raise ValidationError(f"不能从“{year.get_status_display()}”改为“{dict(AdmissionYear.Status.choices).get(status, status)}”")
    if status == AdmissionYear.Status.OPEN and not Program.objects.filter(year=year).exists():
        raise ValidationError("还没有招生专业，不能开放填报")
    before = year.status
    year.status = status
    year.save(update_fields=["status"])
    audit_record(actor=actor, action="admissions.window." + ("opened" if status == AdmissionYear.Status.OPEN else "closed"), obj=year,
                 before={"status": before}, after={"status": status})
    return year
