"""The registry worklist (scoped to the user's county or school), the check run, and resolving an anomaly."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.masking import mask_id_number, mask_ids, mask_student_no
from gaozhong.core.models import County, Role, School
from gaozhong.core.scoping import can_write, get_visible_or_404, require_role, visible
from gaozhong.core.roles import STAFF
from gaozhong.core.services.exports import personal_export_record, wants_full_ids
from gaozhong.registry.exports import check_csv
from gaozhong.registry.models import RegistryAnomaly, RegistryCheck, Registration
from gaozhong.registry.selectors import check_readiness, latest_term
from gaozhong.registry.services.checks import anomaly_resolve, registry_check_run
from gaozhong.registry.services.imports import may_import

ROLES = STAFF


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结果", choices=[(RegistryAnomaly.Status.CORRECTED, "已核实并纠正"), (RegistryAnomaly.Status.EXPLAINED, "已说明")])
    note = forms.CharField(label="处理说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CheckForm(forms.Form):
    current_term = forms.RegexField(label="当前学期", regex=r"^\d{4}-[12]$", initial="2025-2")
    terms = forms.CharField(label="检查学期（逗号分隔）", initial="2025-1,2025-2")
    bulk_threshold = forms.IntegerField(label="批量转学人数 K", min_value=2, initial=10)
    bulk_window_days = forms.IntegerField(label="批量转学窗口 D 天", min_value=1, initial=30)


def _status_filter(qs, value):
    return qs if value == "all" else qs.filter(status=value)


ANOMALIES = Listing(
    name="registry_anomalies", title="学籍异常清单", default_sort="kind", tiebreak="student_no",
    search=("person", "student_no__exact"),
    columns=[
        Col("kind", "类型", lambda a: a.get_kind_display(), sort="kind", link=lambda a: reverse("registry_anomaly", args=[a.pk])),
        Col("school", "学校", lambda a: a.school.name, sort="school__code"),
        Col("county", "县(区)", lambda a: a.school.county.name, sort="school__county__code"),
        Col("student_no", "学籍号", lambda a: mask_student_no(a.student_no), sort="student_no", kind="identifier", css="mono"),
        Col("name", "姓名", lambda a: a.person, sort="person"),
        Col("id_number", "身份证号", lambda a: mask_id_number(a.id_number), kind="identifier", on_page=False),
        Col("evidence", "依据", lambda a: mask_ids(a.evidence)),
        Col("status", "处理状态", lambda a: a.get_status_display(), sort="status"),
        Col("resolved_at", "处理时间", lambda a: a.resolved_at, sort="resolved_at", on_page=False),
        Col("note", "处理说明", lambda a: mask_ids(a.note), on_page=False),
    ],
    filters=[
        Filter("county", "县(区)", lambda user: [(c.code, c.name) for c in visible(County, user).order_by("code")],
               lambda qs, v: qs.filter(school__county__code=v)),
        Filter("school", "学校", lambda user: [(s.code, s.name) for s in visible(School, user).filter(level=School.Level.SENIOR).order_by("code")],
               lambda qs, v: qs.filter(school__code=v)),
        Filter("kind", "类型", lambda user: RegistryAnomaly.Kind.choices, lambda qs, v: qs.filter(kind=v), all_label="全部"),
        Filter("status", "处理状态", lambda user: [("all", "全部处理状态"), *RegistryAnomaly.Status.choices], _status_filter,
               default=RegistryAnomaly.Status.OPEN),
    ],
)


def _anomalies(user, check):
    """The check's anomalies the user may see, with the person's name: the student's, or for a registration with
    no student here the name the national registry gives."""
    if check is None:
        return RegistryAnomaly.objects.none()
    registered = Registration.objects.filter(student_no=OuterRef("student_no"), school=OuterRef("school")).values("name")[:1]
    return (visible(RegistryAnomaly, user).filter(check_run=check).select_related("school", "school__county", "student")
            .annotate(person=Coalesce("student__name", Subquery(registered), Value(""), output_field=CharField())))


@login_required
def worklist(request):
    require_role(request.user, *ROLES)
    check = RegistryCheck.objects.first()
    qs = _anomalies(request.user, check)
    counts = {r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Count("id"))}
    return ANOMALIES.respond(request, qs, lambda listing: render(request, "registry/worklist.html", {
        "check": check, "l": listing, "kinds": RegistryAnomaly.Kind.choices, "counts": counts,
        "check_form": CheckForm(initial=_check_initial()) if request.user.membership.role == Role.CITY_ADMIN else None,
        "missing": check_readiness(user=request.user),
        "imports": [k for k in ("registry", "attendance", "exam_sittings", "transfers") if may_import(request.user, k)],
        "can_export": request.user.membership.role == Role.CITY_ADMIN,
    }))


@login_required
def check_export(request, pk: int):
    """The check's anomalies of the engine's kinds as ``gaozhong registry check`` writes OUT.csv (city bureau):
    with ``full=1`` byte for byte the command's, else with every 学籍号 and 身份证号 masked; audited."""
    require_role(request.user, Role.CITY_ADMIN)
    check = RegistryCheck.objects.filter(pk=pk).first()
    if check is None:
        raise Http404("no such check")
    full = wants_full_ids(request)
    text = check_csv(check)
    personal_export_record(actor=request.user, action="registry.check.exported", object_type="export.registry_check",
                           filename=f"registry-check-{check.pk}.csv", rows=text.count("\n") - 1, full=full)
    resp = HttpResponse((text if full else mask_ids(text)).encode("utf-8"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="registry-check-{check.pk}.csv"'
    return resp


def _check_initial() -> dict:
    """The form's terms: the newest term with attendance as current, and that school year's terms."""
    term = latest_term()
    if term is None:
        return {}
    year = term.split("-")[0]
    return {"current_term": term, "terms": ",".join(t for t in (f"{year}-1", f"{year}-2") if t <= term)}


@login_required
@require_POST
def check_run(request):
    require_role(request.user, Role.CITY_ADMIN)
    form = CheckForm(request.POST)
    if form.is_valid():
        terms = [t.strip() for t in form.cleaned_data["terms"].split(",") if t.strip()]
        try:
            check = registry_check_run(actor=request.user, current_term=form.cleaned_data["current_term"], terms=terms,
                                       bulk_threshold=form.cleaned_data["bulk_threshold"], bulk_window_days=form.cleaned_data["bulk_window_days"])
            messages.success(request, f"检查完成：{sum(check.counts.values())} 条异常")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("registry_worklist")


@login_required
@require_http_methods(["GET", "POST"])
def anomaly(request, pk: int):
    require_role(request.user, *ROLES)
    a = get_visible_or_404(RegistryAnomaly.objects.select_related("school", "student", "student__school", "resolved_by"), request.user, pk=pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST":
        if not can_write(request.user, a):
            raise PermissionDenied("无权处理")
        if form.is_valid():
            try:
                anomaly_resolve(actor=request.user, anomaly=a, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
                messages.success(request, "已记录处理结果")
                return redirect("registry_anomaly", pk=a.pk)
            except ValidationError as exc:
                form.add_error(None, "; ".join(exc.messages))
    return render(request, "registry/anomaly.html", {"a": a, "form": form, "can_resolve": can_write(request.user, a) and a.status == RegistryAnomaly.Status.OPEN})
