"""Browsing the audit trail (city admins): each action by its Chinese name, searched by who or what, filtered by
action, county and period, sorted, paged and exported as the other lists are (gaozhong.core.listing). Read only."""

from __future__ import annotations

import datetime as dt
import json

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from gaozhong.core.actionnames import action_name, choices
from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.masking import mask_ids
from gaozhong.core.models import AuditEvent, County, Role
from gaozhong.core.scoping import require_role, visible

PERIODS = {"1": ("今天", 0), "7": ("近 7 天", 6), "30": ("近 30 天", 29), "365": ("近一年", 364)}


#: Names of the keys that audit records of imports, exports and jobs share; a model's own fields are named by
#: the model (its verbose names).
KEY_NAMES = {
    "rows": "行数", "created": "新增", "updated": "更新", "unchanged": "未变", "changed": "变更", "kind": "类型",
    "params": "参数", "file": "文件", "filename": "文件名", "size": "大小", "sha256": "校验值", "list": "列表",
    "q": "搜索", "sort": "排序", "filters": "筛选", "masked": "脱敏列", "id_numbers": "身份证号", "count": "数量",
    "reason": "原因", "status": "状态", "year": "年度", "ids": "编号", "diffs": "修改内容", "total": "合计",
    "id_number": "身份证号", "student_no": "学籍号", "staff_no": "教职工号", "name": "姓名", "gender": "性别",
    "birth_date": "出生日期", "school": "学校", "county": "县(区)",
}


def _key_name(key: str, model) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:  # a key that is not a field of the model
            pass
    return KEY_NAMES.get(key, key)


def _value(key: str, value, model) -> str:
    """A stored value as people read it: a choice by its label, nothing as 空."""
    if value is None or value == "":
        return "空"
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except Exception:  # not a field of the model
            field = None
        if field is not None and getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _changes(value, model=None) -> str:
    """A before/after record as people read it: ``字段：值；…``, fields by their Chinese names and choices by
    their labels; what has no name (a code, a count by kind) is shown as stored, in code style on the page."""
    if value in (None, "", {}, []):
        return ""
    if isinstance(value, dict):
        return "；".join(f"{_key_name(str(k), model)}：{_changes(v, model) if isinstance(v, (dict, list)) else _value(str(k), v, model)}"
                        for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_changes(v, model) if isinstance(v, (dict, list)) else str(v) for v in value)
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _model(event):
    try:
        return apps.get_model(event.object_type) if event.object_type.count(".") == 1 else None
    except (LookupError, ValueError):
        return None


def _since(qs, value):
    days = PERIODS[value][1]
    start = timezone.localdate() - dt.timedelta(days=days)
    return qs.filter(at__date__gte=start)


AUDIT = Listing(
    name="audit", title="审计日志", default_sort="-at", search=("actor_label", "object_repr", "object_id__exact"),
    columns=[
        Col("at", "时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), sort="at", css="nowrap"),
        Col("actor", "操作人", lambda e: gettext("系统") if e.actor_id is None and e.actor_label == "system" else e.actor_label,
            sort="actor_label"),
        Col("action", "操作", lambda e: action_name(e.action), sort="action", css="nowrap"),
        Col("object", "对象", lambda e: mask_ids(e.object_repr or e.object_id)),
        Col("county", "县(区)", lambda e: e.county.name if e.county else "", sort="county__code"),
        Col("school", "学校", lambda e: e.school.name if e.school else ""),
        Col("before", "修改前", lambda e: mask_ids(_changes(e.before, _model(e))), code=True),
        Col("after", "修改后", lambda e: mask_ids(_changes(e.after, _model(e))), code=True),
    ],
    filters=[
        Filter("action", "操作", lambda user: choices(), lambda qs, v: qs.filter(action=v)),
        Filter("county", "县(区)", lambda user: [(c.code, c.name) for c in visible(County, user).order_by("code")],
               lambda qs, v: qs.filter(county__code=v)),
        Filter("period", "时间", lambda user: [(k, label) for k, (label, _) in PERIODS.items()], _since, all_label="全部"),
    ],
)


@login_required
def audit_list(request):
    require_role(request.user, Role.CITY_ADMIN)
    qs = visible(AuditEvent, request.user).select_related("county", "school")
    return AUDIT.respond(request, qs, lambda listing: render(request, "core/audit_list.html", {"l": listing}))
