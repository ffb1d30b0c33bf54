"""The indicator catalog: list, one indicator with its versions and trend, the city admin's revision form, and
exports of the catalog and of approved values (Excel and CSV)."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import Role
from gaozhong.core.scoping import require_role, scope_of, visible
from gaozhong.importer.export import write_csv, write_xlsx
from gaozhong.importer.spec import Column, TableSpec

from ..engine.catalog import APPLIES_TO, DIRECTIONS
from ..models import DataElement, Indicator, IndicatorVersion, PolicyDocument, SubmissionValue
from ..selectors import build_pack, current_start, visible_units
from ..services.catalog import indicator_revise
from ..services.exports import export_record
from .common import base_context, require_supervision, year_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicator_or_404(code: str) -> Indicator:
    ind = Indicator.objects.prefetch_related("versions__numerator", "versions__denominator").filter(code=code).first()
    if ind is None:
        raise Http404("no such indicator")
    return ind


@login_required
def catalog(request):
    require_supervision(request.user)
    indicators = Indicator.objects.prefetch_related("versions__numerator", "versions__denominator").order_by("order", "code")
    year = year_of(request)
    rows = [(i, i.version_for(year) if year else i.current) for i in indicators]
    return render(request, "supervision/catalog.html", base_context(
        request, "sup_catalog", rows=rows, elements=DataElement.objects.order_by("order"), is_city=scope_of(request.user).is_city,
        documents=PolicyDocument.objects.select_related("adoption", "adoption__county").order_by("code")))


@login_required
def indicator(request, code: str):
    require_supervision(request.user)
    ind = _indicator_or_404(code)
    year = year_of(request)
    pack = build_pack()
    units = visible_units(request.user)
    rows = [(u, r) for u in units if (r := pack.indicator_row(ind, u, year)) is not None] if year is not None else []
    top = rows[0] if rows else None
    trend = None
    if top is not None:
        u, r = top
        ys = [y for y in pack.years if y <= year]
        p = r.assessment.projection
        trend = {"labels": [f"{y}-{y + 1}" for y in ys], "values": [None if r.series.get(y) is None else round(r.series[y], 2) for y in ys],
                 "target": r.target.value if r.target else None, "name": r.name, "unit": r.unit,
                 "projection": {"from_year": year, "from": round(p.at(year), 2), "to_year": p.to_year, "to": round(p.value, 2)} if p else None}
    versions = sorted(ind.versions.all(), key=lambda v: v.version)
    return render(request, "supervision/indicator.html", base_context(
        request, "sup_catalog", year=year, ind=ind, version=ind.version_for(year) if year else ind.current, versions=versions,
        rows=rows, trend=trend, is_city=scope_of(request.user).is_city))


class RevisionForm(forms.Form):
    name_zh = forms.CharField(label="指标名称", max_length=80)
    name_en = forms.CharField(label="英文名称", max_length=120)
    source_clause = forms.CharField(label="依据条款", max_length=40)
    unit = forms.CharField(label="单位", max_length=10, required=False)
    direction = forms.ChoiceField(label="方向", choices=list(DIRECTIONS.items()))
    target = forms.DecimalField(label="目标值", max_digits=16, decimal_places=4, required=False)
    deadline = forms.IntegerField(label="完成时限（学年起始年份，留空为每年适用）", min_value=2000, max_value=2100, required=False)
    applies_to = forms.ChoiceField(label="适用学校", choices=list(APPLIES_TO.items()))
    definition = forms.CharField(label="口径说明", widget=forms.Textarea(attrs={"rows": 4}))
    effective_from = forms.IntegerField(label="从哪一学年起适用（起始年份）", min_value=2000, max_value=2100)
    note = forms.CharField(label="修订说明", max_length=200)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code: str):
    require_role(request.user, Role.CITY_ADMIN)
    ind = _indicator_or_404(code)
    cur = ind.current
    initial = {k: getattr(cur, k) for k in ("name_zh", "name_en", "source_clause", "unit", "direction", "target", "deadline", "applies_to", "definition")}
    initial["effective_from"] = current_start()
    form = RevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("effective_from", "note")}
        try:
            v = indicator_revise(actor=request.user, indicator=ind, data=data, effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"])
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        else:
            messages.success(request, f"已保存为第 {v.version} 版" if v else "没有改动，未新建版本")
            return redirect("sup_indicator", code=ind.code)
    return render(request, "supervision/indicator_edit.html", base_context(request, "sup_catalog", ind=ind, form=form, current=cur))


CATALOG_SPEC = TableSpec(name="supervision-catalog", title_zh="督导指标目录", sheet_name="指标目录", columns=[
    Column("code", "指标代码", "Code", "text"), Column("version", "版本", "Version", "integer"), Column("effective_from", "起用学年", "Effective from", "integer"),
    Column("name_zh", "指标名称", "Name", "text"), Column("name_en", "英文名称", "English name", "text"), Column("source_clause", "依据条款", "Source clause", "text"),
    Column("scope", "范围", "Scope", "text"), Column("formula", "公式", "Formula", "text"), Column("numerator", "分子", "Numerator", "text"),
    Column("denominator", "分母", "Denominator", "text"), Column("factor", "系数", "Factor", "text"), Column("direction", "方向", "Direction", "text"),
    Column("target", "目标值", "Target", "text"), Column("deadline", "完成时限", "Deadline", "integer"), Column("applies_to", "适用学校", "Applies to", "text"),
    Column("definition", "口径说明", "Definition", "text"),
])

VALUES_SPEC = TableSpec(name="supervision-values", title_zh="已批准督导数据", sheet_name="已批准数据", columns=[
    Column("year", "学年", "School year", "integer"), Column("term", "学期", "Term", "integer"), Column("level", "层级", "Level", "text"),
    Column("unit_code", "单位代码", "Unit code", "text"), Column("unit_name", "单位", "Unit", "text"), Column("element", "数据项代码", "Element", "text"),
    Column("element_name", "数据项", "Element name", "text"), Column("value", "数值", "Value", "text"), Column("submission", "报送编号", "Submission", "integer"),
])


def _download(spec: TableSpec, rows, fmt: str, name: str) -> tuple[HttpResponse, int]:
    buf = io.BytesIO()
    n = (write_xlsx if fmt == "xlsx" else write_csv)(buf, spec, rows)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return resp, n


@login_required
def catalog_export(request, fmt: str):
    require_supervision(request.user)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    versions = IndicatorVersion.objects.select_related("indicator", "numerator", "denominator").order_by("indicator__order", "version")
    rows = ({"code": v.indicator.code, "version": v.version, "effective_from": v.effective_from, "name_zh": v.name_zh, "name_en": v.name_en,
             "source_clause": v.source_clause, "scope": v.get_scope_display(), "formula": v.formula, "numerator": v.numerator.code,
             "denominator": v.denominator.code if v.denominator_id else None, "factor": f"{v.factor.normalize():f}", "direction": v.get_direction_display(),
             "target": None if v.target is None else f"{v.target.normalize():f}", "deadline": v.deadline, "applies_to": v.get_applies_to_display(),
             "definition": v.definition} for v in versions)
    resp, _ = _download(CATALOG_SPEC, rows, fmt, "督导指标目录")
    return resp


@login_required
def values_export(request, fmt: str):
    """Approved reported values the user may see, for provincial and national systems (audited: data leaves)."""
    require_supervision(request.user)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    qs = (visible(SubmissionValue, request.user).filter(submission__status="approved")
          .select_related("submission__school", "submission__county", "submission__school_year", "element")
          .order_by("submission__school_year__start_year", "submission__level", "submission_id", "element__order"))
    rows = ({"year": v.submission.school_year.start_year, "term": v.submission.term, "level": v.submission.get_level_display(),
             "unit_code": v.submission.school.code if v.submission.school_id else v.submission.county.code if v.submission.county_id else "",
             "unit_name": v.submission.unit_name, "element": v.element.code, "element_name": v.element.name_zh,
             "value": f"{v.value.normalize():f}", "submission": v.submission_id} for v in qs.iterator(chunk_size=2000))
    resp, n = _download(VALUES_SPEC, rows, fmt, "已批准督导数据")
    export_record(actor=request.user, kind="values", fmt=fmt, rows=n)
    return resp
