"""``gaozhong manage import_registry_case DIR --user U`` (also ``gaozhong registry case-import``): the evidence of
the case directory ``gaozhong registry check DIR`` reads (attendance.csv, exams.csv, transfers.csv), after the
engine's own validation and a check of registry.csv against the platform's registry."""

from django.core.management.base import BaseCommand

from gaozhong.registry.services.imports import registry_case_import

from ._base import actor_of, refuse


class Command(BaseCommand):
    help = "导入学籍检查的案例目录 (import an engine case directory's evidence)"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="DIR with registry.csv, attendance.csv, exams.csv, transfers.csv, terms.toml")
        parser.add_argument("--user", required=True)

    def handle(self, *args, dir: str, user: str, **opts):
        out = registry_case_import(actor=actor_of(user), directory=dir, progress=lambda pct, phase: self.stderr.write(f"[{pct:3.0f}%] {phase}"))
        if out.problems:
            refuse(self, out.problems)
        written = ", ".join(f"{k} {v}" for k, v in out.counts.items())
        self.stdout.write(f"written: {written}; terms: current {out.terms.current}, examined {','.join(out.terms.examined)}")
