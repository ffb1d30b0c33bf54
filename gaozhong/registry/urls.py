"""URLs of the registry pages."""

from django.urls import path

from .views import imports, pages

urlpatterns = [
    path("", pages.worklist, name="registry_worklist"),
    path("checks/new/", pages.check_run, name="registry_check_run"),
    path("anomalies/<int:pk>/", pages.anomaly, name="registry_anomaly"),
    path("checks/<int:pk>/out.csv", pages.check_export, name="registry_check_export"),
    path("imports/<slug:kind>/", imports.upload, name="registry_import"),
    path("imports/<slug:kind>/template.xlsx", imports.template, name="registry_import_template"),
]
