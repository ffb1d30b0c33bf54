"""``gaozhong manage registry_check_export --out OUT.csv [--check ID]`` (also ``gaozhong registry db-export``):
the latest (or given) check's anomalies of the engine's kinds, written as ``gaozhong registry check`` writes
OUT.csv, byte for byte. The platform-only kind ``enrolled_without_admission`` is left out."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gaozhong.common.outdir import write_files
from gaozhong.registry.exports import check_csv
from gaozhong.registry.models import RegistryCheck


class Command(BaseCommand):
    help = "导出学籍检查结果（与命令 OUT.csv 一致）(export a check as the command's OUT.csv)"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="OUT.csv")
        parser.add_argument("--check", type=int, default=None, metavar="ID", help="默认最近一次检查 (default: the latest check)")

    def handle(self, *args, out: str, check, **opts):
        qs = RegistryCheck.objects.all()
        found = qs.filter(pk=check).first() if check else qs.first()
        if found is None:
            raise CommandError("没有这次学籍检查 (no such check)", returncode=2)
        target = Path(out)
        write_files(target.parent, {target.name: check_csv(found)})
        self.stdout.write(f"{target}: check {found.pk}")
