"""URLs of the evaluation pages."""

from django.urls import path

from .views import imports, pages

urlpatterns = [
    path("", pages.overview, name="evaluation_overview"),
    path("runs/new/", pages.run_create, name="evaluation_run_create"),
    path("runs/<int:pk>/effects.xlsx", pages.run_export, name="evaluation_run_export"),
    path("schools/<int:pk>/", pages.school, name="evaluation_school"),
    path("method/", pages.method, name="evaluation_method"),
    path("runs/<int:pk>/result.json", pages.run_json, name="evaluation_run_json"),
    path("imports/value-added/", imports.dataset_upload, name="evaluation_dataset_import"),
    path("imports/<slug:kind>/", imports.upload, name="evaluation_import"),
    path("imports/<slug:kind>/template.xlsx", imports.template, name="evaluation_import_template"),
]
