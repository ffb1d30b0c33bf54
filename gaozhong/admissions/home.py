"""The admissions app's lines on the 首页 (registered in ``AppConfig.ready`` through
``gaozhong.core.hooks.register_home``): the admission year's state for staff; for the city, what the year still
lacks (the readiness panel, ``selectors.admission_readiness``) and runs waiting for approval; for a county, its
senior schools without a plan; for a school, its published admissions; for a candidate, their 志愿 and, once
published, their result (the final one after 补录), and the open 补录 window when they may take part."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaozhong.core.hooks import FIGURE, HomeItem
from gaozhong.core.models import Candidate, Role, School
from gaozhong.core.roles import CANDIDATE, STAFF
from gaozhong.core.scoping import Scope, visible

from .models import Admission, AdmissionRun, AdmissionYear, Confirmation, Preference, SupplementaryRound
from .selectors import admission_readiness, current_admission_year, preference_progress, published_run, school_admissions
from .services.supplementary import may_take_part


def admissions_home(user, scope: Scope) -> list[HomeItem]:
    if scope.role in STAFF:
        return _staff(user, scope)
    if CANDIDATE in scope.audiences:
        return _candidate(user, scope)
    return []


def _staff(user, scope: Scope) -> list[HomeItem]:
    year = current_admission_year()
    home = reverse("admissions_home")
    if year is None:
        return [HomeItem(_("中考招生"), kind=FIGURE, value=_("未设立"), note=_("尚未设立招生年度"), url=home, order=60)]
    p = preference_progress(year)
    out = [HomeItem(_("%(y)d 年中考招生") % {"y": year.year}, kind=FIGURE, value=year.get_status_display(),
                    note=_("已确认志愿 %(c)s / %(n)s 名考生") % {"c": f"{p['confirmed']:,}", "n": f"{p['candidates']:,}"}, url=home, order=60)]
    if scope.role == Role.CITY_ADMIN:
        out += [HomeItem(m.message, url=m.url, link_label=_(m.link_label), order=60) for m in admission_readiness(year)]
        waiting = AdmissionRun.objects.filter(year=year, status=AdmissionRun.Status.DONE).order_by("-started_at")
        n = waiting.count()
        out.append(HomeItem(_("待审批并公布的录取运行"), count=n, url=reverse("admissions_run", args=[waiting[0].pk]) if n else home,
                            link_label=_("去审批"), order=61))
        if year.status == AdmissionYear.Status.CLOSED and not AdmissionRun.objects.filter(year=year).exists():
            out.append(HomeItem(_("志愿填报已截止，尚未运行录取"), url=home, link_label=_("去运行"), order=62))
        rnd = SupplementaryRound.objects.filter(year=year).first()
        if rnd is not None and rnd.status != SupplementaryRound.Status.PUBLISHED:
            out.append(HomeItem(_("补录：%(s)s") % {"s": rnd.get_status_display()}, url=reverse("admissions_supplementary"),
                                link_label=_("去处理"), order=62))
    elif scope.role == Role.COUNTY_STAFF and year.status == AdmissionYear.Status.SETUP:
        no_plan = visible(School, user).filter(level__in=(School.Level.SENIOR, School.Level.VOCATIONAL)).exclude(admission_plans__year=year).count()
        out.append(HomeItem(_("本县(区)未设置招生计划的高中"), count=no_plan, url=home, link_label=_("去设置"), order=61))
    elif scope.role == Role.SCHOOL_ADMIN:
        run = published_run(year)
        if run is not None:
            out.append(HomeItem(_("本校录取"), kind=FIGURE, value=school_admissions(user=user, run=run).count(),
                                note=_("%(y)d 年录取结果已公布") % {"y": year.year}, url=home, order=61))
    return out


def _candidate(user, scope: Scope) -> list[HomeItem]:
    cand = visible(Candidate, user).filter(pk=scope.candidate_id).first()
    if cand is None:
        return []
    year = visible(AdmissionYear, user).filter(year=cand.year).first()
    prefs_url = reverse("admissions_preferences")
    if year is None or year.status == AdmissionYear.Status.SETUP:
        return [HomeItem(_("志愿填报"), kind=FIGURE, value=_("尚未开始"), note=_("填报开始后可在此填写志愿"), url=prefs_url, order=20)]
    run = published_run(year)
    rnd = visible(SupplementaryRound, user).filter(year=year).first()
    if rnd is not None and rnd.status == SupplementaryRound.Status.OPEN and may_take_part(rnd, cand):
        return [HomeItem(_("补录已开放，可填报补录志愿"), url=reverse("admissions_supplementary_mine"), link_label=_("去填报"), order=5)]
    if run is not None:
        adm = visible(Admission, user).filter(run=run, candidate=cand).select_related("program__school").first()
        if adm is not None and adm.program_id:
            value, note = adm.program.school.name, _("%(kind)s · 第 %(b)s 批第 %(r)s 志愿") % {
                "kind": adm.program.get_kind_display(), "b": adm.batch, "r": adm.choice_rank}
        else:
            value, note = _("未被录取"), _("可查看每个志愿未录取的原因")
        return [HomeItem(_("录取结果"), kind=FIGURE, value=value, note=note, url=reverse("admissions_result"), order=5)]
    n = visible(Preference, user).filter(year=year, candidate=cand).count()
    confirmed = visible(Confirmation, user).filter(year=year, candidate=cand).first()
    deadline = timezone.localtime(year.window_closes).strftime("%Y-%m-%d %H:%M") if year.window_closes else ""
    if year.window_is_open() and confirmed is None:
        label = (_("志愿尚未确认（已填 %(n)d 个），请在 %(d)s 前确认") if n else _("尚未填报志愿，请在 %(d)s 前填报并确认")) % {"n": n, "d": deadline}
        return [HomeItem(label, url=prefs_url, link_label=_("去填报") if not n else _("去确认"), order=5)]
    if confirmed is not None:
        note = _("共 %(n)d 个志愿，确认于 %(t)s") % {"n": n, "t": timezone.localtime(confirmed.confirmed_at).strftime("%Y-%m-%d %H:%M")}
        return [HomeItem(_("我的志愿"), kind=FIGURE, value=_("已确认"), note=note, url=reverse("admissions_receipt"), order=20)]
    return [HomeItem(_("我的志愿"), kind=FIGURE, value=_("未确认"), note=_("填报已截止；共 %(n)d 个志愿，录取结果公布后在此查看") % {"n": n},
                     url=prefs_url, order=20)]
