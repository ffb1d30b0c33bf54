"""The home page (首页): each role's 待办, key figures and ways in; the bureaus also get their place's counts and
the class-size trend chart."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gaozhong.common.standards import CLASS_MAX
from gaozhong.core.home import home_page
from gaozhong.core.roles import BUREAU
from gaozhong.core.scoping import scope_of
from gaozhong.core.selectors import class_size_trend, current_year, home_counts


@login_required
def home(request):
    scope = scope_of(request.user)
    ctx = {"home": home_page(user=request.user, scope=scope), "year": current_year(), "class_max": CLASS_MAX}
    if scope.role in BUREAU:
        ctx.update(counts=home_counts(user=request.user), chart=class_size_trend(user=request.user))
    return render(request, "core/home.html", ctx)
