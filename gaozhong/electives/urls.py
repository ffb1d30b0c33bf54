"""URLs of gaozhong.electives (names start with ``electives_``; every URL with an id is listed for the scoping
walker in ``tests/electives/url_objects.py``)."""

from django.urls import path

from .views import fet, timetables, windows

urlpatterns = [
    path("", windows.index, name="electives_index"),
    path("windows/new/", windows.window_new, name="electives_window_new"),
    path("windows/<int:pk>/", windows.window_detail, name="electives_window"),
    path("windows/<int:pk>/edit/", windows.window_edit, name="electives_window_edit"),
    path("windows/<int:pk>/solve/", windows.solve, name="electives_solve"),
    path("windows/<int:pk>/import/", windows.import_upload, name="electives_import"),
    path("windows/<int:pk>/export.xlsx", windows.export, name="electives_export"),
    path("import/<slug:kind>/template.xlsx", windows.import_template, name="electives_import_template"),
    path("choose/", windows.choose, name="electives_choose"),
    path("my/", timetables.my_timetable, name="electives_my"),
    path("timetables/<int:pk>/", timetables.timetable_detail, name="electives_timetable"),
    path("timetables/<int:pk>/grid/", timetables.grid, name="electives_grid"),
    path("timetables/<int:pk>/grid.xlsx", timetables.grid_xlsx, name="electives_grid_xlsx"),
    path("timetables/<int:pk>/leave/", timetables.leave, name="electives_leave"),
    path("timetables/<int:pk>/case.zip", timetables.case_download, name="electives_case"),
    path("timetables/<int:pk>/timetable.fet", fet.fet_export, name="electives_fet_export"),
    path("fet/", fet.fet_upload, name="electives_fet"),
    path("fet/<int:pk>/solved.fet", fet.fet_solved, name="electives_fet_solved"),
    path("lessons/<int:pk>/move/", timetables.lesson_move_view, name="electives_move"),
    path("lessons/<int:pk>/options/", timetables.lesson_options, name="electives_options"),
    path("timetables/<int:pk>/changes/", timetables.changes, name="electives_changes"),
]
