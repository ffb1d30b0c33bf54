"""The 通报 (dated progress report) for the city or one county: content, HTML and PDF.

Content (Rule: 000 §四(五), 001 §四(四), 002 §四(三), 003 §四(五), 004 §9 — 定期督查、进度通报、对推进不力单位问责):
summary, every indicator's value, target, status and projection, charts, league of units, the units falling
behind with the indicators that put them there, and the ledger's overdue tasks. The same chart series feed
ECharts on the web pages (:func:`chart_data`) and the SVG images of the report file (:func:`svg_charts`), which
WeasyPrint turns into PDF with the Noto CJK fonts.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from gaozhong.common.standards import CLASS_LARGE_MAX, CLASS_MAX, STUDENTS_PER_TEACHER
from gaozhong.core.models import County

from .engine.compliance import STATUS_LABELS, STATUS_ORDER
from .engine.svgchart import Series, bar_chart, line_chart
from .models import Task
from .selectors import Pack, Unit, build_pack, county_unit

STATUS_COLORS = {"met": "#2e7d4f", "on_track": "#1d5fa8", "not_met": "#e8a33d", "at_risk": "#d9822b", "missed": "#b3261e",
                 "no_target": "#9aa5b1", "no_data": "#cbd2d9"}


def report_units(pack: Pack, county: County | None) -> tuple[Unit, list[Unit]]:
    """The unit reported on and the units below it that the report compares."""
    if county is None:
        return pack.city, pack.counties
    top = county_unit(county)
    return top, [s for s in pack.schools if s.county_id == county.pk]


def chart_data(pack: Pack, top: Unit, members: list[Unit], year: int) -> dict:
    """The series of the report's charts, for ECharts (web) and SVG (file)."""
    labels = [f"{y}-{y + 1}" for y in pack.years if y <= year]
    ys = [y for y in pack.years if y <= year]
    bands = {"ok": [], "large": [], "huge": []}
    for y in ys:
        row = pack.row(top, y) or {}
        bands["ok"].append(row.get("classes_le55", 0))
        bands["large"].append(row.get("classes_56_65", 0))
        bands["huge"].append(row.get("classes_ge66", 0))
    share = {"labels": [], "values": []}
    for row, unit in pack.overall(members, year):
        share["labels"].append(unit.name)
        share["values"].append(round(row.share, 1))
    ratio = {"labels": [], "values": [], "target": float(STUDENTS_PER_TEACHER)}
    ss = pack.indicator_by_code.get("SS-01")
    if ss is not None:
        v = ss.version_for(year)
        ratio["target"] = float(v.target) if v and v.target is not None else None
        for u in members:
            r = pack.indicator_row(ss, u, year)
            if r is not None and r.evaluation.value is not None:
                ratio["labels"].append(u.name)
                ratio["values"].append(round(r.evaluation.value, 2))
    trend = {"labels": labels, "values": [], "target": None, "projection": None, "name": ""}
    be = pack.indicator_by_code.get("BE-01")
    if be is not None:
        r = pack.indicator_row(be, top, year)
        trend["name"] = be.version_for(year).name_zh
        if r is not None:
            trend["values"] = [None if r.series.get(y) is None else round(r.series[y], 1) for y in ys]
            trend["target"] = float(r.version.target) if r.version.target is not None else None
            p = r.assessment.projection
            if p is not None:
                trend["projection"] = {"from_year": year, "from": round(p.at(year), 1), "to_year": p.to_year, "to": round(p.value, 1)}
    return {"class_bands": {"labels": labels, **bands}, "share_met": share, "ratio": ratio, "trend": trend}


