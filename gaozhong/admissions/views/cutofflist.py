"""The public 录取分数线 as a list families can work on a phone: searched (学校 or 初中 by name), filtered by 县(区)
and 批次, sorted by any column, paged, all on the server, so a phone downloads one page of programs, never the
city's whole table. On a phone each program is a card under its school's heading; on a desktop the same markup
is a sortable table (site.css ``table.cards``).

The rows are the publication's (computed when the bureau approved the run); what a process renders from them is
kept per (publication version, language, query), a few hundred pages at most, so the page stays one indexed read
on results day whatever families search for.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy as _

from gaozhong.admissions.models import Program
from gaozhong.admissions.selectors import publication_cutoffs
from gaozhong.core.listing import Col, Filter, Listing

PAGE_SIZE = 40
#: Rendered pages kept per process (cleared when full): the unfiltered pages and the common filters stay.
KEEP = 256


def _score(text) -> Decimal | None:
    try:
        return Decimal(text) if text not in (None, "") else None
    except InvalidOperation:
        return None


def _rows(pub) -> list[dict]:
    """The publication's cutoff rows with their school and county, in the page's default order (school, round,
    batch, program). A publication written before rows carried their school is read from the program's name."""
    rows = []
    for r in publication_cutoffs(pub):
        r = dict(r)
        if "school" not in r:
            school, _sep, detail = str(r["program"]).partition(" ")
            r.update(school=school, detail=detail or r["program"], county="", code="", school_code=school, county_code="")
        rows.append(r)
    rows.sort(key=lambda r: (r.get("school_code") or r["school"], r.get("round", 1), r["batch"], r.get("code") or r["program"]))
    for i, r in enumerate(rows):
        r["order"] = i
    return rows


def _batch_label(rows: list[dict], batch: int) -> str:
    """``第 2 批（指标到校）``: the batch and the kinds of program in it."""
    kinds = [k for k in Program.Kind.values if any(r["batch"] == batch and r.get("kind") == k for r in rows)]
    label = gettext("第 %(n)s 批") % {"n": batch}
    return f"{label}（{'、'.join(gettext(Program.Kind(k).label) for k in kinds)}）" if kinds else label


def _listing(rows: list[dict]) -> Listing:
    counties = sorted({(r.get("county_code") or "", r["county"]) for r in rows if r["county"]})
    batches = sorted({r["batch"] for r in rows})
    columns = []
    if any("round" in r for r in rows):
        columns.append(Col("round", _("轮次"), lambda r: gettext("补录") if r.get("round") == 2 else gettext("第一轮")))
    columns += [
        Col("order", _("顺序"), lambda r: r["order"], sort=True, on_page=False),
        Col("school", _("学校"), lambda r: r["school"], sort=True),
        Col("detail", _("招生类别"), lambda r: r["detail"], sort=True),
        Col("county", _("县(区)"), lambda r: r["county"], sort=True),
        Col("batch", _("批次"), lambda r: r["batch"], sort=True, numeric=True),
        Col("capacity", _("计划(含转入)"), lambda r: r["capacity"], sort=True, numeric=True),
        Col("admitted", _("录取"), lambda r: r["admitted"], sort=True, numeric=True),
        Col("cutoff", _("最低录取分"), lambda r: _score(r["cutoff_score"]), sort=True, numeric=True),
        Col("last", _("末位志愿"), lambda r: r["last_choice_rank"], sort=True, numeric=True),
        Col("tiebreak", _("同分比较"), lambda r: r["last_tiebreak"]),
    ]
    filters = []
    if counties:
        filters.append(Filter("county", _("县(区)"), lambda user: [(code or name, name) for code, name in counties],
                              lambda rs, v: [r for r in rs if (r.get("county_code") or r["county"]) == v], all_label=_("全部")))
    if len(batches) > 1:
        filters.append(Filter("batch", _("批次"), lambda user: [(str(b), _batch_label(rows, b)) for b in batches],
                              lambda rs, v: [r for r in rs if str(r["batch"]) == v], all_label=_("全部")))
    return Listing(name="cutoffs", title="录取分数线", columns=columns, default_sort="order", search=("school", "detail", "county"),
                   filters=filters, page_size=PAGE_SIZE)


_lists: dict[str, tuple[list[dict], Listing]] = {}
_pages: dict[tuple, str] = {}


def cutoff_page(request: HttpRequest, pub) -> str:
    """The filter form, the page of programs and the pager of ``request``'s query, rendered once per
    (publication version, language, query) in this process."""
    query = tuple(sorted((k, v) for k, v in request.GET.items() if v != ""))
    key = (pub.version, request.LANGUAGE_CODE, query)
    html = _pages.get(key)
    if html is not None:
        return html
    found = _lists.get(pub.version)
    if found is None:
        rows = _rows(pub)
        found = (rows, _listing(rows))
        _lists.clear()  # one publication at a time is current
        _lists[pub.version] = found
    rows, listing = found
    page = listing.run(request, rows)
    sort = (request.GET.get("sort") or "order").lstrip("-")
    sorted_by_school = sort in ("order", "school") or sort not in {c.key for c in listing.columns if c.sort}
    html = render_to_string("admissions/cutoff_table.html", {
        "l": page, "grouped": sorted_by_school, "rounds": any("round" in r for r in rows),
        "filtered": bool(page.q or any(f.value for f in page.filters)), "all": len(rows),
    }, request=None)
    if len(_pages) >= KEEP:
        _pages.clear()
    _pages[key] = html
    return html
