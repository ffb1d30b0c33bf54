"""Lists staff can work: one way to sort, search, filter, page and export a list page.

A list view declares its columns (:class:`Col`), the fields its search box looks in and its filters
(:class:`Filter`, each a select of labelled options, never a code to type), and hands its scoped queryset to
:meth:`Listing.run`. The result carries the page of rows, the header cells with their sort links, the filter
selects and the page links (numbers, first, last, a jump box, "共 N 条"). ``?export=xlsx`` on the same address
gives exactly the filtered, sorted rows, every one of them (no page, no cap), as an .xlsx workbook written by
the importer's writer (identifiers as text, formulas never run, ID numbers masked where the list says so), and
every export is audited: lists hold minors' personal data.

Query parameters: ``q`` (search), ``sort`` (a column key, ``-key`` descending), ``page``, one per filter, and
``export``. Unknown values are ignored (the list shows unfiltered), never an error page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from gaozhong.core.audit import audit_record
from gaozhong.core.scoping import scope_of
from gaozhong.importer.export import write_xlsx
from gaozhong.importer.spec import Column, TableSpec

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
#: Page links shown either side of the current page.
PAGE_WINDOW = 2
_LOOKUPS = {"exact", "iexact", "startswith", "istartswith", "icontains"}


@dataclass(frozen=True)
class Col:
    """One column: ``value(row)`` is the cell (text, int, Decimal/float, date); ``sort`` the ORM ordering
    expression (``None``: not sortable); ``link(row)`` an optional address for the cell on the page; ``kind`` the
    cell type in the export (``text``, ``identifier``, ``id_number``, ``integer``, ``decimal``, ``date``)."""

    key: str
    label: str
    value: Callable[[Any], Any]
    sort: str | None = None
    link: Callable[[Any], str | None] | None = None
    kind: str = "text"
    numeric: bool = False
    label_en: str = ""
    flag: Callable[[Any], str | None] | None = None  # a short marker shown after the cell on the page (e.g. 逾期)
    on_page: bool = True  # False: in the export only (the page shows it inside another column)
    css: str = ""  # extra class of the page's cells (e.g. "mono" for identifiers)
    code: bool = False  # the cell is data as stored (codes, values), shown in <code>


@dataclass(frozen=True)
class Filter:
    """A select over labelled options; ``apply(qs, value)`` narrows the queryset for a chosen option's value."""

    key: str
    label: str
    options: Callable[[Any], Iterable[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]
    all_label: str = "全部"
    #: the option chosen when the address names none (then offer an "all" option of your own); a callable gets the
    #: user (the newest published year, say)
    default: str | Callable[[Any], str] = ""


@dataclass
class Header:
    label: str
    url: str | None
    state: str  # "asc", "desc" or ""
    numeric: bool


@dataclass
class FilterState:
    key: str
    label: str
    all_label: str
    options: list[tuple[str, str]]
    value: str
    include_all: bool = True


@dataclass
class Cell:
    text: str
    link: str | None
    numeric: bool
    flag: str | None = None
    css: str = ""
    code: bool = False

    @property
    def classes(self) -> str:
        return " ".join(c for c in ("num" if self.numeric else "", self.css) if c)


@dataclass
class ListPage:
    """What a list template needs: ``page`` (rows of this page), ``rows`` (their cells), ``headers``,
    ``filters``, ``q``, ``total``, page links, and the export address."""

    page: Page
    rows: list[tuple[Any, list[Cell], str]]
    headers: list[Header]
    filters: list[FilterState]
    q: str
    searchable: bool
    total: int
    page_links: list[tuple[int | None, str]]
    export_url: str
    base_query: dict[str, str] = field(default_factory=dict)

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the search and filter form keeps as hidden inputs: the sort and the page's own parameters (a
        year, a run), not the search and filters it sets itself."""
        own = {"q", *(f.key for f in self.filters)}
        return [(k, v) for k, v in self.base_query.items() if k not in own]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _sort_key(value: Any) -> tuple:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, _text(value))


def page_links(page: Page, query: dict[str, str]) -> list[tuple[int | None, str]]:
    """The page numbers a pager shows (the first, the last, and ``PAGE_WINDOW`` either side of the current one),
    each with its address keeping ``query``; ``(None, "")`` marks a gap."""
    n, last = page.number, page.paginator.num_pages
    numbers = sorted({1, last, *range(max(1, n - PAGE_WINDOW), min(last, n + PAGE_WINDOW) + 1)})
    links: list[tuple[int | None, str]] = []
    for i, p in enumerate(numbers):
        if i and p != numbers[i - 1] + 1:
            links.append((None, ""))
        links.append((p, "?" + urlencode({**query, "page": str(p)})))
    return links


class Listing:
    """A list page's declaration; :meth:`run` applies a request to a queryset, or to a list computed in Python
    (then ``search`` names columns whose text is searched, ``sort`` of a sortable column is any true value, and
    each filter's ``apply`` takes and returns a list)."""

    def __init__(self, *, name: str, title: str, columns: Sequence[Col], default_sort: str, search: Sequence[str] = (),
                 filters: Sequence[Filter] = (), page_size: int = PAGE_SIZE, mask: Sequence[str] = (),
                 tiebreak: str = "pk", row_class: Callable[[Any], str] | None = None):
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{name}: a column key is repeated")
        if default_sort.lstrip("-") not in keys:
            raise ValueError(f"{name}: default sort {default_sort!r} is not a column")
        self.name, self.title, self.columns = name, title, list(columns)
        self.by_key = {c.key: c for c in columns}
        self.default_sort, self.search, self.filters = default_sort, list(search), list(filters)
        self.page_size, self.mask, self.tiebreak = page_size, tuple(mask), tiebreak
        self.row_class = row_class

    # -- applying a request ------------------------------------------------------------------------------------
    def _query(self, request: HttpRequest) -> dict[str, str]:
        return {k: v for k, v in request.GET.items() if k not in ("page", "export") and v != ""}

    def _sort(self, request: HttpRequest) -> tuple[str, bool]:
        raw = request.GET.get("sort") or self.default_sort
        key, desc = raw.lstrip("-"), raw.startswith("-")
        col = self.by_key.get(key)
        if col is None or col.sort is None:
            key, desc = self.default_sort.lstrip("-"), self.default_sort.startswith("-")
        return key, desc

    def filtered(self, request: HttpRequest, qs: QuerySet | list, *, user=None) -> tuple[QuerySet | list, list[FilterState], str, tuple[str, bool]]:
        user = user if user is not None else request.user
        states = []
        for f in self.filters:
            options = [(str(v), gettext(str(label))) for v, label in f.options(user)]
            value = request.GET.get(f.key, f.default(user) if callable(f.default) else f.default)
            if value and value in {v for v, _ in options}:
                qs = f.apply(qs, value)
            else:
                value = ""
            states.append(FilterState(f.key, gettext(f.label), gettext(f.all_label), options, value, include_all=not f.default))
        q = (request.GET.get("q") or "").strip()[:100]
        key, desc = self._sort(request)
        if isinstance(qs, list):  # a list computed in Python (an engine's result): same controls, done here
            if q and self.search:
                needle = q.casefold()
                qs = [row for row in qs if any(needle in _text(self.by_key[k].value(row)).casefold() for k in self.search)]
            col = self.by_key[key]
            present = [r for r in qs if col.value(r) not in (None, "")]
            missing = [r for r in qs if col.value(r) in (None, "")]
            return sorted(present, key=lambda r: _sort_key(col.value(r)), reverse=desc) + missing, states, q, (key, desc)
        if q and self.search:
            cond = Q()
            for lookup in self.search:
                cond |= Q(**{lookup if lookup.rsplit("__", 1)[-1] in _LOOKUPS else f"{lookup}__icontains": q})
            qs = qs.filter(cond)
        expr = self.by_key[key].sort
        order = [f"-{expr}" if desc else expr, self.tiebreak]
        return qs.order_by(*order), states, q, (key, desc)

    def run(self, request: HttpRequest, qs: QuerySet) -> ListPage:
        qs, states, q, (key, desc) = self.filtered(request, qs)
        page = Paginator(qs, self.page_size).get_page(request.GET.get("page"))
        base = self._query(request)

        def url(**changes: Any) -> str:
            params = {**base, **{k: str(v) for k, v in changes.items() if v is not None}}
            return "?" + urlencode(params)

        shown = [c for c in self.columns if c.on_page]
        headers = []
        for c in shown:
            label = gettext(c.label)  # declared in Chinese; English from the catalog when English is chosen
            if c.sort is None:
                headers.append(Header(label, None, "", c.numeric))
                continue
            state = ("desc" if desc else "asc") if c.key == key else ""
            nxt = c.key if state != "asc" else f"-{c.key}"
            headers.append(Header(label, url(sort=nxt), state, c.numeric))
        rows = [(obj, [Cell(_text(c.value(obj)), c.link(obj) if c.link else None, c.numeric, c.flag(obj) if c.flag else None, c.css, c.code)
                       for c in shown], self.row_class(obj) if self.row_class else "") for obj in page]
        links = page_links(page, base)
        return ListPage(page=page, rows=rows, headers=headers, filters=states, q=q, searchable=bool(self.search),
                        total=page.paginator.count, page_links=links, export_url=url(export="xlsx"), base_query=base)

    # -- export ---------------------------------------------------------------------------------------------------
    def spec(self) -> TableSpec:
        return TableSpec(name=self.name, title_zh=self.title, sheet_name=self.title[:31],
                         columns=tuple(Column(c.key, c.label, c.label_en or c.key, c.kind) for c in self.columns))

    def export(self, request: HttpRequest, qs: QuerySet, *, mask: Sequence[str] | None = None) -> HttpResponse:
        """Every filtered, sorted row as .xlsx, audited with the filters used and the row count."""
        qs, states, q, (key, desc) = self.filtered(request, qs)
        masked = self.mask if mask is None else tuple(mask)

        def cells(obj: Any) -> dict[str, Any]:
            out = {}
            for c in self.columns:
                v = c.value(obj)
                if c.kind == "decimal" and isinstance(v, float):
                    v = Decimal(str(round(v, 6)))
                elif c.kind in ("text", "identifier", "id_number") and v is not None and not isinstance(v, str):
                    v = _text(v)
                if c.kind in ("text", "identifier", "id_number") and v == "":
                    v = None
                out[c.key] = v
            return out

        buf = io.BytesIO()
        rows = qs if isinstance(qs, list) else qs.iterator(chunk_size=2000)
        n = write_xlsx(buf, self.spec(), (cells(o) for o in rows), mask=masked)
        scope = scope_of(request.user)
        audit_record(actor=request.user, action="core.list.exported", object_type=f"list.{self.name}", object_repr=f"{self.title}.xlsx",
                     county_id=scope.county_id, school_id=scope.school_id,
                     after={"list": self.name, "rows": n, "q": q, "sort": f"{'-' if desc else ''}{key}",
                            "filters": {s.key: s.value for s in states if s.value}, "masked": list(masked)})
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        stamp = dt.date.today().strftime("%Y%m%d")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.title)}-{stamp}.xlsx"
        return resp

    def respond(self, request: HttpRequest, qs: QuerySet, render_page: Callable[[ListPage], HttpResponse]) -> HttpResponse:
        """The list page, or its export when ``?export=xlsx``."""
        if request.GET.get("export") == "xlsx":
            return self.export(request, qs)
        return render_page(self.run(request, qs))
