"""The task ledger: the audited workflow, evidence files (type, size, scoped download), overdue flags, imports,
and the city's decision on a rectification task."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent
from gaozhong.supervision.importspecs import TASKS
from gaozhong.supervision.models import Evidence, Milestone, Task
from gaozhong.supervision.services.ledger import (
    TaskData, evidence_add, evidence_path, milestone_done, parse_milestones, task_close, task_create, task_return, task_start, task_submit,
    tasks_import,
)

from .conftest import workbook

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def _data(place, **over):
    d = dict(kind="project", title=f"{place.school.name}扩建", responsible_unit=place.school.name, responsible_person="王校长",
             due_date=dt.date(2026, 8, 31), school=place.school, milestones=[("开工", dt.date(2025, 10, 1)), ("竣工", dt.date(2026, 7, 1))])
    d.update(over)
    return TaskData(**d)


@pytest.fixture
def task(world):
    return task_create(actor=world.a.county_user, data=_data(world.a))


def test_it_writes_one_audit_row(world, task):
    assert task.county == world.a.county and task.milestones.count() == 2
    steps = [
        (lambda: task_start(actor=world.a.school_user, task=task), "supervision.task.started"),
        (lambda: evidence_add(actor=world.a.school_user, task=task, name="竣工验收.pdf", data=PDF), "supervision.evidence.added"),
        (lambda: milestone_done(actor=world.a.school_user, milestone=task.milestones.first(), done_on=dt.date(2025, 10, 8)), "supervision.milestone.done"),
        (lambda: task_submit(actor=world.a.school_user, task=task), "supervision.task.submitted"),
        (lambda: task_return(actor=world.city_user, task=task, reason="缺少消防验收意见"), "supervision.task.returned"),
        (lambda: evidence_add(actor=world.a.school_user, task=task, name="消防验收.png", data=PNG), "supervision.evidence.added"),
        (lambda: task_submit(actor=world.a.school_user, task=task), "supervision.task.submitted"),
        (lambda: task_close(actor=world.city_user, task=task, reason=""), "supervision.task.closed"),
    ]
    for step, action in steps:
        n = AuditEvent.objects.count()
        step()
        assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == action
    task.refresh_from_db()
    assert task.status == "closed" and task.close_reason == "验收通过" and task.closed_by == world.city_user
    assert task.evidence.count() == 2 and evidence_path(task.evidence.first()).read_bytes() == PDF


def _state():
    return (list(Task.objects.order_by("pk").values_list("status", flat=True)), Evidence.objects.count(), AuditEvent.objects.count(),
            list(Milestone.objects.order_by("pk").values_list("done_on", flat=True)))


def test_it_changes_nothing_when_refused(world, task):
    before = _state()
    for who in ("county_user", "school_user", "teacher_user", "student_user"):
        actor = getattr(world.b, who)
        with pytest.raises(PermissionDenied):
            task_start(actor=actor, task=task)
        with pytest.raises(PermissionDenied):
            evidence_add(actor=actor, task=task, name="a.pdf", data=PDF)
    with pytest.raises(ValidationError):  # no close-out without evidence
        task_submit(actor=world.a.school_user, task=task)
    with pytest.raises(PermissionDenied):  # only the city closes
        task_close(actor=world.a.county_user, task=task, reason="x")
    with pytest.raises(PermissionDenied):  # a county files tasks only for itself
        task_create(actor=world.a.county_user, data=_data(world.b))
    with pytest.raises(PermissionDenied):
        task_create(actor=world.a.school_user, data=_data(world.a))
    with pytest.raises(ValidationError):  # a milestone after the deadline
        task_create(actor=world.a.county_user, data=_data(world.a, milestones=[("竣工", dt.date(2027, 1, 1))]))
    assert _state() == before


@pytest.mark.parametrize("name,data,why", [
    ("a.exe", b"MZ...", "不接受 .exe"),
    ("a.pdf", b"<html>not a pdf</html>", "不是 .pdf 格式"),
    ("a.png", PDF, "不是 .png 格式"),
    ("a.pdf", b"", "空的"),
    ("a.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
])
def test_evidence_type_and_size_are_checked(world, task, name, data, why):
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=why):
        evidence_add(actor=world.a.school_user, task=task, name=name, data=data)
    assert Evidence.objects.count() == 0 and AuditEvent.objects.count() == n


def test_evidence_is_served_only_to_those_who_see_the_task(world, task):
    ev = evidence_add(actor=world.a.school_user, task=task, name="验收.pdf", data=PDF)
    url = reverse("sup_evidence", kwargs={"pk": ev.pk})
    c = Client()
    c.force_login(world.a.county_user)
    r = c.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"]
    for outsider in (world.b.county_user, world.b.school_user):
        c.force_login(outsider)
        assert c.get(url).status_code == 404
    c.force_login(world.a.teacher_user)
    assert c.get(url).status_code == 403
    assert not str(evidence_path(ev)).startswith(str(__import__("django.conf").conf.settings.STATIC_ROOT))


def test_a_county_sees_only_its_tasks_and_overdue_ones_are_flagged(world, task):
    other = task_create(actor=world.b.county_user, data=_data(world.b, due_date=dt.date(2020, 12, 31), milestones=[]))
    assert other.is_overdue() and not Task(due_date=dt.date(2999, 1, 1)).is_overdue()
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("sup_ledger")).content.decode()
    assert task.title in body and other.title not in body
    c.force_login(world.b.county_user)
    body = c.get(reverse("sup_ledger") + "?overdue=1").content.decode()
    assert other.title in body and 'class="overdue"' in body and "逾期" in body


def test_a_rectification_task_is_closed_by_the_city_only_with_a_reason(world, catalog):
    t = Task.objects.create(kind="rectification", title="整改：心理咨询室覆盖率（a县一中）", county=world.a.county, school=world.a.school,
                            responsible_unit="a县一中", responsible_person="校长", due_date=dt.date(2026, 8, 31))
    evidence_add(actor=world.a.school_user, task=t, name="整改报告.pdf", data=PDF)
    task_submit(actor=world.a.school_user, task=t)
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        task_close(actor=world.city_user, task=t, reason="")
    assert AuditEvent.objects.count() == n
    task_close(actor=world.city_user, task=t, reason="学校已停办心理咨询室改建项目，经市教育局研究同意销号")
    t.refresh_from_db()
    assert t.status == "closed" and t.close_reason.startswith("学校已停办")
    assert AuditEvent.objects.latest("id").after["reason"].startswith("学校已停办")


def test_milestones_parse_and_tasks_import_all_or_nothing(world):
    assert parse_milestones("2025-03-01 完成设计；2025-06-30 开工") == [("完成设计", dt.date(2025, 3, 1)), ("开工", dt.date(2025, 6, 30))]
    with pytest.raises(ValueError):
        parse_milestones("三月 完成设计")
    rows = [
        {"title": "a县一中新建实验楼", "kind": "project", "county": "149901", "school": "GA1", "responsible_unit": "a县教育局", "responsible_person": "李",
         "due_date": dt.date(2026, 6, 30), "milestones": "2025-09-01 开工；2026-05-31 竣工"},
        {"title": "b县任务", "kind": "policy", "county": "149902", "responsible_unit": "b县教育局", "responsible_person": "赵", "due_date": dt.date(2026, 6, 30)},
        {"title": "a县化解大班额", "kind": "policy", "county": "149901", "responsible_unit": "a县教育局", "responsible_person": "李",
         "due_date": dt.date(2026, 6, 30), "milestones": "2026-09-01 完成"},
    ]
    n = AuditEvent.objects.count()
    out = tasks_import(actor=world.a.county_user, data=workbook(TASKS, rows), filename="台账.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "台账.xlsx[台账任务]:3: column 县(区)代码 (C)" in text and "台账.xlsx[台账任务]:4: column 节点 (H): 节点“完成”晚于完成时限" in text
    assert Task.objects.count() == 0 and AuditEvent.objects.count() == n
    out = tasks_import(actor=world.a.county_user, data=workbook(TASKS, [rows[0]]), filename="台账.xlsx")
    assert len(out.created) == 1 and AuditEvent.objects.count() == n + 1
    t = Task.objects.get()
    assert (t.school, t.county, t.milestones.count()) == (world.a.school, world.a.county, 2)


def test_pages_walk_open_task_to_close_out(world, task):
    c = Client()
    c.force_login(world.a.school_user)
    url = reverse("sup_task", kwargs={"pk": task.pk})
    assert 'data-testid="do-start"' in c.get(url).content.decode()
    c.post(reverse("sup_task_start", kwargs={"pk": task.pk}))
    f = io.BytesIO(PDF)
    f.name = "验收报告.pdf"
    c.post(reverse("sup_evidence_upload", kwargs={"pk": task.pk}), {"file": f})
    bad = io.BytesIO(b"MZ")
    bad.name = "virus.exe"
    c.post(reverse("sup_evidence_upload", kwargs={"pk": task.pk}), {"file": bad})
    assert [e.original_name for e in task.evidence.all()] == ["验收报告.pdf"]
    c.post(reverse("sup_task_submit", kwargs={"pk": task.pk}))
    task.refresh_from_db()
    assert task.status == "submitted"
    assert c.post(reverse("sup_task_close", kwargs={"pk": task.pk}), {"reason": "x", "confirm": "yes"}).status_code == 403
    c.force_login(world.city_user)
    page = c.get(reverse("sup_task", kwargs={"pk": task.pk})).content.decode()
    assert f"将对「{task.title}」" in page and "依据已上传的 1 份佐证材料" in page and "不可撤回" in page
    c.post(reverse("sup_task_close", kwargs={"pk": task.pk}), {"reason": "现场验收合格"})  # not confirmed: nothing changes
    task.refresh_from_db()
    assert task.status == "submitted"
    c.post(reverse("sup_task_close", kwargs={"pk": task.pk}), {"reason": "现场验收合格", "confirm": "yes"})
    task.refresh_from_db()
    assert task.status == "closed" and task.close_reason == "现场验收合格"
