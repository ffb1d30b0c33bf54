"""URLs of the evaluation pages."""

from django.urls import path

from .views import pages

urlpatterns = [
    path("", pages.overview, name="evaluation_overview"),
    path("runs/new/", pages.run_create, name="evaluation_run_create"),
    path("runs/<int:pk>/effects.xlsx", pages.run_export, name="evaluation_run_export"),
    path("schools/<int:pk>/", pages.school, name="evaluation_school"),
    path("method/", pages.method, name="evaluation_method"),
]
