"""``{% breadcrumbs %}``: the page's trail from 首页 (gaozhong.core.breadcrumbs), rendered once in base.html."""

from __future__ import annotations

from django import template

from gaozhong.core.breadcrumbs import trail

register = template.Library()


@register.inclusion_tag("core/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context.get("request")
    return {"crumbs": trail(request, context.flatten()) if request is not None else []}
