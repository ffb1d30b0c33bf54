"""Shared body of the ``import_schools``, ``import_students`` and ``import_teachers`` commands."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gaozhong.core.services.imports import records_import


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv file, in the columns of the downloadable template")
        parser.add_argument("--user", required=True, help="the account the import is made as (its scope and audit row)")

    def handle(self, *args, file: str, user: str, **opts):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no such user: {user}", returncode=2) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: 文件不存在 (file not found)", returncode=2)
        outcome = records_import(actor=actor, kind=self.kind, data=path.read_bytes(), filename=path.name,
                                 progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        if outcome.problems:
            for p in outcome.problems:
                self.stderr.write(str(p))
            total = max(outcome.total_problems, len(outcome.problems))
            shown = "" if total == len(outcome.problems) else f"，上面列出前 {len(outcome.problems)} 处"
            raise CommandError(f"{total} 处错误{shown}，未写入任何数据 ({total} problems; nothing written)", returncode=2)
        self.stdout.write(f"{outcome.rows} rows: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")
