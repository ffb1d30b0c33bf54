"""URLs of the admissions pages."""

from django.urls import path

from .views import bureau, candidate, imports, lists, quota, reporting, reports, stage, supplementary

urlpatterns = [
    path("", bureau.home, name="admissions_home"),
    path("years/new/", bureau.year_create, name="admissions_year_create"),
    path("plans/", bureau.plan_set, name="admissions_plan_set"),
    path("year/", bureau.year_action, name="admissions_year_action"),
    path("runs/", lists.runs, name="admissions_runs"),
    path("runs/<int:pk>/", bureau.run_detail, name="admissions_run"),
    path("runs/<int:pk>/approve/", bureau.run_approve, name="admissions_run_approve"),
    path("runs/<int:pk>/withdraw/", bureau.run_withdraw, name="admissions_run_withdraw"),
    path("admitted/", lists.admitted, name="admissions_admitted"),
    path("results.xlsx", lists.admitted_xlsx, name="admissions_results_xlsx"),
    path("quota/", quota.quota_split_page, name="admissions_quota_split"),
    path("quota.xlsx", quota.quota_split_xlsx, name="admissions_quota_xlsx"),
    path("preferences/", candidate.preferences, name="admissions_preferences"),
    path("receipt/", candidate.receipt_page, name="admissions_receipt"),
    path("result/", candidate.result, name="admissions_result"),
    path("result/notice.pdf", candidate.notice_download, name="admissions_notice_pdf"),
    path("reporting/", reporting.reporting, name="admissions_reporting"),
    path("lookup/", candidate.lookup, name="admissions_lookup"),
    path("cutoffs/", candidate.cutoffs, name="admissions_cutoffs"),
    path("reports/plan-proposal/", reports.plan_proposal, name="admissions_plan_proposal"),
    path("imports/<slug:kind>/", imports.import_upload, name="admissions_import"),
    path("imports/<slug:kind>/template.xlsx", imports.import_template, name="admissions_import_template"),
    path("reports/retention/", reports.retention, name="admissions_retention"),
    path("reports/ranges/", reports.out_of_range, name="admissions_out_of_range"),
    path("stage/", stage.stage, name="admissions_stage"),
    path("stage/settings/", stage.settings_set, name="admissions_stage_settings"),
    path("stage/publicity.csv", stage.publicity_csv, name="admissions_publicity_csv"),
    path("supplementary/", supplementary.bureau, name="admissions_supplementary"),
    path("supplementary/action/", supplementary.bureau_action, name="admissions_supplementary_action"),
    path("supplementary/mine/", supplementary.mine, name="admissions_supplementary_mine"),
]
