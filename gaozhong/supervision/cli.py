"""``gaozhong supervision report --year Y [--county C] --format pdf|html --out FILE``: the 通报 as a file.

Sets Django up itself (like ``gaozhong manage``) and reads the database the settings point at, for instance the
demo's (``gaozhong demo --no-serve`` builds it). Without ``--year`` the latest complete school year is used (the
one before the current year). ``--county`` takes a county code or name. The file is written atomically.
Exit status: 0 written, 2 bad arguments (unknown county or year, no catalog loaded), 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gaozhong supervision", description="督导通报 (supervision progress reports)")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="生成督导通报 (write a progress report)")
    r.add_argument("--year", type=int, help="学年起始年份，默认最近一个完整学年 (school year by its starting year)")
    r.add_argument("--county", help="县(区)代码或名称；省略为全市 (county code or name; the city if omitted)")
    r.add_argument("--format", choices=["pdf", "html"], default="pdf")
    r.add_argument("--out", required=True, help="输出文件 (output file)")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    import django

    django.setup()
    from django.db.models import Q

    from gaozhong.common.outdir import write_files
    from gaozhong.core.models import County, SchoolYear

    from .models import Indicator
    from .report import render
    from .selectors import latest_complete_year

    if not Indicator.objects.exists():
        print("gaozhong supervision: 数据库中没有督导指标目录；先运行 gaozhong demo --no-serve (no catalog in the database)", file=sys.stderr)
        return 2
    year = args.year if args.year is not None else latest_complete_year()
    if year is None or not SchoolYear.objects.filter(start_year=year).exists():
        known = ", ".join(str(y) for y in SchoolYear.objects.order_by("start_year").values_list("start_year", flat=True))
        print(f"gaozhong supervision: 没有 {year} 学年 (no such school year); 可用 (known): {known}", file=sys.stderr)
        return 2
    county = None
    if args.county:
        county = County.objects.filter(Q(code=args.county) | Q(name=args.county)).first()
        if county is None:
            names = "、".join(f"{c.code} {c.name}" for c in County.objects.order_by("code"))
            print(f"gaozhong supervision: 找不到县(区) “{args.county}” (no such county); 可用 (known): {names}", file=sys.stderr)
            return 2
    data = render(year=year, county=county, fmt=args.format)
    out = Path(args.out)
    write_files(out.parent if str(out.parent) else ".", {out.name: data})
    where = county.name if county else "全市"
    print(f"已写入 {out}（{where} {year}-{year + 1} 学年，{args.format.upper()}，{len(data)} 字节） (written)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
