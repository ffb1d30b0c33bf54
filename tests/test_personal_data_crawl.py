"""No page, export or case file shows a 身份证号 (or a 学籍号 that embeds one) to a role not entitled to it.

A small city with every domain's data in it — students whose 学籍号 is "G" + 身份证号, a solved timetable, a
published admission, a registry check with a duplicate registration, a ban list, import jobs with problems,
audit rows whose before-values hold ID numbers, a message that names students — is crawled as each role: from the
home page and the menu, every link within the site is followed (pages, JSON, .xlsx, .csv and .zip downloads,
each list's detail links), bounded per path. Every 18-character run of 17 digits and a digit or X whose check
character is right (``gaozhong.importer.idnumber.check_character``) fails the test, unless the role may take
full numbers out (``gaozhong.core.scoping.may_take_full_ids``), the response is an export asked for in full
(``full=1``) and the number is of a person the role may see. The crawl must have visited enough pages and
downloads, so it cannot pass by finding nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urlsplit

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gaozhong.admissions.models import AdmissionRun
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.core.models import Candidate, Membership, Role, Student, Teacher
from gaozhong.core.masking import mask_id_number
from gaozhong.core.scoping import may_take_full_ids, visible
from gaozhong.importer.idnumber import check_character

pytestmark = pytest.mark.django_db

ID_RUN = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
PER_PATTERN = 8       # URLs followed per pattern (a path with its ids as N, with or without a query string)
LIMIT = 600           # responses per role
SKIP = ("/accounts/logout/", "/i18n/", "/static/", "/accounts/mfa/")


def id_numbers_in(text: str) -> set[str]:
    return {m for m in ID_RUN.findall(text) if check_character(m[:17]) == m[17]}


def template_examples() -> set[str]:
    """The example values printed in the import templates (made up, the same for everyone): not personal data."""
    from importlib import import_module

    from gaozhong.importer.spec import TableSpec

    specs = []
    for app in ("core", "admissions", "electives", "evaluation", "people", "registry", "supervision"):
        try:
            module = import_module(f"gaozhong.{app}.importspecs")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            specs += [value] if isinstance(value, TableSpec) else [v for v in value.values() if isinstance(v, TableSpec)] if isinstance(value, dict) else []
    return {n for spec in specs for col in spec.columns for n in id_numbers_in(str(col.example or ""))}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() != "get":
            return
        for key, value in attrs:
            if value and (key in ("href", "src", "action") or key.startswith("data-")) and value.startswith("/"):
                self.urls.append(value)


def _text(resp) -> tuple[str, str]:
    """(kind, text) of a response: HTML, JSON, CSV and text as they are; .xlsx and .zip as all their parts' text."""
    ctype = resp.get("Content-Type", "")
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "zip", "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if "pdf" in ctype:
        return "pdf", ""
    return ("html" if "html" in ctype else "data"), body.decode("utf-8", "replace")


def crawl(user) -> tuple[Counter, list[str]]:
    """Visit everything reachable as ``user``; return (kinds of responses seen, leaks found)."""
    c = Client()
    c.force_login(user)
    from gaozhong.registry.models import Registration

    entitled_to = may_take_full_ids(user)
    theirs = {n for model in (Student, Teacher, Registration) for n in visible(model, user).values_list("id_number", flat=True)}
    theirs |= {n for model in (Student, Registration) for no in visible(model, user).values_list("student_no", flat=True) for n in id_numbers_in(no)}
    examples = template_examples()
    seen, per_path, kinds, leaks = set(), Counter(), Counter(), []
    queue = deque(["/"])
    while queue and len(seen) < LIMIT:
        url = urldefrag(queue.popleft())[0]
        parts = urlsplit(url)
        if url in seen or parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
            continue
        pattern = re.sub(r"/[0-9]+(?=/|$)", "/N", parts.path) + ("?" if parts.query else "")
        if per_path[pattern] >= PER_PATTERN:
            continue
        seen.add(url)
        per_path[pattern] += 1
        resp = c.get(url)
        if resp.status_code in (301, 302):
            queue.append(resp["Location"])
            continue
        if resp.status_code != 200:
            kinds[f"status {resp.status_code}"] += 1
            continue
        kind, text = _text(resp)
        kinds[kind] += 1
        full_export = entitled_to and parse_qs(parts.query).get("full") == ["1"]
        for number in id_numbers_in(text) - examples:
            if not (full_export and number in theirs):
                leaks.append(f"{user.username} {url}: {number}")
        if kind == "html":
            p = _Links()
            p.feed(text)
            queue.extend(p.urls)
    return kinds, leaks


