"""Shared parts of the registry commands: the acting user, reading the file, and refusing with every problem
(exit status 2, nothing written)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gaozhong.registry.services.imports import registry_import


def actor_of(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no such user: {username}", returncode=2) from None


def refuse(command: BaseCommand, problems) -> None:
    for p in problems:
        command.stderr.write(str(p))
    raise CommandError(f"{len(problems)} 处错误，未写入任何数据 ({len(problems)} problems; nothing written)", returncode=2)


class EvidenceImportCommand(BaseCommand):
    """``import_<kind> FILE --user U`` for one evidence file."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv file, in the columns of the downloadable template")
        parser.add_argument("--user", required=True, help="the account the import is made as (its scope and audit row)")

    def handle(self, *args, file: str, user: str, **opts):
        actor = actor_of(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: 文件不存在 (file not found)", returncode=2)
        outcome = registry_import(actor=actor, kind=self.kind, data=path.read_bytes(), filename=path.name,
                                  progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        if outcome.problems:
            refuse(self, outcome.problems)
        self.stdout.write(f"{outcome.rows} rows: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")
