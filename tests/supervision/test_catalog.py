"""The catalog in the database: loaded from the file, revised by the city admin with history kept."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent
from gaozhong.supervision.engine.catalog import load_catalog
from gaozhong.supervision.models import DataElement, Indicator, IndicatorVersion
from gaozhong.supervision.services.catalog import catalog_sync, indicator_revise

pytestmark = pytest.mark.django_db


def test_sync_loads_the_whole_file_once(world):
    cat = load_catalog()
    res = catalog_sync(actor=None, effective_from=2000)
    assert res.indicators_created == len(cat.indicators) and res.versions_added == len(cat.indicators)
    assert DataElement.objects.count() == len(cat.elements) and Indicator.objects.count() == len(cat.indicators)
    ss = Indicator.objects.get(code="SS-01").current
    assert (ss.numerator.code, ss.denominator.code, float(ss.target), ss.direction, ss.source_clause) == (
        "students_enrolled", "teachers_fulltime", 12.5, "le", "002 §三(三)")
    n = AuditEvent.objects.count()
    again = catalog_sync(actor=None, effective_from=2025)
    assert again.versions_added == 0 and again.unchanged == len(cat.indicators)
    assert AuditEvent.objects.count() == n  # nothing changed, nothing recorded


def test_a_changed_file_adds_a_version_and_keeps_the_old_one(world, catalog):
    cat = load_catalog()
    changed = dict(cat.indicators)
    changed["SS-01"] = dataclasses.replace(cat.indicators["SS-01"], target=12.0)
    catalog_sync(actor=None, effective_from=2026, catalog=dataclasses.replace(cat, version="2026.1", indicators=changed))
    ind = Indicator.objects.get(code="SS-01")
    assert ind.versions.count() == 2
    assert float(ind.version_for(2025).target) == 12.5 and float(ind.version_for(2026).target) == 12.0
    assert ind.version_for(2030).catalog_version == "2026.1"


def test_it_writes_one_audit_row(world, catalog):
    ind = Indicator.objects.get(code="JF-01")
    n = AuditEvent.objects.count()
    v = indicator_revise(actor=world.city_user, indicator=ind, data={"target": 1200}, effective_from=2026, note="提高标准")
    assert AuditEvent.objects.count() == n + 1
    e = AuditEvent.objects.latest("id")
    assert e.action == "supervision.indicator.revised" and e.before == {"target": "1000.0000"} and e.after["target"] == "1200"
    assert v.version == 2 and float(ind.version_for(2025).target) == 1000 and float(ind.version_for(2026).target) == 1200


@pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
def test_it_changes_nothing_when_refused(world, catalog, who):
    ind = Indicator.objects.get(code="JF-01")
    n, versions = AuditEvent.objects.count(), IndicatorVersion.objects.count()
    with pytest.raises(PermissionDenied):
        indicator_revise(actor=getattr(world.a, who), indicator=ind, data={"target": 1}, effective_from=2025, note="x")
    assert (AuditEvent.objects.count(), IndicatorVersion.objects.count()) == (n, versions)


def test_revision_needs_a_note_and_a_real_change(world, catalog):
    ind = Indicator.objects.get(code="JF-01")
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        indicator_revise(actor=world.city_user, indicator=ind, data={"target": 1100}, effective_from=2025, note=" ")
    assert indicator_revise(actor=world.city_user, indicator=ind, data={"target": 1000}, effective_from=2025, note="同值") is None
    with pytest.raises(ValidationError):  # 适用学校 is for school targets only
        indicator_revise(actor=world.city_user, indicator=ind, data={"applies_to": "quality"}, effective_from=2025, note="x")
    assert AuditEvent.objects.count() == n and ind.versions.count() == 1


def test_catalog_pages(world, catalog):
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("sup_catalog")).content.decode()
    assert "SS-01" in body and "广元十四五县中方案 三(三)" in body and "在籍学生数 ÷ 专任教师数" in body and "002 §" not in body
    assert c.get(reverse("sup_indicator", kwargs={"code": "SS-01"})).status_code == 200
    assert c.get(reverse("sup_indicator_edit", kwargs={"code": "SS-01"})).status_code == 403
    assert c.post(reverse("sup_indicator_edit", kwargs={"code": "SS-01"}), {"target": "1"}).status_code == 403
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("sup_catalog")).status_code == 403
    c.force_login(world.city_user)
    form = {"name_zh": "生师比", "name_en": "Students per teacher", "source_clause": "002 §三(三)", "unit": "人/师", "direction": "le",
            "target": "12", "deadline": "2023", "applies_to": "all", "definition": "新口径", "effective_from": "2026", "note": "省定新标准"}
    r = c.post(reverse("sup_indicator_edit", kwargs={"code": "SS-01"}), form)
    assert r.status_code == 302
    ind = Indicator.objects.get(code="SS-01")
    assert ind.versions.count() == 2 and ind.current.name_zh == "生师比" and float(ind.version_for(2025).target) == 12.5
    body = c.get(reverse("sup_indicator", kwargs={"code": "SS-01"})).content.decode()
    assert "省定新标准" in body and "v1" in body and "v2" in body


def test_catalog_and_approved_values_export_to_excel_and_csv(world, catalog):
    import io

    from openpyxl import load_workbook

    from gaozhong.supervision.models import DataElement, Submission, SubmissionValue

    for p in (world.a, world.b):
        s = Submission.objects.create(level="school", school=p.school, county=p.county, school_year=world.year, status="approved")
        SubmissionValue.objects.create(submission=s, element=DataElement.objects.get(code="staff_posts"), value=40)
    c = Client()
    c.force_login(world.a.county_user)
    ws = load_workbook(io.BytesIO(c.get(reverse("sup_catalog_export", kwargs={"fmt": "xlsx"})).content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("指标代码", "版本", "起用学年", "指标名称") and any(r[0] == "SS-01" and r[7] == "在籍学生数 ÷ 专任教师数" for r in rows)
    csv = c.get(reverse("sup_catalog_export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    assert "JK-01" in csv and "003 §三(一)7" in csv
    n = AuditEvent.objects.count()
    csv = c.get(reverse("sup_values_export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    assert "GA1" in csv and "GB1" not in csv and "staff_posts" in csv  # only the county's own figures
    assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == "supervision.values.exported"
