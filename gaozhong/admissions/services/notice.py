"""新生报到 and the 录取通知书: a school (or its county or the city) sets the 报到 time and place of its plan of a
year, at any time (they are not part of the plan's approval); an admitted candidate takes their 录取通知书 after
publication, which names the school, the program and that 报到 arrangement (or says the school will announce it).

Taking the notice is audited: it carries the candidate's name, 准考证号 and (masked) 身份证号 out of the platform.

Rule: seed 002 §三(一) — results published through the platform; the admitted candidate is told where and when to
report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaozhong.admissions.models import Admission, PublishedAnswer, PublishedResult, SchoolPlan
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Candidate, City
from gaozhong.core.scoping import can_write, scope_of

REPORT_TIME_MAX, REPORT_PLACE_MAX = 100, 200
#: What the notice says where the school has not set its 报到 arrangement.
REPORT_LATER = "报到安排由录取学校另行通知"


@transaction.atomic
def school_report_set(*, actor, plan: SchoolPlan, report_time: str, report_place: str) -> SchoolPlan:
    """Set the 报到 time and place of ``plan`` (its school's staff, its county or the city). Both empty clears them
    (the notice then says the school will announce them). Does not touch the plan's approval."""
    plan = SchoolPlan.objects.select_for_update().select_related("school", "year").get(pk=plan.pk)
    if not can_write(actor, plan.school):
        raise PermissionDenied("无权设置该校的报到安排")
    values = {"report_time": " ".join((report_time or "").split()), "report_place": " ".join((report_place or "").split())}
    if len(values["report_time"]) > REPORT_TIME_MAX:
        raise ValidationError(f"报到时间不能超过 {REPORT_TIME_MAX} 个字")
    if len(values["report_place"]) > REPORT_PLACE_MAX:
        raise ValidationError(f"报到地点不能超过 {REPORT_PLACE_MAX} 个字")
    if bool(values["report_time"]) != bool(values["report_place"]):
        raise ValidationError("报到时间和报到地点须同时填写（或同时留空，由学校另行通知）")
    before = {k: getattr(plan, k) for k in values}
    if before == values:
        return plan
    for k, v in values.items():
        setattr(plan, k, v)
    plan.save(update_fields=list(values))
    audit_record(actor=actor, action="admissions.plan.report_set", obj=plan, object_repr=f"{plan.school.name} {plan.year.year}",
                 county_id=plan.school.county_id, school_id=plan.school_id, before=before, after=values)
    return plan


@dataclass(frozen=True)
class AdmissionNotice:
    """What a 录取通知书 shows."""

    year: int
    city: str
    name: str
    exam_no: str
    id_masked: str
    junior_school: str
    school: str
    program: str
    is_major: bool
    batch: int | None
    choice_rank: int | None
    supplementary: bool
    report_time: str
    report_place: str
    published_at: dt.datetime

    @property
    def report_set(self) -> bool:
        return bool(self.report_time and self.report_place)


@transaction.atomic
def admission_notice(*, actor, candidate: Candidate) -> AdmissionNotice:
    """The 录取通知书 of ``candidate`` (the candidate's own account only), from the published result of their year:
    PermissionDenied for anyone else, ValidationError before publication or when not admitted. Audited."""
    if scope_of(actor).candidate_id != candidate.pk:
        raise PermissionDenied("只有考生本人可以下载录取通知书")
    pub = PublishedResult.objects.defer("cutoffs").filter(year=candidate.year).first()
    if pub is None:
        raise ValidationError("录取结果尚未公布")
    answer = PublishedAnswer.objects.filter(publication=pub, exam_no=candidate.exam_no).values_list("answer", flat=True).first()
    adm = (Admission.objects.filter(run_id=pub.run_id, candidate=candidate, program__isnull=False)
           .select_related("program__school").first())
    if not answer or not answer.get("program") or adm is None:
        raise ValidationError("未被录取，没有录取通知书")
    school, program = adm.program.school, adm.program
    plan = SchoolPlan.objects.filter(year__year=candidate.year, school=school).first()
    city = City.objects.values_list("name", flat=True).first() or ""
    notice = AdmissionNotice(
        year=candidate.year, city=city, name=candidate.name, exam_no=candidate.exam_no, id_masked=candidate.id_number_masked,
        junior_school=candidate.junior_school.name, school=school.name, program=program.major or program.get_kind_display(),
        is_major=bool(program.major),
        batch=answer.get("batch"), choice_rank=answer.get("choice_rank"), supplementary=answer.get("round") == 2,
        report_time=plan.report_time if plan else "", report_place=plan.report_place if plan else "", published_at=pub.published_at,
    )
    audit_record(actor=actor, action="admissions.notice.downloaded", obj=candidate, object_repr=candidate.exam_no,
                 county_id=candidate.county_id, school_id=school.pk,
                 after={"year": candidate.year, "school": school.code, "program": program.code})
    return notice
