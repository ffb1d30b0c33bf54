"""The read-only JSON API (django-ninja) for provincial and national systems (Rule: 003 §三(六)1, 001 §5 —
市、县两级教育数据库，与国家、省数据互通): schools, the indicator catalog, approved values, indicator values
with status, and ledger tasks.

Every call needs ``Authorization: Bearer <token>``; a token is issued to one user and sees exactly what that
user sees (the same ``visible`` filters as the pages), so a county's token never returns another county's rows.
A revoked token is refused at once. Every call — refused ones too — is written to the call log. The OpenAPI
schema is served at ``openapi.json`` (no interactive docs page: its scripts would come from a CDN).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.security import HttpBearer

from gaozhong.core.models import School
from gaozhong.core.scoping import visible

from .models import Indicator, Submission, SubmissionValue, Task
from .selectors import build_pack, latest_complete_year, visible_units
from .services.tokens import api_call_record, token_lookup

MAX_LIMIT = 5000


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        tok = token_lookup(token)
        if tok is None:
            return None
        request.api_token = tok
        return tok


api = NinjaAPI(
    title="gaozhong 督导数据接口 (supervision data API)", version="1.0", urls_namespace="sup_api", auth=TokenAuth(),
    docs_url=None, openapi_url="/openapi.json",
    description="只读接口；令牌按用户签发，只返回该用户有权查看的数据 (read only; a token sees what its user sees).",
)


@api.exception_handler(ValidationError)
def bad_parameters(request, exc: ValidationError):
    """A parameter out of range (a negative offset, a limit of 0 …) is the caller's mistake: 400 with the reasons."""
    return api.create_response(request, {"detail": "参数不合法 (invalid parameters)", "errors": exc.errors}, status=400)


#: Paging parameters: offset from 0, limit 1 … MAX_LIMIT.
Offset = Query(0, ge=0, description="从第几行开始 (rows to skip)")
Limit = Query(1000, ge=1, le=MAX_LIMIT, description=f"最多返回行数，1–{MAX_LIMIT} (rows, 1–{MAX_LIMIT})")


def _user(request):
    return request.auth.user


def _page(request, qs, limit: int, offset: int):
    rows = list(qs[offset:offset + limit])
    request.api_rows = len(rows)
    return rows


class SchoolOut(Schema):
    code: str
    name: str
    county_code: str
    county_name: str
    ownership: str
    quality: str
    founded_year: int | None


class IndicatorOut(Schema):
    code: str
    version: int
    effective_from: int
    name_zh: str
    name_en: str
    source_clause: str
    scope: str
    numerator: str
    denominator: str | None
    factor: Decimal
    unit: str
    direction: str
    target: Decimal | None
    deadline: int | None
    applies_to: str
    aggregate: str
    formula: str
    definition: str


class ValueOut(Schema):
    year: int
    term: int
    level: str
    unit_code: str
    unit_name: str
    element: str
    value: Decimal
    submission: int
    approved_at: dt.datetime | None


class IndicatorValueOut(Schema):
    indicator: str
    year: int
    unit_level: str
    unit_code: str
    unit_name: str
    value: float | None
    target: str
    status: str
    status_label: str
    projection: float | None
    projection_year: int | None
    covered: int
    units: int


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    unit: str
    county_code: str | None
    school_code: str | None
    responsible_unit: str
    responsible_person: str
    due_date: dt.date
    status: str
    overdue: bool
    indicator: str | None
    source_clause: str


@api.get("/schools", response=list[SchoolOut], summary="学校 (senior high schools the token may see)")
def schools(request, limit: int = Limit, offset: int = Offset):
    qs = visible(School, _user(request)).filter(level=School.Level.SENIOR).select_related("county").order_by("code")
    return [SchoolOut(code=s.code, name=s.name, county_code=s.county.code, county_name=s.county.name, ownership=s.ownership, quality=s.quality,
                      founded_year=s.founded_year) for s in _page(request, qs, limit, offset)]


