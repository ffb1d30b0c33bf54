"""URLs of gaozhong.people's pages (names start with ``people_``; every URL with an id is listed for the scoping
walker in ``tests/people/url_objects.py``)."""

from django.urls import path

from .views import ethics, hiring, imports, index, nominations, profile, rotation, staffing, training

urlpatterns = [
    path("", index.index, name="people_index"),
    path("me/", index.me, name="people_me"),
    path("teachers/<int:pk>/", profile.teacher_profile, name="people_teacher"),
    path("teachers/<int:pk>/qualifications/add/", profile.qualification_add_view, name="people_qualification_add"),
    path("teachers/<int:pk>/post/", profile.post_change_view, name="people_post_change"),
    path("teachers/<int:pk>/ethics/add/", ethics.ethics_add, name="people_ethics_add"),
    path("teachers/<int:pk>/nominate/", nominations.nominate_view, name="people_nominate"),
    path("teachers/<int:pk>/move/", rotation.move_view, name="people_move"),
    path("ethics/", ethics.ethics_list, name="people_ethics_list"),
    path("ethics/<int:pk>/", ethics.ethics_detail, name="people_ethics_detail"),
    path("ethics/<int:pk>/decide/", ethics.ethics_decide_view, name="people_ethics_decide"),
    path("bans/", ethics.ban_list, name="people_bans"),
    path("bans/add/", ethics.ban_add_view, name="people_ban_add"),
    path("hire/", hiring.hire_view, name="people_hire"),
    path("hire-checks/", hiring.check_list, name="people_hire_checks"),
    path("hire-checks/<int:pk>/", hiring.check_record_view, name="people_hire_check"),
    path("nominations/", nominations.nomination_list, name="people_nominations"),
    path("nominations/<int:pk>/decide/", nominations.decide_view, name="people_nomination_decide"),
    path("training/", training.ledger, name="people_training"),
    path("training/researchers/", training.researchers, name="people_researchers"),
    path("rotation/", rotation.rates, name="people_rotation"),
    path("rotation/due/", rotation.due, name="people_rotation_due"),
    path("staffing/", staffing.overview, name="people_staffing"),
    path("staffing/schools/<int:pk>/", staffing.school_view, name="people_staffing_school"),
    path("imports/<slug:kind>/", imports.upload, name="people_import"),
    path("imports/<slug:kind>/template.xlsx", imports.template, name="people_import_template"),
]
