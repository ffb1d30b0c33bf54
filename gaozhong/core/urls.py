"""URLs of the foundation pages."""

from django.urls import path

from .views import audit, home, imports, jobs, records

urlpatterns = [
    path("", home.home, name="home"),
    path("schools/", records.school_list, name="school_list"),
    path("schools/<int:pk>/", records.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", records.school_edit, name="school_edit"),
    path("classes/", records.class_list, name="class_list"),
    path("classes/<int:pk>/", records.class_detail, name="class_detail"),
    path("students/", records.student_list, name="student_list"),
    path("students/<int:pk>/", records.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", records.student_edit, name="student_edit"),
    path("teachers/", records.teacher_list, name="teacher_list"),
    path("teachers/<int:pk>/", records.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/edit/", records.teacher_edit, name="teacher_edit"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<slug:kind>/", imports.import_upload, name="import_upload"),
    path("imports/<slug:kind>/template.xlsx", imports.import_template, name="import_template"),
    path("exports/<slug:kind>.xlsx", imports.export_xlsx, name="export_xlsx"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/stop/", jobs.job_stop, name="job_stop"),
    path("audit/", audit.audit_list, name="audit_list"),
]
