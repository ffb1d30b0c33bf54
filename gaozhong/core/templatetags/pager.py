"""``{% pager_state page as l %}``: what the lists' pager (core/_listing_pager.html) needs, for a list paged
with Django's paginator outside the listing layer: the count, the page numbers with first, last and gaps, and the
page's own query kept on every link and in the jump box."""

from __future__ import annotations

from django import template

from gaozhong.core.listing import page_links

register = template.Library()


@register.simple_tag(takes_context=True)
def pager_state(context, page) -> dict:
    request = context.get("request")
    query = {k: v for k, v in request.GET.items() if k not in ("page", "export") and v != ""} if request is not None else {}
    return {"page": page, "total": page.paginator.count, "page_links": page_links(page, query), "base_query": query}
