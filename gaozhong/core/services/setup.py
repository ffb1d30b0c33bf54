"""Setting up a fresh install: the city, its counties, the first city administrator and the curriculum's
subjects (``gaozhong.core.curriculum``), in one transaction.

This is the one write that has no signed-in actor: it runs once, from the server (``gaozhong manage
setup_city``), on a database with no city, and its audit row names no user (``system``). Everything after it
is done by the administrator it creates, through the imports and pages.

Refusals (every one listed at once, nothing written): the database already has a city; the counties file is
not a table of ``code,name`` (read with the importer: file, line, column and reason; six-digit codes, no code
or name twice); the city code is not 4 or 6 digits; the username is taken; the password fails Django's
configured password validators (``AUTH_PASSWORD_VALIDATORS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.curriculum import SUBJECTS
from gaozhong.core.importspecs import COUNTIES
from gaozhong.core.models import City, County, Membership, Role, Subject
from gaozhong.importer.readers import read_table

CITY_CODE = re.compile(r"[0-9]{4}|[0-9]{6}")


@dataclass(frozen=True)
class CitySetup:
    city: City
    counties: list[County]
    admin: object  # the city administrator's User


@transaction.atomic
def setup_city(*, name: str, code: str, counties_data: bytes, counties_filename: str, admin_username: str,
               password: str, password_source: str = "password") -> CitySetup:
    """Create the city, its counties (a ``code,name`` table, .csv or .xlsx) and one city administrator whose
    password is ``password``. Raises :class:`InputError` with every problem, having written nothing."""
    problems: list[Problem] = []
    here = "setup_city"
    if City.objects.exists():
        problems.append(Problem("数据库 (database)", None, None,
                                f"已有城市 “{City.objects.order_by('pk').first()}”，setup_city 只能在空数据库上运行 "
                                "(the database already has a city; setup_city runs only on an empty database)"))
    name = (name or "").strip()
    if not name or len(name) > City._meta.get_field("name").max_length:
        problems.append(Problem(here, None, "--name", "城市名称不能为空，且不超过 50 个字符 (a name of 1–50 characters)"))
    if not CITY_CODE.fullmatch(code or ""):
        problems.append(Problem(here, None, "--code", f"城市代码 “{code}” 应为 4 位或 6 位数字的行政区划代码 (four or six digits)"))
    rows = []
    try:
        rows = read_table(counties_data, COUNTIES, name=counties_filename).rows
        if not rows:
            problems.append(Problem(counties_filename, None, None, "文件中没有县(区) (the file lists no county)"))
    except InputError as exc:
        problems.extend(exc.problems)
    User = get_user_model()
    username = (admin_username or "").strip()
    if not username:
        problems.append(Problem(here, None, "--admin", "管理员账号不能为空 (the administrator's username is required)"))
    elif User.objects.filter(username=username).exists():
        problems.append(Problem(here, None, "--admin", f"账号 “{username}” 已存在 (this username is taken)"))
    admin = User(username=username, first_name=Role.CITY_ADMIN.label)
    try:
        validate_password(password, user=admin)
    except ValidationError as exc:
        problems.extend(Problem(password_source, 1, None, f"密码不符合要求：{m}") for m in exc.messages)
    if problems:
        raise InputError(problems)

    city = City.objects.create(code=code, name=name)
    made = [County.objects.create(city=city, code=r["code"], name=r["name"]) for r in rows]
    admin.set_password(password)
    admin.save()
    Membership.objects.create(user=admin, role=Role.CITY_ADMIN)
    have = set(Subject.objects.values_list("code", flat=True))
    subjects = [Subject(code=c, name=n, is_elective=e) for c, n, e in SUBJECTS if c not in have]
    Subject.objects.bulk_create(subjects)
    audit_record(actor=None, action="core.city.set_up", obj=city,
                 after={"city": {"code": code, "name": name}, "counties": [[c.code, c.name] for c in made],
                        "admin": username, "counties_file": counties_filename,
                        "subjects": [s.code for s in subjects]})
    return CitySetup(city=city, counties=made, admin=admin)
