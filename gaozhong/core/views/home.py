"""The home page: key counts of the user's place and the class-size trend chart."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gaozhong.common.standards import CLASS_MAX
from gaozhong.core.selectors import class_size_trend, home_counts


@login_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"counts": home_counts(user=request.user), "chart": class_size_trend(user=request.user), "class_max": CLASS_MAX},
    )
