"""Data intake: templates from the catalog, all-or-nothing imports with row/column problems and validation rules,
and the audited submit → county review → city approval workflow."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job
from gaozhong.supervision.importspecs import intake_spec
from gaozhong.supervision.models import Submission, SubmissionValue
from gaozhong.supervision.selectors import approved_values
from gaozhong.supervision.services.intake import (
    submission_approve, submission_return, submission_review, submission_submit, submissions_import,
)

from .conftest import school_row, workbook

pytestmark = pytest.mark.django_db


def _import(world, actor, rows, *, year=None, level="school", term=1, name="基表.xlsx"):
    return submissions_import(actor=actor, level=level, school_year=year or world.year, term=term,
                              data=workbook(intake_spec(level), rows), filename=name)


def _approved(world, school, year, **over):
    """An approved submission of ``school`` for ``year`` with the default row's values."""
    spec = intake_spec("school")
    sub = Submission.objects.create(level="school", school=school, county=school.county, school_year=year, status="approved")
    vals = school_row(school.code, **over)
    from gaozhong.supervision.models import DataElement

    for e in DataElement.objects.filter(source="reported", level="school"):
        v = vals[e.code]
        SubmissionValue.objects.create(submission=sub, element=e, value=Decimal(str(float(v) if not isinstance(v, bool) else int(v))))
    assert spec.column("staff_posts")
    return sub


def test_templates_come_from_the_catalog(world, catalog):
    from openpyxl import load_workbook

    c = Client()
    c.force_login(world.a.school_user)
    r = c.get(reverse("sup_intake_template", kwargs={"level": "school"}))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content))["学校基表"]
    headers = [cell.value for cell in ws[1]]
    assert headers[0] == "学校代码" and "核定编制数" in headers and "人脸识别装置已联网的校门数" in headers and headers[-1] == "变动说明"
    assert "在籍学生数" not in headers and "专任教师数" not in headers  # the platform computes these
    assert c.get(reverse("sup_intake_template", kwargs={"level": "city"})).status_code == 403
    c.force_login(world.city_user)
    assert c.get(reverse("sup_intake_template", kwargs={"level": "city"})).status_code == 200


def test_a_good_file_makes_drafts_with_one_audit_row(world, catalog):
    n = AuditEvent.objects.count()
    out = _import(world, world.a.county_user, [school_row("GA1")])
    assert out.ok and len(out.created) == 1
    sub = Submission.objects.get(pk=out.created[0])
    assert (sub.status, sub.school, sub.county, sub.source_row) == ("draft", world.a.school, world.a.county, 2)
    assert sub.values.get(element__code="staff_posts").value == 10 and sub.values.get(element__code="canteen_it_ok").value == 1
    assert AuditEvent.objects.count() == n + 1
    assert AuditEvent.objects.latest("id").action == "supervision.submissions.imported"


