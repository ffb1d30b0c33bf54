"""``gaozhong admissions year-import | year-run | year-export``: the engine's case format as the platform's
exchange format (these sub-commands need the database; the engine's own sub-commands in ``cli.py`` do not).

    gaozhong admissions year-import YEAR CASE --user U   # a case directory as the year's plans, programs,
                                                         # candidates and confirmed preferences
    gaozhong admissions year-run YEAR --user U           # a recorded run, as the admissions page starts it
    gaozhong admissions year-export YEAR --out OUT       # the latest run's results.csv and cutoffs.csv (and, for a
                                                         # 高中阶段 year, general_vocational.csv and fill_rates.csv)

For any case, ``year-import`` + ``year-run`` + ``year-export`` writes the same bytes as
``gaozhong admissions run CASE --out OUT``. Exit status: 0 success, 2 bad input (every problem on stderr with
file, line, column and reason; nothing written), 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys

import django

__all__ = ["main", "COMMANDS"]

COMMANDS = ("year-import", "year-run", "year-export")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gaozhong admissions", description="招生年度的导入、运行与导出 (admission year on the platform)")
    sub = ap.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("year-import", help="把录取案例导入为本年度的计划、专业、考生和已确认志愿")
    imp.add_argument("year", type=int, metavar="YEAR")
    imp.add_argument("case", metavar="CASE", help="目录: programs.csv students.csv preferences.csv policy.toml")
    imp.add_argument("--user", required=True, help="市教育局账号 (a city administrator's username)")
    run = sub.add_parser("year-run", help="运行本年度录取（记录输入摘要，与网页相同）")
    run.add_argument("year", type=int, metavar="YEAR")
    run.add_argument("--user", required=True, help="市教育局账号 (a city administrator's username)")
    exp = sub.add_parser("year-export", help="写出最近一次录取运行的 results.csv 与 cutoffs.csv")
    exp.add_argument("year", type=int, metavar="YEAR")
    exp.add_argument("--out", required=True, metavar="OUT", help="输出目录 (output directory)")
    return ap


def _bad(lines) -> int:
    print("输入有误，未写入任何数据 (bad input; nothing was written):", file=sys.stderr)
    for line in lines:
        print(line, file=sys.stderr)
    return 2


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    django.setup()


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    _setup()
    # Django is set up only now: the app modules below need it (this module is loaded only for these commands).
    from gaozhong.admissions import yearcommands

    return yearcommands.run(args, bad=_bad)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
