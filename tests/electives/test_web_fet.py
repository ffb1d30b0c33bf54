"""FET files on the web: an uploaded FET file is checked (bad XML, unsupported constraint types refused with the
engine's message, nothing kept), solved as a job and handed back with every activity locked (fet-cl accepts it
as it is); an infeasible file ends as a failed job with the reason; the stop button ends the search; a stored
timetable downloads as a FET file fet-cl reproduces; only the school's staff and the bureaus above it may do
any of it, and each upload and download is audited."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job
from gaozhong.electives.engine.fet.fetcl import run_fet_cl
from gaozhong.electives.engine.fet.parse import parse_fet_text, read_fet
from gaozhong.electives.fetfiles import input_path, school_folder, solved_path, write_atomic
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.services.common import Refused
from gaozhong.electives.services import fet as fet_service
from gaozhong.electives.services.fet import fet_solve_start
from gaozhong.electives.adjust import lesson_choices
from gaozhong.electives.services.timetables import lesson_move
from gaozhong.electives.tasks import run_fet_job
from gaozhong.electives.views import fet as fet_views

from .factories import elective_grade
from .fet.helpers import act, c, example, fet, need_fet_cl, room
from .test_web_solve import solve_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_upload_dir(settings, tmp_path):
    """Job ids restart with every test's database: each test keeps its files in a folder of its own."""
    settings.UPLOAD_DIR = tmp_path / "uploads"

UNSUPPORTED = ("<ConstraintTeacherIntervalMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>T1"
               "</Teacher_Name></ConstraintTeacherIntervalMaxDaysPerWeek>\n")


def small_fet() -> bytes:
    """Two teachers, one class, seven lessons over three days of four hours, Art in its one room."""
    acts = "".join(act(i, ["T1"], ["Y1"]) for i in range(1, 5)) + "".join(act(i, ["T2"], ["Y1"], subject="Art") for i in range(5, 8))
    return fet(activities=acts, rooms=room("R1") + room("R2"),
               time=c("ConstraintTeacherNotAvailableTimes", Teacher="T1", Number_of_Not_Available_Times=1,
                      Not_Available_Time=[("D1", "H1")]),
               space=c("ConstraintSubjectPreferredRoom", Subject="Art", Room="R2")).encode("utf-8")


def locked_starts(path: Path) -> tuple[object, dict[int, tuple[str, str]], dict[int, str]]:
    """The FET file at ``path``, the (day, hour) each activity is locked at, and the room each is locked in."""
    F = read_fet(path)
    times, rooms = {}, {}
    for k in F.constraints:
        if k.kind == "ConstraintActivityPreferredStartingTime" and k.p["locked"]:
            d, h = k.p["starts"][0]
            times[k.p["acts"][0]] = (F.days[d], F.hours[h])
        if k.kind == "ConstraintActivityPreferredRoom" and k.p["locked"]:
            (rooms[k.p["act"]],) = k.p["rooms"]
    return F, times, rooms


def assert_fet_cl_accepts_locked(path: Path) -> dict[int, tuple[str, str, str]]:
    """Every activity of ``path`` is locked, and fet-cl places each exactly there (skips without fet-cl)."""
    F, times, rooms = locked_starts(path)
    assert set(times) == {a.id for a in F.activities}, "an activity is not locked"
    need_fet_cl()
    res = run_fet_cl(path, time_limit=60)
    assert res.ok, res.message
    for a in F.activities:
        assert res.placed[a.id][:2] == times[a.id], a.id
        if a.id in rooms:
            assert res.placed[a.id][2] == rooms[a.id], a.id
    return res.placed


def upload_now(place, capture, data: bytes, filename="课表.fet", actor=None, time_limit=20) -> Job:
    with capture(execute=True):
        job = fet_solve_start(actor=actor or place.school_user, school=place.school, data=data, filename=filename,
                              time_limit=time_limit, seed=1)
    job.refresh_from_db()
    return job