def test_a_bad_row_rejects_the_whole_file_with_row_and_column(world, catalog):
    n = AuditEvent.objects.count()
    rows = [school_row("GA1"), school_row("GB1"), school_row("GA1X", staff_posts="十")]
    out = _import(world, world.a.county_user, rows, name="县基表.xlsx")
    assert not out.ok and not out.created
    text = "\n".join(str(p) for p in out.problems)
    assert "县基表.xlsx[学校基表]:4: column 核定编制数 (B)" in text  # the type error: row 4, column B
    assert Submission.objects.count() == 0 and AuditEvent.objects.count() == n
    # Once the types are right, the references are checked: another county's school, an unknown code.
    rows[2]["staff_posts"] = 10
    out = _import(world, world.a.county_user, rows, name="县基表.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert ":3: column 学校代码 (A): 单位代码 “GB1” 不在您的管辖范围内" in text and ":4: column 学校代码 (A): 单位代码 “GA1X” 不存在" in text
    assert Submission.objects.count() == 0 and AuditEvent.objects.count() == n


def test_validation_rules_name_the_cell(world, catalog):
    out = _import(world, world.a.school_user, [school_row("GA1", gates_face_networked=3, staff_posts=0)])
    text = "\n".join(str(p) for p in out.problems)
    assert ":2: column 人脸识别装置已联网的校门数 (E): [R02]" in text
    assert ":2: column 核定编制数 (B): [R01] 平台记录的在编教职工数超过核定编制数" in text  # the world's teacher is 在编
    out = _import(world, world.a.school_user, [school_row("GA1", gaokao_candidates=3, tier1_passes=0, tier2b_passes=0)])
    assert "[R09] 高考报名人数不能多于平台记录的在籍学生数" in "\n".join(str(p) for p in out.problems)
    assert Submission.objects.count() == 0


def test_a_change_over_30_percent_needs_a_comment(world, catalog, years):
    _approved(world, world.a.school, years[2024], staff_posts=10)
    out = _import(world, world.a.school_user, [school_row("GA1", staff_posts=14)])
    assert [p.column for p in out.problems] == ["核定编制数 (B)"]
    assert "上期 10，本期 14，变动 +40.0%" in out.problems[0].reason
    out = _import(world, world.a.school_user, [school_row("GA1", staff_posts=14, comment="新增编制 4 个（市编办批复）")])
    assert out.ok
    v = SubmissionValue.objects.get(submission_id=out.created[0], element__code="staff_posts")
    assert (v.previous, v.change_pct) == (Decimal("10.0000"), Decimal("40.0"))


def test_workflow_submit_review_approve_each_audited(world, catalog):
    sub = Submission.objects.get(pk=_import(world, world.a.school_user, [school_row("GA1")]).created[0])
    steps = [(submission_submit, world.a.school_user, "submitted"), (submission_review, world.a.county_user, "reviewed"),
             (submission_approve, world.city_user, "approved")]
    for fn, actor, status in steps:
        n = AuditEvent.objects.count()
        fn(actor=actor, submission=sub)
        assert sub.status == status and AuditEvent.objects.count() == n + 1
        assert AuditEvent.objects.latest("id").after["status"] == status
    assert approved_values([2025])[("school", world.a.school.pk, 2025)]["staff_posts"] == 10.0
    assert (sub.submitted_by, sub.reviewed_by, sub.approved_by) == (world.a.school_user, world.a.county_user, world.city_user)


def _state():
    return list(Submission.objects.order_by("pk").values_list("status", flat=True)), AuditEvent.objects.count()


def test_it_changes_nothing_when_refused(world, catalog):
    sub = Submission.objects.get(pk=_import(world, world.a.school_user, [school_row("GA1")]).created[0])
    before = _state()
    for fn, actor in [(submission_submit, world.b.school_user), (submission_submit, world.a.teacher_user), (submission_submit, world.b.county_user)]:
        with pytest.raises(PermissionDenied):
            fn(actor=actor, submission=sub)
    with pytest.raises(ValidationError):  # a draft cannot be approved
        submission_approve(actor=world.city_user, submission=sub)
    assert _state() == before
    submission_submit(actor=world.a.school_user, submission=sub)
    before = _state()
    with pytest.raises(PermissionDenied):  # a school does not review its own figures
        submission_review(actor=world.a.school_user, submission=sub)
    with pytest.raises(PermissionDenied):  # another county's staff
        submission_review(actor=world.b.county_user, submission=sub)
    with pytest.raises(PermissionDenied):  # only the city approves
        submission_approve(actor=world.a.county_user, submission=sub)
    with pytest.raises(ValidationError):  # the city approves after the county's review
        submission_approve(actor=world.city_user, submission=sub)
    with pytest.raises(ValidationError):  # a return needs a reason
        submission_return(actor=world.a.county_user, submission=sub, reason=" ")
    assert _state() == before


def test_return_then_a_new_import_replaces_it(world, catalog):
    sub = Submission.objects.get(pk=_import(world, world.a.school_user, [school_row("GA1")]).created[0])
    submission_submit(actor=world.a.school_user, submission=sub)
    # While it waits for review, a second file for the same period is refused at the unit's cell.
    out = _import(world, world.a.school_user, [school_row("GA1", staff_posts=11)])
    assert "待审核的报送" in out.problems[0].reason and out.problems[0].column == "学校代码 (A)"
    n = AuditEvent.objects.count()
    submission_return(actor=world.a.county_user, submission=sub, reason="编制数与编办文件不符")
    assert sub.status == "returned" and sub.return_reason == "编制数与编办文件不符" and AuditEvent.objects.count() == n + 1
    out = _import(world, world.a.school_user, [school_row("GA1", staff_posts=11)])
    assert out.ok
    sub.refresh_from_db()
    assert sub.status == "superseded" and Submission.objects.get(pk=out.created[0]).status == "draft"


def test_an_approved_figure_changes_only_by_a_new_approved_submission(world, catalog):
    def through(staff):
        s = Submission.objects.get(pk=_import(world, world.a.school_user, [school_row("GA1", staff_posts=staff, comment="更正")]).created[0])
        submission_submit(actor=world.a.school_user, submission=s)
        submission_review(actor=world.a.county_user, submission=s)
        submission_approve(actor=world.city_user, submission=s)
        return s

    first = through(10)
    second = through(12)
    first.refresh_from_db()
    assert first.status == "superseded" and second.replaces == first
    assert approved_values([2025])[("school", world.a.school.pk, 2025)]["staff_posts"] == 12.0
    assert AuditEvent.objects.filter(action="supervision.submission.approved").latest("id").after["replaces"] == first.pk


def test_county_and_city_forms_go_to_the_city_directly(world, catalog):
    row = {"unit_code": world.a.county.code, "public_funds_yuan": 2000, "rotated_staff": 0, "researchers_trained_72": 0,
           "emergency_platform": True, "equipment_fund_yuan": 2_000_000}
    sub = Submission.objects.get(pk=_import(world, world.a.county_user, [row], level="county").created[0])
    assert (sub.level, sub.county, sub.school) == ("county", world.a.county, None)
    submission_submit(actor=world.a.county_user, submission=sub)
    with pytest.raises(ValidationError):
        submission_review(actor=world.a.county_user, submission=sub)
    submission_approve(actor=world.city_user, submission=sub)
    assert sub.status == "approved"
    # A county form from a school admin, or a city form from a county, is refused outright.
    with pytest.raises(PermissionDenied):
        _import(world, world.a.school_user, [row], level="county")
    with pytest.raises(PermissionDenied):
        _import(world, world.a.county_user, [{"unit_code": "1499"}], level="city")


def test_upload_page_runs_the_import_as_a_job(world, catalog, django_capture_on_commit_callbacks):
    c = Client()
    c.force_login(world.a.school_user)
    data = workbook(intake_spec("school"), [school_row("GA1", gates_face_networked=5)])
    f = io.BytesIO(data)
    f.name = "学校基表.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("sup_intake_upload"), {"level": "school", "year": 2025, "term": 1, "file": f})
    assert r.status_code == 302
    job = Job.objects.latest("id")
    assert job.status == "rejected" and "[R02]" in job.result["problems"][0]["reason"]
    page = c.get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "学校基表.xlsx[学校基表]" in page and "人脸识别装置已联网的校门数 (E)" in page
    f = io.BytesIO(workbook(intake_spec("school"), [school_row("GA1")]))
    f.name = "学校基表.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("sup_intake_upload"), {"level": "school", "year": 2025, "term": 1, "file": f})
    assert Job.objects.latest("id").status == "succeeded"
    sub = Submission.objects.get()
    body = c.get(reverse("sup_submission", kwargs={"pk": sub.pk})).content.decode()
    assert 'data-testid="do-submit"' in body and "核定编制数" in body
    assert c.post(reverse("sup_submission_submit", kwargs={"pk": sub.pk})).status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"
