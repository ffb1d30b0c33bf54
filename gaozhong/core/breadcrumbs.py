"""Breadcrumbs: where a staff page sits (首页 › 招生录取 › 录取运行 › 2026 年第 3 次), worked out in one place.

A page's parents come from its address: each shorter address that is a named page (``/admissions/runs/3/`` →
``/admissions/runs/`` → ``/admissions/``) is a parent, up to the menu entry the page belongs to (an entry of the
user's menu, ``NAV``) and 首页. Every page below the menu names itself once in its app's ``nav.py`` ``CRUMBS``
(the foundation's pages here, in :data:`CRUMBS`): a fixed label, or the name of the object it shows (:func:`of`),
taken from what the view gave its template or read within the user's scope. A page whose address does not say
its parent (a lesson's move page under its timetable) names the parent (``Crumb.parent``). A view may also give
its template ``crumb`` (the last label) itself. ``base.html`` shows the trail (``{% breadcrumbs %}``) for staff
and teachers on every page below the menu; menu pages, public pages and students' pages have none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .context import all_nav, app_declarations
from .masking import mask_ids
from .models import AdminClass, School, Student, Teacher
from .roles import CLASSROOM
from .scoping import scope_of, visible

#: ``label(user, context, kwargs)``: the page's name, or None when it cannot tell (then ``fallback``)
Label = Callable[[Any, Mapping[str, Any], dict], "str | None"]


@dataclass(frozen=True)
class Crumb:
    """How a page is named in a trail: ``label`` (text, or a :data:`Label`), ``fallback`` when the label
    function finds nothing, and ``parent`` (a URL name, with ``parent_kwargs(user, context, kwargs)``) when the
    address does not say which page is above it."""

    label: Any
    fallback: Any = ""
    parent: str | None = None
    parent_kwargs: Callable[[Any, Mapping[str, Any], dict], dict | None] | None = None

    def text(self, user, context: Mapping[str, Any], kwargs: dict) -> str:
        if callable(self.label):
            got = self.label(user, context, kwargs)
            return str(got if got else self.fallback)
        return str(self.label)


def _find(model, user, context: Mapping[str, Any], field: str, value):
    """The ``model`` object whose ``field`` is ``value``: the one the view gave its template, else read within the
    user's scope (None when the user may not see it)."""
    for v in context.values():
        if isinstance(v, model) and str(getattr(v, field)) == str(value):
            return v
    return visible(model, user).filter(**{field: value}).first()


def of(model, text: Callable[[Any], str] = lambda o: o.name, *, fallback, key: str = "pk", field: str = "pk",
       parent: str | None = None, parent_kwargs=None) -> Crumb:
    """A page showing one ``model`` object (the URL's ``key``), named by ``text(obj)``."""
    def label(user, context, kwargs):
        obj = _find(model, user, context, field, kwargs.get(key))
        return text(obj) if obj is not None else None
    return Crumb(label, fallback=fallback, parent=parent, parent_kwargs=parent_kwargs)


def under(model, to_pk: Callable[[Any], Any], *, key: str = "pk") -> Callable:
    """``parent_kwargs`` for a page under another object: the page's ``model`` object (URL ``key``) leads to the
    parent page's ``pk`` by ``to_pk(obj)``."""
    def kwargs_of(user, context, kwargs):
        obj = _find(model, user, context, "pk", kwargs.get(key))
        return {"pk": to_pk(obj)} if obj is not None else None
    return kwargs_of


def import_title(user, context, kwargs):
    """An import page: 导入 and the table's name (the ``spec`` the view gave its template)."""
    spec = context.get("spec")
    return f"{_('导入')}{spec.title_zh}" if spec is not None and getattr(spec, "title_zh", None) else None


def from_context(key: str) -> Label:
    """A label the view gave its template under ``key`` (a run's "2026 年第 3 次")."""
    def label(user, context, kwargs):
        value = context.get(key)
        return str(value) if value else None
    return label


def _job_title(user, context, kwargs):
    job = context.get("job")
    return job.title if job is not None and str(job.pk) == str(kwargs.get("pk")) else None


#: the foundation's pages below the menu
CRUMBS: dict[str, Crumb] = {
    "school_detail": of(School, fallback=_("学校详情")),
    "school_edit": Crumb(_("编辑")),
    "class_detail": of(AdminClass, lambda c: f"{c.school.name} {c.name}", fallback=_("班级详情")),
    "student_detail": of(Student, fallback=_("学生详情")),
    "student_edit": Crumb(_("编辑")),
    "teacher_detail": of(Teacher, fallback=_("教师详情")),
    "teacher_edit": Crumb(_("编辑")),
    "import_upload": Crumb(import_title, fallback=_("导入")),
    "job_detail": Crumb(_job_title, fallback=_("任务详情")),
    "password_change": Crumb(_("修改密码")),
}


@cache
def crumbs() -> dict[str, Crumb]:
    """Every page's crumb: the foundation's and each installed app's ``nav.py`` ``CRUMBS``."""
    out = dict(CRUMBS)
    for declared in app_declarations("CRUMBS"):
        out.update(declared)
    return out


def _menu(user) -> dict[str, str]:
    """The menu entries the user sees: URL name → label (the sections a trail climbs to)."""
    mine = scope_of(user).audiences
    return {name: str(label) for name, label, roles in all_nav() if mine & set(roles)}


def _parent_by_address(path: str, known: Callable[[str], bool]):
    """The nearest shorter address that is a named page: (URL name, kwargs, address), or None above the site."""
    parts = [p for p in path.strip("/").split("/") if p]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        try:
            m = resolve(candidate)
        except Resolver404:
            continue
        if m.url_name == "home" or known(m.url_name):
            return m.url_name, m.kwargs, candidate
    return None


def trail(request, context: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The breadcrumbs of the page being rendered: (label, address) from 首页 to the page itself (address None);
    empty for menu pages, pages without a signed-in staff member or teacher, and pages no crumb names."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if match is None or user is None or not user.is_authenticated or scope_of(user).role not in CLASSROOM:
        return []
    menu, known = _menu(user), crumbs()
    name, kwargs, path = match.url_name, dict(match.kwargs), request.path
    if name == "home" or name in menu:
        return []
    if context.get("crumb"):
        here = str(context["crumb"])
    elif name in known:
        here = known[name].text(user, context, kwargs)
    else:
        return []
    out: list[tuple[str, str | None]] = [(mask_ids(here), None)]
    seen = {name}
    for _step in range(10):
        crumb = known.get(name)
        parent = None
        if crumb is not None and crumb.parent:
            pk = crumb.parent_kwargs(user, context, kwargs) if crumb.parent_kwargs else {}
            try:
                parent = (crumb.parent, pk, reverse(crumb.parent, kwargs=pk)) if pk is not None else None
            except NoReverseMatch:
                parent = None
        if parent is None:
            parent = _parent_by_address(path, lambda n: n in known or n in menu)
        if parent is None or parent[0] == "home" or parent[0] in seen:
            break
        name, kwargs, path = parent
        seen.add(name)
        label = menu[name] if name in menu else known[name].text(user, context, kwargs)
        out.append((mask_ids(label), path))
        if name in menu:
            break
    out.append((pgettext("nav", "首页"), reverse("home")))
    return out[::-1]