def svg_charts(data: dict) -> list[dict]:
    """The report's charts as SVG text with their captions."""
    cb = data["class_bands"]
    out = [{
        "title": "图 1  普通高中班额分布（按学年）",
        "svg": bar_chart("", cb["labels"], [Series(f"≤{CLASS_MAX}人", cb["ok"], "#1d5fa8"), Series(f"{CLASS_MAX + 1}–{CLASS_LARGE_MAX}人 大班额", cb["large"], "#e8a33d"),
                                            Series(f"≥{CLASS_LARGE_MAX + 1}人 超大班额", cb["huge"], "#b3261e")], stacked=True, unit="班级数"),
    }]
    tr = data["trend"]
    if tr["values"]:
        proj = None
        if tr["projection"]:
            i0 = tr["labels"].index(f"{tr['projection']['from_year']}-{tr['projection']['from_year'] + 1}")
            i1 = i0 + (tr["projection"]["to_year"] - tr["projection"]["from_year"])
            proj = (i0, tr["projection"]["from"], i1, tr["projection"]["to"])
        out.append({"title": f"图 2  {tr['name']}趋势" + ("与预测" if proj else ""),
                    "svg": line_chart("", tr["labels"], [Series(tr["name"], tr["values"], "#1d5fa8")], target=tr["target"], projection=proj, unit="%")})
    sm = data["share_met"]
    if sm["labels"]:
        out.append({"title": f"图 {len(out) + 1}  各单位指标达标比例",
                    "svg": bar_chart("", sm["labels"], [Series("达标指标占比", sm["values"], "#2e7d4f")], unit="%", target=100, target_label="全部达标")})
    ra = data["ratio"]
    if ra["labels"]:
        out.append({"title": f"图 {len(out) + 1}  各单位生师比（学生数/专任教师数）",
                    "svg": bar_chart("", ra["labels"], [Series("生师比", ra["values"], "#7b5ea7")], unit="人/师", target=ra["target"], target_label="上限")})
    for c in out:
        c["data_uri"] = "data:image/svg+xml;base64," + base64.b64encode(c["svg"].encode("utf-8")).decode("ascii")
    return out


def build_report(*, year: int, county: County | None, today: dt.date | None = None, pack: Pack | None = None) -> dict:
    """Everything the 通报 says, for ``year`` and the city (``county`` None) or one county."""
    pack = pack or build_pack()
    today = today or timezone.localdate()
    top, members = report_units(pack, county)
    rows = pack.unit_rows(top, year)
    counts = pack.status_counts(rows)
    judged = sum(counts[s] for s in ("met", "on_track", "at_risk", "not_met", "missed"))
    scope_units = [top, *members] if county is not None else [*pack.counties, *pack.schools]
    laggard_units = members if county is not None else [*pack.counties, *pack.schools]
    laggards = pack.laggards(laggard_units, year)
    tasks = Task.objects.exclude(status=Task.Status.CLOSED).filter(due_date__lt=today).select_related("county", "school", "indicator")
    if county is not None:
        tasks = tasks.filter(county=county)
    overdue = [{"task": t, "days": (today - t.due_date).days} for t in tasks.order_by("due_date", "pk")]
    data = chart_data(pack, top, members, year)
    row_prev = {r.indicator.code: r.series.get(year - 1) for r in rows}
    table = []
    for r in sorted(rows, key=lambda r: (r.indicator.order, r.indicator.code)):
        table.append({"row": r, "previous": row_prev.get(r.indicator.code)})
    league = pack.overall(members, year)
    return {
        "title": f"{top.name}普通高中发展督导通报" if county is None else f"{top.name}普通高中发展督导通报",
        "place": top.name, "year": year, "year_label": f"{year}-{year + 1} 学年", "today": today, "top": top,
        "rows": table, "counts": counts, "judged": judged, "status_labels": STATUS_LABELS, "status_order": STATUS_ORDER,
        "laggards": laggards, "overdue": overdue, "league": league, "chart_data": data, "charts": svg_charts(data),
        "member_label": "学校" if county is not None else "县(区)", "scope_units": len(scope_units),
        "headline": _headline(pack, top, year), "status_colors": STATUS_COLORS,
        "tiles": [(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER],
    }


def _headline(pack: Pack, top: Unit, year: int) -> list[str]:
    """Three sentences with the year's key figures."""
    out = []
    row = pack.row(top, year) or {}
    if row.get("classes_total"):
        large = int(row.get("classes_56_65", 0) + row.get("classes_ge66", 0))
        out.append(f"{top.name}普通高中行政班 {int(row['classes_total'])} 个，班额超过 {CLASS_MAX} 人的 {large} 个，"
                   f"其中 {CLASS_LARGE_MAX + 1} 人及以上超大班额 {int(row.get('classes_ge66', 0))} 个。")
    if row.get("teachers_fulltime"):
        out.append(f"在籍学生 {int(row.get('students_enrolled', 0))} 人，专任教师 {int(row['teachers_fulltime'])} 人，"
                   f"生师比 {row.get('students_enrolled', 0) / row['teachers_fulltime']:.2f}（目标不高于 {float(STUDENTS_PER_TEACHER)}）。")
    return out


def render_html(ctx: dict) -> str:
    return render_to_string("supervision/report_document.html", ctx)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render(*, year: int, county: County | None, fmt: str, today: dt.date | None = None) -> bytes:
    ctx = build_report(year=year, county=county, today=today)
    html = render_html(ctx)
    return render_pdf(html) if fmt == "pdf" else html.encode("utf-8")


__all__ = ["build_report", "render", "render_html", "render_pdf", "chart_data", "svg_charts", "report_units"]