def xlsx(headers, rows, sheet) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def city(world, django_capture_on_commit_callbacks):
    """The world with every domain's data; students' 学籍号 embed their 身份证号 as the national ones do."""
    from gaozhong.core.services.imports import records_import
    from gaozhong.electives.models import Choice
    from gaozhong.electives.services.timetables import solve_start
    from gaozhong.people.models import BannedPerson, EthicsRecord
    from gaozhong.people.services.hiring import teacher_hire
    from gaozhong.registry.services.checks import registry_check_run
    from gaozhong.registry.services.imports import attendance_import, registrations_import
    from tests.admissions.test_run_steps import closed_year
    from tests.core.test_imports import HEADERS, idn
    from tests.electives.factories import elective_grade

    a, b = world.a, world.b
    # 选课走班: a's grade with every student's choice, solved; one choice missing at first, so the solve is
    # refused with a message naming the student.
    window = elective_grade(world)
    students = list(Student.objects.filter(student_no__startswith="E"))
    for st in students:
        st.student_no = "G" + st.id_number
    Student.objects.bulk_update(students, ["student_no"])
    gone = Choice.objects.filter(window=window, student=a.student).first()
    kept = gone.electives
    gone.delete()
    refused_solve = (f"/electives/windows/{window.pk}/solve/", {"time_limit": 20, "seed": 1})
    # 招生录取: a run published.
    year = closed_year(world)
    admission_run_approve(actor=world.city_user, run=admission_run_execute(run=admission_run_create(actor=world.city_user, year=year)))
    assert AdmissionRun.objects.get().status == "approved"
    # 学籍: the national registry's second registration of a's student at b, attendance for two, a check.
    reg = [[a.student.student_no, a.student.id_number, a.student.name, a.school.code, "1", "在籍"],
           ["D" + a.student.student_no[1:], a.student.id_number, a.student.name, b.school.code, "1", "在籍"]]
    assert registrations_import(actor=world.city_user, data=xlsx(["学籍号", "身份证号", "姓名", "学校代码", "年级", "学籍状态"], reg, "学籍"),
                                filename="学籍.xlsx").ok
    att = [[r[0], r[3], t, 80] for r in reg for t in ("2025-1", "2025-2")]
    assert attendance_import(actor=world.city_user, data=xlsx(["学籍号", "出勤学校代码", "学期", "出勤天数"], att, "考勤"), filename="考勤.xlsx").ok
    registry_check_run(actor=world.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    # 教师: a ban, a hire waiting for its check, an ethics record.
    BannedPerson.objects.create(city=a.county.city, id_number=idn(950), name="禁入者", since=dt.date(2024, 1, 1), reason="测试")
    teacher_hire(actor=a.county_user, school=a.school, staff_no="HX1", name="新教师", id_number=idn(951), gender="女", hire_date=dt.date(2025, 9, 1))
    EthicsRecord.objects.create(teacher=a.teacher, category="paid_tutoring", occurred_on=dt.date(2025, 3, 1), summary="有偿补课")
    # Imports: a student file with problems (a number held by another student of the school; a mistyped check
    # character) through the page, and one that changes a student's 身份证号 (the audit keeps before and after).
    c = Client()
    c.force_login(a.school_user)
    mistyped = idn(961)[:17] + ("0" if idn(961)[17] != "0" else "1")
    for bad in ([[f"G{idn(960)}", a.other_student.id_number, "重号", "男", None, "GA1", 2025, 1, 1, "在籍", None, None]],
                [[f"G{idn(961)}", mistyped, "错号", "男", None, "GA1", 2025, 1, 1, "在籍", None, None]]):
        with django_capture_on_commit_callbacks(execute=True):
            c.post("/imports/students/", {"file": SimpleUploadedFile("学生.xlsx", xlsx(HEADERS, bad, "学生"))})
    st = a.other_student
    moved = [[st.student_no, idn(962), st.name, st.gender, None, "GA1", 2025, 1, 2, "在籍", None, None]]
    assert records_import(actor=a.school_user, kind="students", data=xlsx(HEADERS, moved, "学生"), filename="更正.xlsx").ok
    return {"refused_solve": refused_solve, "window": window, "restore": (gone.student, kept), "solve": solve_start, "mistyped": mistyped}


def test_no_role_sees_an_id_number_it_is_not_entitled_to(world, city, django_capture_on_commit_callbacks):
    from gaozhong.electives.models import Choice

    a = world.a
    examples = template_examples()
    c = Client()
    c.force_login(a.school_user)
    # The school's refused solve: the message names the student without a choice, by the masked number.
    student, kept = city["restore"]
    page = c.post(*city["refused_solve"], follow=True).content.decode()
    assert "尚未选科" in page and student.student_no_masked in page and not id_numbers_in(page) - examples
    # The import job's problems name the other student's number masked; the audit shows a changed 身份证号 masked.
    jobs = "".join(c.get(url).content.decode() for url in sorted(set(re.findall(r'href="(/jobs/[0-9]+/)"', c.get("/jobs/").content.decode()))))
    assert a.other_student.student_no_masked in jobs and mask_id_number(city["mistyped"]) in jobs and not id_numbers_in(jobs) - examples
    c.force_login(world.city_user)
    audit = c.get("/audit/?action=core.students.imported").content.decode()
    assert "身份证号：" in audit and "**********" in audit and not id_numbers_in(audit)
    Choice.objects.create(window=city["window"], student=student, electives=kept, updated_by=a.school_user)
    with django_capture_on_commit_callbacks(execute=True):
        job = city["solve"](actor=a.school_user, window=city["window"], time_limit=20, seed=1)
    job.refresh_from_db()
    assert job.status == "succeeded", job.log
    candidate = Membership.objects.get(role=Role.STUDENT, candidate__isnull=False).user
    assert Candidate.objects.filter(pk=candidate.membership.candidate_id).exists()
    totals, kinds, leaks = Counter(), Counter(), []
    for user in (world.city_user, a.county_user, a.school_user, a.teacher_user, a.student_user, candidate):
        k, found = crawl(user)
        kinds += k
        leaks += found
        totals[user.username] = sum(v for key, v in k.items() if not key.startswith("status"))
    assert not leaks, "\n".join(sorted(set(leaks)))
    # Not vacuous: many pages and downloads of every kind were read, by every role.
    assert kinds["html"] >= 150 and kinds["zip"] >= 5 and kinds["data"] >= 3, kinds
    least = {world.city_user: 150, a.county_user: 100, a.school_user: 150, a.teacher_user: 15, a.student_user: 4, candidate: 3}
    assert all(totals[u.username] >= n for u, n in least.items()), totals
