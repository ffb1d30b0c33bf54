"""URLs of the registry pages."""

from django.urls import path

from .views import pages

urlpatterns = [
    path("", pages.worklist, name="registry_worklist"),
    path("checks/new/", pages.check_run, name="registry_check_run"),
    path("anomalies/<int:pk>/", pages.anomaly, name="registry_anomaly"),
]
