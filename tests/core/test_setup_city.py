"""``gaozhong manage setup_city``: a fresh install gets its city, counties and first administrator from a counties
file and a password file; every refusal exits 2, names file, line and column, and writes nothing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gaozhong.core.curriculum import SUBJECTS
from gaozhong.core.models import AuditEvent, City, County, Membership, Role, School, Subject

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Bureau-setup-2026"
COUNTIES = "code,name\n140105,小店区\n140106,迎泽区\n140107,杏花岭区\n"


def _counts() -> tuple[int, ...]:
    return (City.objects.count(), County.objects.count(), User.objects.count(), Membership.objects.count(), AuditEvent.objects.count(),
            Subject.objects.count())


@pytest.fixture
def files(tmp_path):
    def make(counties: str | bytes = COUNTIES, password: str = GOOD_PASSWORD + "\n", name: str = "counties.csv"):
        c = tmp_path / name
        c.write_bytes(counties if isinstance(counties, bytes) else counties.encode("utf-8"))
        p = tmp_path / "admin-password.txt"
        p.write_text(password, encoding="utf-8")
        return c, p

    return make


def _run(counties: Path, password: Path, *, admin: str = "taiyuan_admin", code: str = "1401", name: str = "太原市"):
    call_command("setup_city", name=name, code=code, counties=str(counties), admin=admin, password_file=str(password))


def _refused(counties: Path, password: Path, **kw) -> CommandError:
    before = _counts()
    with pytest.raises(CommandError) as exc:
        _run(counties, password, **kw)
    assert exc.value.returncode == 2
    assert _counts() == before, "a refused setup_city wrote something"
    return exc.value


def test_setup_creates_city_counties_and_admin_with_one_audit_row(files):
    counties, password = files()
    _run(counties, password)
    city = City.objects.get()
    assert (city.code, city.name) == ("1401", "太原市")
    assert list(County.objects.order_by("code").values_list("code", "name", "city")) == [
        ("140105", "小店区", city.pk), ("140106", "迎泽区", city.pk), ("140107", "杏花岭区", city.pk)]
    admin = User.objects.get(username="taiyuan_admin")
    assert admin.check_password(GOOD_PASSWORD) and not admin.check_password(GOOD_PASSWORD + "\n")
    assert admin.membership.role == Role.CITY_ADMIN and admin.membership.county is None
    assert sorted(Subject.objects.values_list("code", "name", "is_elective")) == sorted(SUBJECTS)
    events = list(AuditEvent.objects.all())
    assert len(events) == 1 and events[0].action == "core.city.set_up"
    assert events[0].after["counties"] == [["140105", "小店区"], ["140106", "迎泽区"], ["140107", "杏花岭区"]]


def test_a_bom_and_windows_line_ends_are_accepted(files):
    counties, password = files(counties=("\ufeff" + COUNTIES.replace("\n", "\r\n")).encode("utf-8"),
                               password=GOOD_PASSWORD + "\r\nsecond line ignored\r\n")
    _run(counties, password)
    assert County.objects.count() == 3
    assert User.objects.get(username="taiyuan_admin").check_password(GOOD_PASSWORD)


def test_the_admin_signs_in_and_sees_the_empty_city(files):
    counties, password = files()
    _run(counties, password)
    c = Client()
    r = c.post(reverse("login"), {"username": "taiyuan_admin", "password": GOOD_PASSWORD})
    assert r.status_code == 302 and c.session["_auth_user_id"] == str(User.objects.get(username="taiyuan_admin").pk)
    assert c.get(reverse("home")).status_code == 200
    r = c.get(reverse("school_list"))
    assert r.status_code == 200 and School.objects.count() == 0
    r = c.get(reverse("import_list"))
    assert r.status_code == 200  # the city admin may import schools next


def test_refused_when_the_database_already_has_a_city(files, world):
    counties, password = files()
    err = _refused(counties, password)
    assert "已有城市" in str(err) or "已有城市" in _stderr_of(counties, password)


def _stderr_of(counties: Path, password: Path, **kw) -> str:
    """The problems the command prints (to stderr) when it refuses."""
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("setup_city", name=kw.get("name", "太原市"), code=kw.get("code", "1401"), counties=str(counties),
                     admin=kw.get("admin", "taiyuan_admin"), password_file=str(password), stderr=err)
    return err.getvalue()


@pytest.mark.parametrize("weak, validator", [
    ("short1", "MinimumLengthValidator"),
    ("password1234", "CommonPasswordValidator"),
    ("12345678901234", "NumericPasswordValidator"),
    ("onlylettershere", "MixedCharactersValidator"),
    ("taiyuan_admin1", "UserAttributeSimilarityValidator"),
])
def test_a_weak_password_is_refused_with_the_validators_message(files, weak, validator):
    counties, password = files(password=weak + "\n")
    _refused(counties, password)
    out = _stderr_of(counties, password)
    # The configured validator's own message, asked of it directly.
    v = next(v for v in get_default_password_validators() if type(v).__name__ == validator)
    with pytest.raises(ValidationError) as said:
        v.validate(weak, User(username="taiyuan_admin", first_name=Role.CITY_ADMIN.label))
    for message in said.value.messages:
        assert f"{password.name}:1: 密码不符合要求：{message}" in out, out


def test_an_empty_password_file_is_refused(files):
    counties, password = files(password="")
    err = _refused(counties, password)
    assert "第一行是空的" in str(err)


@pytest.mark.parametrize("body, line, column, says", [
    ("code,name\n140105,小店区\n140105,迎泽区\n", 3, "code", "重复"),
    ("code,name\n140105,小店区\n14010X,迎泽区\n", 3, "code", "格式不对"),
    ("code,name\n140105,小店区\n1401056,迎泽区\n", 3, "code", "格式不对"),
    ("code,name\n140105,小店区\n140106,\n", 3, "name", ""),
    ("code,name\n", None, None, "没有数据行"),
    ("county,name\n140105,小店区\n", None, None, ""),
])
def test_bad_counties_are_refused_with_line_and_column(files, body, line, column, says):
    counties, password = files(counties=body)
    _refused(counties, password)
    out = _stderr_of(counties, password)
    assert out.startswith("counties.csv"), out
    if line is not None:
        assert f"counties.csv:{line}: column {column}" in out, out
    assert says in out, out


def test_bad_city_code_and_taken_username_are_refused(files):
    counties, password = files()
    User.objects.create(username="taken")
    out = _stderr_of(counties, password, code="14a1", admin="taken")
    assert "--code" in out and "--admin" in out
    _refused(counties, password, code="14a1", admin="taken")


def test_a_missing_file_is_refused():
    with pytest.raises(CommandError) as exc:
        _run(Path("/nonexistent/counties.csv"), Path("/nonexistent/pw.txt"))
    assert exc.value.returncode == 2 and "文件不存在" in str(exc.value)
    assert City.objects.count() == 0


def test_the_command_exits_2_from_the_shell(tmp_path):
    """The real entry point (``gaozhong manage``) turns a refusal into exit status 2."""
    counties = tmp_path / "counties.csv"
    counties.write_text("code,name\n1401,小店区\n", encoding="utf-8")
    pw = tmp_path / "pw.txt"
    pw.write_text(GOOD_PASSWORD, encoding="utf-8")
    env = {"GAOZHONG_SQLITE": str(tmp_path / "db.sqlite3"), "GAOZHONG_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "setup_city", "--name", "太原市", "--code", "1401",
                          "--counties", str(counties), "--admin", "a1", "--password-file", str(pw)],
                         env=env, capture_output=True, text=True)
    assert out.returncode == 2, out
    assert "counties.csv:2: column code" in out.stderr