def files_of(place) -> list[Path]:
    folder = school_folder(place.school.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


# -- upload and solve --------------------------------------------------------------------------------------------

def test_upload_is_solved_as_a_job_and_handed_back_locked(world, django_capture_on_commit_callbacks, tmp_path):
    data = small_fet()
    job = upload_now(world.a, django_capture_on_commit_callbacks, data)
    assert job.status == Job.Status.SUCCEEDED, (job.log, job.result)
    assert job.school_id == world.a.school.pk and job.kind == "electives.fet"
    assert job.result["summary"]["活动 (activities)"] == 7 and job.progress == 100
    assert "活动 7 个" in job.log
    # kept in the school's own folder, named by the job: the upload as sent, the solved file beside it
    assert input_path(job).read_bytes() == data
    assert files_of(world.a) == sorted([input_path(job), solved_path(job)])
    assert input_path(job).parent == school_folder(world.a.school.pk)
    assert AuditEvent.objects.filter(action="electives.fet.uploaded", object_id=str(job.pk), school_id=world.a.school.pk).count() == 1

    client = Client()
    client.force_login(world.a.school_user)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    link = reverse("electives_fet_solved", args=[job.pk])
    assert link in page
    resp = client.get(link)
    assert resp.status_code == 200
    assert "%E8%AF%BE%E8%A1%A8_%E5%B7%B2%E6%8E%92.fet" in resp["Content-Disposition"]  # 课表_已排.fet
    out = tmp_path / "solved.fet"
    out.write_bytes(b"".join(resp.streaming_content))
    assert out.read_bytes().startswith(data[:200])  # the school's file unchanged, locks added
    F, times, rooms = locked_starts(out)
    assert ("D1", "H1") not in {times[a.id] for a in F.activities if "T1" in a.teachers}
    assert {rooms[a.id] for a in F.activities if a.subject == "Art"} == {"R2"}
    assert AuditEvent.objects.filter(action="electives.fet.downloaded", object_id=str(job.pk)).count() == 1
    assert_fet_cl_accepts_locked(out)


@pytest.mark.parametrize("text, expect", [
    (b"<?xml version=\"1.0\"?>\n<fet>\n<Days_List>\n</Hours_List>\n</fet>\n", ["上传.fet:4", "not well-formed"]),
    (b"PK\x03\x04 this is a zip, not XML", ["上传.fet:1", "not well-formed"]),
    (fet(activities=act(1, ["T1"], ["Y1"]), time=UNSUPPORTED * 3).encode(), ["ConstraintTeacherIntervalMaxDaysPerWeek × 3"]),
    (fet(activities=act(1, ["T1"], ["Y1"], active=False)).encode(), ["没有可排的活动"]),
])
def test_bad_file_is_refused_with_the_engines_message_and_nothing_kept(world, text, expect):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused) as exc:
        fet_solve_start(actor=world.a.school_user, school=world.a.school, data=text, filename="上传.fet")
    msg = "\n".join(exc.value.reasons)
    assert all(e in msg for e in expect), msg
    assert not Job.objects.exists() and files_of(world.a) == [] and AuditEvent.objects.count() == before


def test_a_listed_fet_example_with_an_unsupported_type_is_refused_by_name(world):
    src = example("../FET-5-terms/1/simple.fet")
    with pytest.raises(Refused) as exc:
        fet_solve_start(actor=world.a.school_user, school=world.a.school, data=src.read_bytes(), filename="simple.fet")
    assert any("ConstraintActivitiesOccupyMaxTerms × 1" in r for r in exc.value.reasons), exc.value.reasons
    assert not Job.objects.exists()


def test_wrong_name_size_and_time_limit_are_refused(world, monkeypatch):
    monkeypatch.setattr(fet_service, "FET_MAX_BYTES", 100)
    with pytest.raises(Refused) as exc:
        fet_solve_start(actor=world.a.school_user, school=world.a.school, data=small_fet(), filename="课表.xml", time_limit=4)
    msg = "；".join(exc.value.reasons)
    assert "不是 .fet 文件" in msg and "超过" in msg and "时限" in msg
    assert not Job.objects.exists() and files_of(world.a) == []


