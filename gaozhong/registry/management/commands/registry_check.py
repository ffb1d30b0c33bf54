"""``gaozhong manage registry_check --user U (--terms-from DIR | --current-term T --terms A,B) [--bulk-threshold K]
[--bulk-window-days D]`` (also ``gaozhong registry db-check``): the registry check on the platform's data,
recorded exactly as the registry page runs it."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.errors import InputError
from gaozhong.registry.engine import CheckParams, read_terms
from gaozhong.registry.services.checks import registry_check_run

from ._base import actor_of


class Command(BaseCommand):
    help = "在平台数据上运行学籍检查并记录 (run and record the registry check on the platform's data)"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--terms-from", metavar="DIR", help="读取 DIR/terms.toml (the terms of a case directory)")
        parser.add_argument("--current-term", metavar="T")
        parser.add_argument("--terms", metavar="A,B", help="检查学期，逗号分隔 (examined terms, comma-separated)")
        parser.add_argument("--bulk-threshold", type=int, default=CheckParams().bulk_threshold, metavar="K")
        parser.add_argument("--bulk-window-days", type=int, default=CheckParams().bulk_window_days, metavar="D")

    def handle(self, *args, user, terms_from, current_term, terms, bulk_threshold, bulk_window_days, **opts):
        if terms_from:
            try:
                t = read_terms(Path(terms_from) / "terms.toml")
            except InputError as exc:
                raise CommandError(str(exc), returncode=2) from None
            current_term, examined = t.current, list(t.examined)
        elif current_term and terms:
            examined = [x.strip() for x in terms.split(",") if x.strip()]
        else:
            raise CommandError("give --terms-from DIR, or --current-term and --terms", returncode=2)
        try:
            check = registry_check_run(actor=actor_of(user), current_term=current_term, terms=examined,
                                       bulk_threshold=bulk_threshold, bulk_window_days=bulk_window_days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        counts = "，".join(f"{k} {n}" for k, n in check.counts.items())
        self.stdout.write(f"check {check.pk}: {sum(check.counts.values())} anomalies ({counts})")