@api.get("/indicators", response=list[IndicatorOut], summary="指标目录 (the catalog; every version with all=true)")
def indicators(request, all: bool = False):  # noqa: A002 - the query parameter's public name
    out = []
    for ind in Indicator.objects.prefetch_related("versions__numerator", "versions__denominator").order_by("order", "code"):
        versions = sorted(ind.versions.all(), key=lambda v: v.version) if all else [ind.current]
        for v in versions:
            out.append(IndicatorOut(
                code=ind.code, version=v.version, effective_from=v.effective_from, name_zh=v.name_zh, name_en=v.name_en, source_clause=v.source_clause,
                scope=v.scope, numerator=v.numerator.code, denominator=v.denominator.code if v.denominator_id else None, factor=v.factor, unit=v.unit,
                direction=v.direction, target=v.target, deadline=v.deadline, applies_to=v.applies_to, aggregate=v.aggregate, formula=v.formula,
                definition=v.definition))
    request.api_rows = len(out)
    return out


class ValueFilter(Schema):
    year: int | None = None
    level: str | None = None
    element: str | None = None
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@api.get("/values", response=list[ValueOut], summary="已批准的填报数据 (approved reported values)")
def values(request, filters: Query[ValueFilter]):
    qs = (visible(SubmissionValue, _user(request)).filter(submission__status=Submission.Status.APPROVED)
          .select_related("submission__school", "submission__county", "submission__school_year", "element")
          .order_by("submission__school_year__start_year", "submission__term", "submission_id", "element__order"))
    if filters.year is not None:
        qs = qs.filter(submission__school_year__start_year=filters.year)
    if filters.level:
        qs = qs.filter(submission__level=filters.level)
    if filters.element:
        qs = qs.filter(element__code=filters.element)
    out = []
    for v in _page(request, qs, filters.limit, filters.offset):
        s = v.submission
        out.append(ValueOut(year=s.school_year.start_year, term=s.term, level=s.level,
                            unit_code=s.school.code if s.school_id else s.county.code if s.county_id else "", unit_name=s.unit_name,
                            element=v.element.code, value=v.value, submission=s.pk, approved_at=s.approved_at))
    return out


@api.get("/indicator-values", response=list[IndicatorValueOut], summary="指标值与达标状态 (indicator values and status)")
def indicator_values(request, year: int | None = None, indicator: str | None = None):
    pack = build_pack()
    y = year if year is not None else latest_complete_year()
    out = []
    for unit in visible_units(_user(request)):
        for ind in pack.indicators:
            if indicator and ind.code != indicator:
                continue
            r = pack.indicator_row(ind, unit, y)
            if r is None:
                continue
            p = r.assessment.projection
            out.append(IndicatorValueOut(indicator=ind.code, year=y, unit_level=unit.level, unit_code=unit.code, unit_name=unit.name,
                                         value=r.evaluation.value, target=r.target_text, status=r.status, status_label=r.status_label,
                                         projection=p.value if p else None, projection_year=p.to_year if p else None,
                                         covered=r.evaluation.covered, units=r.evaluation.units))
    request.api_rows = len(out)
    return out


@api.get("/tasks", response=list[TaskOut], summary="台账任务 (ledger tasks)")
def tasks(request, status: str | None = None, overdue: bool | None = None, limit: int = Limit, offset: int = Offset):
    today = timezone.localdate()
    qs = visible(Task, _user(request)).select_related("county", "school", "indicator").order_by("due_date", "pk")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=Task.Status.CLOSED).filter(due_date__lt=today)
    return [TaskOut(id=t.pk, kind=t.kind, title=t.title, unit=t.unit_name, county_code=t.county.code if t.county_id else None,
                    school_code=t.school.code if t.school_id else None, responsible_unit=t.responsible_unit, responsible_person=t.responsible_person,
                    due_date=t.due_date, status=t.status, overdue=t.is_overdue(today), indicator=t.indicator.code if t.indicator_id else None,
                    source_clause=t.source_clause) for t in _page(request, qs, limit, offset)]


def _logged(view):
    """Write every call to the log, with its status code and the number of rows it returned."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        api_call_record(token=getattr(request, "api_token", None), method=request.method, path=request.path,
                        query=request.META.get("QUERY_STRING", ""), status=response.status_code, rows=getattr(request, "api_rows", None),
                        ip=request.META.get("REMOTE_ADDR"))
        return response

    return wrapper


def urls():
    """The API's URL patterns with call logging around each view."""
    patterns, app_name, namespace = api.urls
    for p in patterns:
        p.callback = _logged(p.callback)
    return patterns, app_name, namespace
