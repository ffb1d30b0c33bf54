"""Shared body of ``import_zhongkao``, ``import_plans`` and ``import_preferences``: one file, as one user, for a
year (the current admission year unless ``--year``); all or nothing, every problem with sheet, row and column;
exit status 2 on bad input."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from gaozhong.admissions.selectors import current_admission_year
from gaozhong.admissions.services.imports import admissions_import


class AdmissionsImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv file, in the columns of the downloadable template")
        parser.add_argument("--user", required=True, help="the account the import is made as (its scope and audit row)")
        parser.add_argument("--year", type=int, help="招生年份 (default: the current admission year)")

    def handle(self, *args, file: str, user: str, year: int | None, **opts):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no such user: {user}", returncode=2) from None
        if year is None:
            current = current_admission_year()
            if current is None:
                raise CommandError("还没有招生年度，请用 --year 指定 (no admission year; pass --year)", returncode=2)
            year = current.year
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: 文件不存在 (file not found)", returncode=2)
        try:
            outcome = admissions_import(actor=actor, kind=self.kind, year=year, data=path.read_bytes(), filename=path.name,
                                        progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        except PermissionDenied as exc:
            raise CommandError(f"--user {user}: {exc}", returncode=2) from None
        if outcome.problems:
            for p in outcome.problems:
                self.stderr.write(str(p))
            raise CommandError(f"{len(outcome.problems)} 处错误，未写入任何数据 ({len(outcome.problems)} problems; nothing written)", returncode=2)
        self.stdout.write(f"{year}: {outcome.rows} rows: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")
