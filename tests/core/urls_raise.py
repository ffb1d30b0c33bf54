"""The site's URLs plus one view that raises, for the 500 page test (tests/core/test_homes.py)."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("a failing view")


urlpatterns = [path("raise/", boom), path("", include("gaozhong.site.urls"))]
