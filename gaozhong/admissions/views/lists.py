"""The admissions lists staff work with (gaozhong.core.listing): the recorded runs of every year (city), the
published admissions of the schools a user may see (本校录取名单 for a school, every row, none cut off), and a run's
录取分数线 per program on the run's page. Each sorts by any column, searches, filters by label and exports
exactly what is filtered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Program
from gaozhong.admissions.selectors import published_runs
from gaozhong.admissions.templatetags.admissions_text import tiebreak
from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.masking import mask_id_number
from gaozhong.core.models import County, Role, School
from gaozhong.core.roles import STAFF
from gaozhong.core.scoping import require_role, scope_of, visible

ROUNDS = [("1", "第一轮"), ("2", "补录")]


def _round_name(n: int | None) -> str:
    return "补录" if n == 2 else "第一轮"


def _year(y: int) -> str:
    return gettext("%(year)s 年") % {"year": y}


def run_ordinals(qs):
    """Runs with ``ordinal``: the how-manieth run of its year it is (1 for the year's first)."""
    earlier = (AdmissionRun.objects.filter(year=OuterRef("year"), pk__lte=OuterRef("pk")).order_by()
               .values("year").annotate(n=Count("pk")).values("n"))
    return qs.annotate(ordinal=Subquery(earlier))


def run_label(run: AdmissionRun) -> str:
    """``2026 年第 3 次``: how staff name a run (counting the year's 补录 runs too)."""
    n = getattr(run, "ordinal", None) or AdmissionRun.objects.filter(year_id=run.year_id, pk__lte=run.pk).count()
    return gettext("%(year)s 年第 %(n)s 次") % {"year": run.year.year, "n": n}


# -- the runs ----------------------------------------------------------------------------------------------------

RUNS = Listing(
    name="admission_runs", title="录取运行", default_sort="-started", search=("inputs_sha256__istartswith", "started_by__username"),
    columns=[
        Col("run", "运行", run_label, sort="pk", link=lambda r: reverse("admissions_run", args=[r.pk])),
        Col("year", "招生年份", lambda r: r.year.year, sort="year__year", kind="integer", numeric=True),
        Col("round", "轮次", lambda r: _round_name(r.round), sort="round"),
        Col("status", "状态", lambda r: r.get_status_display(), sort="status"),
        Col("candidates", "考生", lambda r: r.n_candidates, sort="n_candidates", kind="integer", numeric=True),
        Col("admitted", "录取", lambda r: r.n_admitted, sort="n_admitted", kind="integer", numeric=True),
        Col("started_by", "运行人", lambda r: r.started_by.username, sort="started_by__username"),
        Col("started", "运行时间", lambda r: r.started_at, sort="started_at"),
        Col("approved_by", "审批人", lambda r: r.approved_by.username if r.approved_by else "", sort="approved_by__username"),
        Col("approved", "审批时间", lambda r: r.approved_at, sort="approved_at"),
        Col("digest", "输入摘要 SHA-256", lambda r: r.inputs_sha256, kind="identifier", css="mono small"),
        Col("engine", "引擎版本", lambda r: r.engine_version, on_page=False),
    ],
    filters=[
        Filter("year", "招生年份", lambda user: [(str(y), _year(y)) for y in AdmissionYear.objects.order_by("-year").values_list("year", flat=True)],
               lambda qs, v: qs.filter(year__year=int(v))),
        Filter("status", "状态", lambda user: AdmissionRun.Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("round", "轮次", lambda user: ROUNDS, lambda qs, v: qs.filter(round=int(v))),
    ],
)


@login_required
def runs(request):
    """Every recorded run of every year (the city runs and approves them)."""
    require_role(request.user, Role.CITY_ADMIN)
    qs = run_ordinals(visible(AdmissionRun, request.user).select_related("year", "started_by", "approved_by")
                      .annotate(n_candidates=Count("admissions"), n_admitted=Count("admissions", filter=Q(admissions__program__isnull=False))))
    return RUNS.respond(request, qs, lambda listing: render(request, "admissions/runs.html", {"l": listing}))


# -- the published admissions --------------------------------------------------------------------------------------

def _published_years(user) -> list[tuple[str, str]]:
    years = sorted({r.year.year for r in published_runs()}, reverse=True)
    return [(str(y), _year(y)) for y in years]


def _newest_published(user) -> str:
    years = _published_years(user)
    return years[0][0] if years else ""


def _schools(user):
    return [(s.code, s.name) for s in visible(School, user).filter(level__in=(School.Level.SENIOR, School.Level.VOCATIONAL)).order_by("code")]


ADMITTED = Listing(
    name="admitted", title="录取名单", default_sort="school_code", tiebreak="candidate__exam_no",
    search=("candidate__name", "candidate__exam_no__istartswith", "candidate__junior_school__name"),
    columns=[
        Col("school_code", "学校代码", lambda a: a.program.school.code, sort="program__school__code", kind="identifier", on_page=False),
        Col("school", "录取学校", lambda a: a.program.school.name, sort="program__school__code"),
        Col("program", "专业代码", lambda a: a.program.code, sort="program__code", kind="identifier", on_page=False),
        Col("program_name", "录取专业", lambda a: str(a.program), sort="program__code"),
        Col("kind", "类别", lambda a: a.program.get_kind_display(), sort="program__kind"),
        Col("exam_no", "准考证号", lambda a: a.candidate.exam_no, sort="candidate__exam_no", kind="identifier", css="mono"),
        Col("name", "姓名", lambda a: a.candidate.name, sort="candidate__name"),
        Col("id_number", "身份证号", lambda a: mask_id_number(a.candidate.id_number), kind="identifier", on_page=False),
        Col("junior", "毕业学校", lambda a: a.candidate.junior_school.name, sort="candidate__junior_school__code"),
        Col("score", "中考总分", lambda a: a.candidate.score, sort="candidate__score", kind="decimal", numeric=True),
        Col("batch", "批次", lambda a: a.batch, sort="batch", kind="integer", numeric=True),
        Col("choice_rank", "志愿序号", lambda a: a.choice_rank, sort="choice_rank", kind="integer", numeric=True),
        Col("major", "专业", lambda a: a.program.major, sort="program__major", on_page=False),
        Col("round", "录取轮次", lambda a: _round_name(a.round), sort="round"),
    ],
    filters=[
        Filter("year", "招生年份", _published_years, lambda qs, v: qs.filter(run__year__year=int(v)), default=_newest_published),
        Filter("school", "录取学校", _schools, lambda qs, v: qs.filter(program__school__code=v)),
        Filter("kind", "类别", lambda user: Program.Kind.choices, lambda qs, v: qs.filter(program__kind=v)),
        Filter("round", "录取轮次", lambda user: ROUNDS, lambda qs, v: qs.filter(round=int(v))),
    ],
)


def admitted_queryset(user):
    """The admissions of every published result (one run per year) the user may see."""
    return (visible(Admission, user).filter(run__in=published_runs(), program__isnull=False)
            .select_related("candidate", "candidate__junior_school", "program", "program__school", "program__feeder_school"))


@login_required
def admitted(request):
    """The published admissions of the user's schools (a school's 本校录取名单), every row, paged."""
    require_role(request.user, *STAFF)
    own = scope_of(request.user).role == Role.SCHOOL_ADMIN
    return ADMITTED.respond(request, admitted_queryset(request.user), lambda listing: render(
        request, "admissions/admitted.html", {"l": listing, "own_school": own}))


@login_required
def admitted_xlsx(request):
    """The address the pages linked to before the list existed: the same rows as the list's export."""
    require_role(request.user, *STAFF)
    return ADMITTED.export(request, admitted_queryset(request.user))


# -- a run's cutoffs --------------------------------------------------------------------------------------------------

CUTOFFS = Listing(
    name="run_cutoffs", title="各专业录取情况", default_sort="batch", tiebreak="program__code",
    search=("program__school__name", "program__code__istartswith", "program__feeder_school__name", "program__major"),
    columns=[
        Col("round", "轮次", lambda c: _round_name(c.round), sort="round"),
        Col("school", "学校", lambda c: c.program.school.name, sort="program__school__code"),
        Col("program", "专业代码", lambda c: c.program.code, sort="program__code", kind="identifier", on_page=False),
        Col("program_name", "专业", lambda c: str(c.program), sort="program__code"),
        Col("kind", "类别", lambda c: c.program.get_kind_display(), sort="program__kind"),
        Col("batch", "批次", lambda c: c.program.batch, sort="program__batch", kind="integer", numeric=True),
        Col("capacity", "计划(含转入)", lambda c: c.capacity, sort="capacity", kind="integer", numeric=True),
        Col("admitted", "录取", lambda c: c.admitted, sort="admitted", kind="integer", numeric=True),
        Col("cutoff", "最低录取分", lambda c: c.cutoff_score, sort="cutoff_score", kind="decimal", numeric=True),
        Col("last_choice", "末位志愿", lambda c: c.last_choice_rank, sort="last_choice_rank", kind="integer", numeric=True),
        Col("tiebreak", "末位同分比较", lambda c: tiebreak(c.last_tiebreak)),
    ],
    filters=[
        Filter("batch", "批次", lambda user: [(str(b), gettext("第 %(n)s 批") % {"n": b})
                                             for b in Program.objects.order_by("batch").values_list("batch", flat=True).distinct()],
               lambda qs, v: qs.filter(program__batch=int(v))),
        Filter("kind", "类别", lambda user: Program.Kind.choices, lambda qs, v: qs.filter(program__kind=v)),
        Filter("round", "轮次", lambda user: ROUNDS, lambda qs, v: qs.filter(round=int(v))),
        Filter("county", "县(区)", lambda user: [(c.code, c.name) for c in visible(County, user).order_by("code")],
               lambda qs, v: qs.filter(program__school__county__code=v)),
    ],
)


def run_cutoffs(user, run: AdmissionRun):
    return visible(Cutoff, user).filter(run=run).select_related("program", "program__school", "program__feeder_school")
