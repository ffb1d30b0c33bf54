"""``gaozhong registry check DIR --out OUT.csv [--bulk-threshold K] [--bulk-window-days D]``.

Reads registry.csv, attendance.csv, exams.csv, transfers.csv and terms.toml from DIR and writes OUT.csv
(columns kind, student_id, id_number, school_id, evidence; UTF-8, one row per anomaly) and a one-line count
per kind on stdout. Exit 0 on success (also when nothing is found), 2 on bad input or arguments with every problem on stderr and nothing written
(an existing OUT.csv is left byte-identical), 1 when the output cannot be written.

The platform's sub-commands set up Django (in ``gaozhong.site.manage_cli``) and run a management command; the
engine's ``check`` never imports Django:

    gaozhong registry case-import DIR --user U          (the evidence of DIR into the database)
    gaozhong registry db-check --user U --terms-from DIR [--bulk-threshold K] [--bulk-window-days D]
    gaozhong registry db-export --out OUT.csv [--check ID]   (equal to check DIR --out OUT.csv)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]

#: Sub-commands that work on the platform's database: name → Django management command.
PLATFORM = {"case-import": "import_registry_case", "db-check": "registry_check", "db-export": "registry_check_export"}


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # raise instead of exiting the interpreter
        raise _ArgumentError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gaozhong registry", description="学籍异常检查 (student-registry integrity check)",
                     epilog="平台命令 (platform commands, need the database): " + ", ".join(PLATFORM) + "; see docs/registry.md")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="检查一个目录中的学籍数据 (check the registry files in DIR)")
    check.add_argument("dir", metavar="DIR", help="含 registry.csv 等五个文件的目录 (directory with the five input files)")
    check.add_argument("--out", required=True, metavar="OUT.csv", help="结果文件 (output CSV)")
    check.add_argument(
        "--bulk-threshold", type=int, default=10, metavar="K", help="批量转学人次阈值 K ≥ 2 (default 10)"
    )
    check.add_argument(
        "--bulk-window-days", type=int, default=30, metavar="D", help="批量转学时间窗 D ≥ 1 天 (default 30)"
    )
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] in PLATFORM:
        from gaozhong.site import manage_cli  # Django only for the platform's sub-commands

        return manage_cli.main([PLATFORM[argv[0]], *argv[1:]])
    try:
        args = _parser().parse_args(argv)
    except _ArgumentError as exc:
        print(f"gaozhong registry: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    from gaozhong.common.errors import InputError
    from gaozhong.common.outdir import write_files
    from gaozhong.registry.engine import CheckParams, check_directory

    try:
        params = CheckParams(bulk_threshold=args.bulk_threshold, bulk_window_days=args.bulk_window_days)
    except ValueError:
        print(
            "gaozhong registry: --bulk-threshold 须 ≥ 2，--bulk-window-days 须 ≥ 1 "
            f"(K must be at least 2 and D at least 1; got K={args.bulk_threshold}, D={args.bulk_window_days})",
            file=sys.stderr,
        )
        return 2
    out = Path(args.out)
    if out.is_dir():
        print(f"{out}: 是目录，应为文件名 (is a directory; --out names a file)", file=sys.stderr)
        return 2
    try:
        result = check_directory(args.dir, params)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        write_files(out.parent, {out.name: result.to_csv()})
    except OSError as exc:
        print(f"{out}: 无法写入 (cannot write: {exc})", file=sys.stderr)
        return 1
    counts = "，".join(f"{kind} {n}" for kind, n in result.counts().items())
    print(f"{out}: {result.frame.height} 条异常 ({result.frame.height} anomalies): {counts}")
    return 0
