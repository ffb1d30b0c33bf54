"""The one place that decides which rows a user may see and change.

Every view, report, export and API reads through :func:`visible` (a queryset of the rows the user may see) and
fetches one object with :func:`get_visible_or_404`; writes ask :func:`can_write`. To a user outside an
object's place, its id does not exist (404); a user who may see but not change it gets 403.

Rules (seed 002 §三(一) and the bureau's least-privilege rule for minors' data):
- 市教育局管理员 (city admin): everything in the city.
- 县(区)教育局 staff: rows whose county is theirs.
- 学校教务 (school admin): rows of their school.
- 教师 (teacher): rows of the admin classes they teach, and their own records; read only.
- 学生/家长: their own record (a senior student's, or a 中考 candidate's); read only, except their own
  admission preferences while the window is open (result lookup is a separate, rate-limited page).
- Published information (admission plans and programs) declares ``everyone=True``: any signed-in role reads it.
A model says where it lives through ``scope_paths`` (see ``models/scope.py``); a model with no path for a
role shows that role nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Role, TeachingAssignment
from .roles import CANDIDATE, SENIOR_STUDENT, STAFF

__all__ = ["Scope", "scope_of", "visible", "get_visible_or_404", "can_write", "get_writable_or_403", "require_role", "may_take_full_ids"]


@dataclass(frozen=True)
class Scope:
    role: str | None
    county_id: int | None = None
    school_id: int | None = None
    teacher_id: int | None = None
    student_id: int | None = None
    candidate_id: int | None = None

    @cached_property
    def class_ids(self) -> tuple[int, ...]:
        if self.teacher_id is None:
            return ()
        return tuple(TeachingAssignment.objects.filter(teacher_id=self.teacher_id).values_list("admin_class_id", flat=True).distinct())

    @property
    def is_city(self) -> bool:
        return self.role == Role.CITY_ADMIN

    @property
    def audiences(self) -> frozenset[str]:
        """The role, and for a 学生/家长 account ``SENIOR_STUDENT`` and/or ``CANDIDATE`` (what it is tied to)."""
        if self.role is None:
            return frozenset()
        out = {self.role}
        if self.role == Role.STUDENT:
            if self.student_id is not None:
                out.add(SENIOR_STUDENT)
            if self.candidate_id is not None:
                out.add(CANDIDATE)
        return frozenset(out)

    @property
    def label(self) -> str:
        return dict(Role.choices).get(self.role or "", "无角色")


NO_SCOPE = Scope(role=None)


def scope_of(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_gaozhong_scope", None)
    if cached is not None:
        return cached
    try:
        m: Membership = user.membership
    except Membership.DoesNotExist:
        scope = NO_SCOPE
    else:
        school_county = m.school.county_id if m.school_id else None
        scope = Scope(
            role=m.role,
            county_id=m.county_id or school_county,
            school_id=m.school_id,
            teacher_id=m.teacher_id,
            student_id=m.student_id,
            candidate_id=m.candidate_id,
        )
    user._gaozhong_scope = scope
    return scope


def _filter_for(model: type[models.Model], scope: Scope) -> Q | None:
    """The filter that limits ``model`` to ``scope``; ``None`` means no rows at all."""
    paths = getattr(model, "scope_paths", None)
    if paths is None:
        raise TypeError(f"{model.__name__} declares no scope_paths; the scoping layer cannot serve it")
    role = scope.role
    if role == Role.CITY_ADMIN or (paths.everyone and role is not None):
        return Q()
    if role == Role.COUNTY_STAFF:
        return Q(**{paths.county: scope.county_id}) if paths.county else None
    if role == Role.SCHOOL_ADMIN:
        return Q(**{paths.school: scope.school_id}) if paths.school else None
    if role == Role.TEACHER:
        q = None
        if paths.admin_class:
            q = Q(**{f"{paths.admin_class}__in": scope.class_ids})
        if paths.teacher:
            own = Q(**{paths.teacher: scope.teacher_id})
            q = own if q is None else (q | own)
        return q
    if role == Role.STUDENT:
        q = None
        if paths.student and scope.student_id is not None:
            q = Q(**{paths.student: scope.student_id})
        if paths.candidate and scope.candidate_id is not None:
            own = Q(**{paths.candidate: scope.candidate_id})
            q = own if q is None else (q | own)
        return q
    return None


def _is_multi_valued(model: type[models.Model], path: str) -> bool:
    """Whether a lookup path crosses a reverse foreign key or a many-to-many (so a filter can repeat rows)."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except Exception:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def visible(model_or_qs: type[models.Model] | QuerySet, user) -> QuerySet:
    """The rows of a model (or of a queryset) that ``user`` may see."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    q = _filter_for(qs.model, scope_of(user))
    if q is None:
        return qs.none()
    if not q:
        return qs
    filtered = qs.filter(q)
    # A path through a reverse relation (a school through its teachers, a run through its effects) repeats rows.
    paths = qs.model.scope_paths
    if any(p and _is_multi_valued(qs.model, p) for p in (paths.county, paths.school, paths.admin_class, paths.teacher, paths.student, paths.candidate)):
        filtered = filtered.distinct()
    return filtered


def get_visible_or_404(model_or_qs, user, **lookup):
    """One object the user may see, else 404: another place's ids do not exist for this user."""
    try:
        return visible(model_or_qs, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError):
        raise Http404("不存在或无权查看 (not found)") from None


WRITE_ROLES = STAFF


def can_write(user, obj: models.Model) -> bool:
    """Whether ``user`` may change ``obj``: admins of the object's place; teachers, students and parents never."""
    scope = scope_of(user)
    if scope.role not in WRITE_ROLES:
        return False
    return visible(type(obj), user).filter(pk=obj.pk).exists()


def get_writable_or_403(model_or_qs, user, **lookup):
    """The object if the user may change it; 404 if they may not even see it; 403 if they may only see it."""
    obj = get_visible_or_404(model_or_qs, user, **lookup)
    if not can_write(user, obj):
        raise PermissionDenied("无修改权限 (you may view but not change this)")
    return obj


def require_role(user, *roles: str) -> Scope:
    """The user's scope if their role is one of ``roles``; else 403."""
    scope = scope_of(user)
    if scope.role not in roles:
        raise PermissionDenied("当前角色无权执行此操作 (your role may not do this)")
    return scope


def may_take_full_ids(user) -> bool:
    """Whether ``user`` may take the full 身份证号 (and a 学籍号 that embeds one) of the people in their scope out of
    the platform: the bureaus and a school's 教务 (``STAFF``), only in an export they ask for in full (``full=1``),
    which is audited. No page shows a full number to anyone (docs/personal_data.md)."""
    return scope_of(user).role in STAFF
