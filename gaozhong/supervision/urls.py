"""URLs of gaozhong.supervision's pages and its JSON API (mounted at ``supervision/api/``).

Names are prefixed ``sup_`` (no namespace, so the foundation's scoping walker reverses them by name).
"""

from django.urls import path

from . import api
from .views import catalog, compliance, intake, ledger, reports, tokens

urlpatterns = [
    path("", compliance.dashboard, name="sup_dashboard"),
    path("schools/<int:pk>/", compliance.school_page, name="sup_school"),
    path("counties/<int:pk>/", compliance.county_page, name="sup_county"),
    path("leagues/", compliance.leagues, name="sup_leagues"),
    path("laggards/", compliance.laggards, name="sup_laggards"),
    path("laggards/rectify/", compliance.rectify, name="sup_rectify"),
    path("whatif/", compliance.whatif, name="sup_whatif"),
    path("catalog/", catalog.catalog, name="sup_catalog"),
    path("catalog/export.<str:fmt>", catalog.catalog_export, name="sup_catalog_export"),
    path("catalog/<str:code>/", catalog.indicator, name="sup_indicator"),
    path("catalog/<str:code>/edit/", catalog.indicator_edit, name="sup_indicator_edit"),
    path("values/export.<str:fmt>", catalog.values_export, name="sup_values_export"),
    path("intake/", intake.intake, name="sup_intake"),
    path("intake/template/<slug:level>.xlsx", intake.intake_template, name="sup_intake_template"),
    path("intake/upload/", intake.intake_upload, name="sup_intake_upload"),
    path("intake/<int:pk>/", intake.submission, name="sup_submission"),
    path("intake/<int:pk>/submit/", intake.submission_submit_view, name="sup_submission_submit"),
    path("intake/<int:pk>/review/", intake.submission_review_view, name="sup_submission_review"),
    path("intake/<int:pk>/approve/", intake.submission_approve_view, name="sup_submission_approve"),
    path("intake/<int:pk>/return/", intake.submission_return_view, name="sup_submission_return"),
    path("reports/", reports.reports, name="sup_reports"),
    path("reports/<int:pk>/download/", reports.report_download, name="sup_report_download"),
    path("ledger/", ledger.ledger, name="sup_ledger"),
    path("ledger/new/", ledger.task_new, name="sup_task_new"),
    path("ledger/import/", ledger.tasks_import_view, name="sup_tasks_import"),
    path("ledger/template.xlsx", ledger.tasks_template, name="sup_tasks_template"),
    path("ledger/<int:pk>/", ledger.task_detail, name="sup_task"),
    path("ledger/<int:pk>/start/", ledger.task_start_view, name="sup_task_start"),
    path("ledger/<int:pk>/submit/", ledger.task_submit_view, name="sup_task_submit"),
    path("ledger/<int:pk>/close/", ledger.task_close_view, name="sup_task_close"),
    path("ledger/<int:pk>/return/", ledger.task_return_view, name="sup_task_return"),
    path("ledger/<int:pk>/evidence/", ledger.evidence_upload, name="sup_evidence_upload"),
    path("ledger/evidence/<int:pk>/", ledger.evidence_download, name="sup_evidence"),
    path("ledger/milestones/<int:pk>/done/", ledger.milestone_done_view, name="sup_milestone_done"),
    path("tokens/", tokens.tokens, name="sup_tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="sup_token_revoke"),
    path("api/", api.urls()),
]