def test_the_page_lists_every_problem_and_keeps_nothing(world, monkeypatch):
    client = Client()
    client.force_login(world.a.school_user)
    upload = _file("坏文件.fet", fet(activities=act(1, ["T1"], ["Y1"]), time=UNSUPPORTED * 2).encode())
    resp = client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": upload, "time_limit": 30, "seed": 0})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert 'data-testid="refusal"' in page and "ConstraintTeacherIntervalMaxDaysPerWeek × 2" in page and "坏文件.fet" in page
    assert not Job.objects.exists() and files_of(world.a) == []
    # a file that is too large or not .fet is refused by the form before it is read
    resp = client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": _file("课表.txt", b"x"), "time_limit": 30, "seed": 0})
    assert "请上传 .fet 文件" in resp.content.decode() and not Job.objects.exists()
    monkeypatch.setattr(fet_views, "FET_MAX_BYTES", 100)
    resp = client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": _file("大.fet", small_fet()), "time_limit": 30, "seed": 0})
    assert "文件超过" in resp.content.decode() and not Job.objects.exists() and files_of(world.a) == []


def _file(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_upload_from_the_page_starts_the_job(world, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.a.school_user)
    index = client.get(reverse("electives_index")).content.decode()
    assert 'data-testid="fet-form"' in index and reverse("electives_fet") in index
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": _file("我的课表.fet", small_fet()),
                                                      "time_limit": 20, "seed": 2})
    job = Job.objects.get(kind="electives.fet")
    assert resp.status_code == 302 and resp["Location"] == reverse("job_detail", args=[job.pk])
    assert job.params["seed"] == 2 and job.params["filename"] == "我的课表.fet" and job.status == Job.Status.SUCCEEDED
    listing = client.get(reverse("electives_fet")).content.decode()
    assert job.title in listing and reverse("electives_fet_solved", args=[job.pk]) in listing


def test_infeasible_file_ends_as_a_failed_job_with_the_reason(world, django_capture_on_commit_callbacks):
    acts = "".join(act(i, ["T1"], ["Y1"]) for i in range(1, 5))  # four lessons of one teacher, three slots
    job = upload_now(world.a, django_capture_on_commit_callbacks, fet(days=1, hours=3, activities=acts).encode())
    assert job.status == Job.Status.FAILED
    assert any("硬约束无解" in d for d in job.result["diagnosis"]), job.result
    assert not solved_path(job).exists()
    client = Client()
    client.force_login(world.a.school_user)
    assert "硬约束无解" in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert client.get(reverse("electives_fet_solved", args=[job.pk])).status_code == 404


def test_stop_before_a_timetable_is_found_cancels_the_job(world, django_capture_on_commit_callbacks):
    hard = example("Italy/2007/simple/simpler-Italian.fet")  # no timetable within a second on any machine
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = fet_solve_start(actor=world.a.school_user, school=world.a.school, data=hard.read_bytes(), filename="it.fet", time_limit=600)
    Job.objects.filter(pk=job.pk).update(stop_requested=True)
    for cb in callbacks:
        cb()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED, job.result
    assert any("已停止" in d for d in job.result["diagnosis"])
    assert not solved_path(job).exists()


# -- who may ------------------------------------------------------------------------------------------------------

def test_only_the_schools_staff_and_bureaus_above_it_upload_and_download(world, django_capture_on_commit_callbacks):
    job = upload_now(world.a, django_capture_on_commit_callbacks, small_fet())
    url = reverse("electives_fet_solved", args=[job.pk])
    codes = {}
    for who in ("school_user", "county_user", "teacher_user", "student_user"):
        for place in ("a", "b"):
            client = Client()
            client.force_login(getattr(getattr(world, place), who))
            codes[f"{who}_{place}"] = client.get(url).status_code
    client = Client()
    client.force_login(world.city_user)
    codes["city"] = client.get(url).status_code
    assert codes == {"school_user_a": 200, "county_user_a": 200, "city": 200, "school_user_b": 404, "county_user_b": 404,
                     "teacher_user_a": 403, "teacher_user_b": 403, "student_user_a": 403, "student_user_b": 403}
    assert AuditEvent.objects.filter(action="electives.fet.downloaded").count() == 3
    # uploads: another school's 教务 cannot aim at this school; a teacher may not upload at all
    with pytest.raises(PermissionDenied):
        fet_solve_start(actor=world.b.school_user, school=world.a.school, data=small_fet(), filename="x.fet")
    with pytest.raises(PermissionDenied):
        fet_solve_start(actor=world.a.teacher_user, school=world.a.school, data=small_fet(), filename="x.fet")
    n = Job.objects.count()
    client = Client()
    client.force_login(world.b.school_user)
    resp = client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": _file("x.fet", small_fet()), "time_limit": 20, "seed": 0})
    assert resp.status_code == 200 and "school" in resp.context["fet_form"].errors  # not one of the schools offered
    client.force_login(world.a.teacher_user)
    assert client.post(reverse("electives_fet"), {"school": world.a.school.pk, "file": _file("x.fet", small_fet())}).status_code == 403
    assert Job.objects.count() == n and len(files_of(world.b)) == 0


