"""`gaozhong manage setup_city --name NAME --code CODE --counties COUNTIES.csv --admin USERNAME --password-file FILE`:
the first command of a fresh install (city, counties, first city administrator); exit 2 and nothing written on
any problem."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.errors import InputError
from gaozhong.common.textfile import decode_bytes
from gaozhong.core.services.setup import setup_city


class Command(BaseCommand):
    help = "Create the city, its counties (a code,name CSV or .xlsx) and the first city administrator on an empty database"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="城市名称 (the city's name), e.g. 晋阳市")
        parser.add_argument("--code", required=True, help="城市行政区划代码, 4 or 6 digits")
        parser.add_argument("--counties", required=True, help="县(区) file: columns code,name with a header line (UTF-8, BOM accepted; or .xlsx)")
        parser.add_argument("--admin", required=True, help="the city administrator's username")
        parser.add_argument("--password-file", required=True, help="a file whose first line is the administrator's password")

    def handle(self, *args, name: str, code: str, counties: str, admin: str, password_file: str, **opts):
        missing = [f"{p}: 文件不存在 (file not found)" for p in (counties, password_file) if not Path(p).is_file()]
        if missing:
            raise CommandError("\n".join(missing), returncode=2)
        pw_path = Path(password_file)
        try:
            text = decode_bytes(pw_path.read_bytes(), name=pw_path.name)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        lines = text.splitlines()
        password = lines[0] if lines else ""
        if not password:
            raise CommandError(f"{pw_path.name}:1: 第一行是空的，应为密码 (the first line must hold the password)", returncode=2)
        path = Path(counties)
        try:
            done = setup_city(name=name, code=code, counties_data=path.read_bytes(), counties_filename=path.name,
                              admin_username=admin, password=password, password_source=pw_path.name)
        except InputError as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(f"{len(exc.problems)} 处错误，未写入任何数据 ({len(exc.problems)} problems; nothing written)",
                               returncode=2) from None
        self.stdout.write(f"{done.city.name} ({done.city.code}): {len(done.counties)} 个县(区), 市教育局管理员 {done.admin.username}")
