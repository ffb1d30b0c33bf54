"""Shared parts of the evaluation commands: the acting user, reading the file, and refusing with every problem
(exit status 2, nothing written)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


def actor_of(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no such user: {username}", returncode=2) from None


def file_bytes(file: str) -> tuple[bytes, str]:
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"{file}: 文件不存在 (file not found)", returncode=2)
    return path.read_bytes(), path.name


def report(command: BaseCommand, outcome) -> None:
    """Print every problem and exit 2, or print the counts."""
    if outcome.problems:
        for p in outcome.problems:
            command.stderr.write(str(p))
        raise CommandError(f"{len(outcome.problems)} 处错误，未写入任何数据 ({len(outcome.problems)} problems; nothing written)", returncode=2)
    command.stdout.write(f"{outcome.rows} rows: {outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")


class TableImportCommand(BaseCommand):
    """``import_<kind> FILE --user U`` for a table import of this app."""

    function = None  # the service: f(*, actor, data, filename, progress)

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv file, in the columns of the downloadable template")
        parser.add_argument("--user", required=True, help="the account the import is made as (its scope and audit row)")

    def handle(self, *args, file: str, user: str, **opts):
        actor = actor_of(user)
        data, name = file_bytes(file)
        outcome = type(self).function(actor=actor, data=data, filename=name,
                                      progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        report(self, outcome)