# -- a stored timetable as a FET file ----------------------------------------------------------------------------

@pytest.fixture
def stored(world, django_capture_on_commit_callbacks):
    window = elective_grade(world)
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.log
    return Timetable.objects.get(window=window, is_current=True)


def test_a_stored_timetable_downloads_as_a_fet_file_fet_cl_reproduces(world, stored, tmp_path):
    # a manual move first: the file holds the timetable as it stands now
    les, target = next((x, (free[0].day, free[0].period)) for x in Lesson.objects.filter(teaching_class__timetable=stored).order_by("pk")
                       if (free := lesson_choices(x).free))
    lesson_move(actor=world.a.school_user, lesson=les, day=target[0], period=target[1])
    client = Client()
    client.force_login(world.a.school_user)
    page = client.get(reverse("electives_timetable", args=[stored.pk])).content.decode()
    url = reverse("electives_fet_export", args=[stored.pk])
    assert url in page and "导出 FET 文件" in page
    resp = client.get(url)
    assert resp.status_code == 200 and ".fet" in resp["Content-Disposition"]
    assert AuditEvent.objects.filter(action="electives.timetable.fet_exported", object_id=str(stored.pk)).count() == 1
    out = tmp_path / "tt.fet"
    out.write_bytes(resp.content)
    F = parse_fet_text(resp.content, "tt.fet")
    lessons = list(Lesson.objects.filter(teaching_class__timetable=stored).select_related("teaching_class__subject", "room"))
    assert len(F.activities) == len(lessons)
    days = ["周一", "周二", "周三", "周四", "周五"]
    want = sorted((x.teaching_class.subject.code, days[x.day - 1], f"第{x.period}节", x.room.code) for x in lessons)
    _, times, rooms = locked_starts(out)
    assert sorted((a.subject, *times[a.id], rooms[a.id]) for a in F.activities) == want
    moved = [a for a in F.activities if a.id in times and times[a.id] == (days[target[0] - 1], f"第{target[1]}节")
             and a.subject == les.teaching_class.subject.code]
    assert moved, "the moved lesson is not where it was moved to"
    placed = assert_fet_cl_accepts_locked(out)
    assert sorted((a.subject, *placed[a.id]) for a in F.activities) == want


def test_fet_export_is_for_staff_of_the_timetables_place(world, stored):
    url = reverse("electives_fet_export", args=[stored.pk])
    codes = {}
    for key, user in {"school_a": world.a.school_user, "county_a": world.a.county_user, "city": world.city_user,
                      "school_b": world.b.school_user, "county_b": world.b.county_user, "teacher_a": world.a.teacher_user}.items():
        client = Client()
        client.force_login(user)
        codes[key] = client.get(url).status_code
    assert codes == {"school_a": 200, "county_a": 200, "city": 200, "school_b": 404, "county_b": 404, "teacher_a": 403}
    assert AuditEvent.objects.filter(action="electives.timetable.fet_exported").count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_job_page_follows_the_search(world, tmp_path):
    """Run by a worker (not inside a caller's transaction), the job's progress and phase move while it searches."""
    hard = example("Italy/2007/simple/simpler-Italian.fet")
    job = Job.objects.create(kind="electives.fet", title="t", created_by=world.a.school_user, county=world.a.county, school=world.a.school,
                             params={"filename": "it.fet", "time_limit": 6, "seed": 0})
    write_atomic(input_path(job), hard.read_bytes())
    worker = threading.Thread(target=run_fet_job.call, args=(job.pk,))
    worker.start()
    seen = set()
    while worker.is_alive():
        row = Job.objects.values("progress", "phase").get(pk=job.pk)
        if "求解中" in row["phase"]:
            seen.add(row["progress"])
        time.sleep(0.3)
    worker.join()
    job.refresh_from_db()
    assert job.is_finished
    assert len(seen) >= 2 and max(seen) > min(seen) >= 5, seen
