"""The ``gaozhong`` command: one entry point for the web demo, Django management and every engine.

Engine commands (``admissions``, ``timetable``, ``evaluation``, ``registry``) import only their engine, never
Django, so they start fast and run on a machine without a database. Each domain owns its sub-command in
``gaozhong/<domain>/cli.py``, which exposes ``main(argv) -> int``; this module only routes to it.

Exit status: 0 success, 2 bad input (messages on stderr name file, line, column and reason), 3 infeasible
input where a command can say so, 1 anything else.
"""

from __future__ import annotations

import importlib
import sys

# name -> (module with main(argv), one-line help in Chinese and English)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("gaozhong.site.demo_cli", "构建示范城市并启动网站与任务进程 (build the demo city and serve it)"),
    "serve": ("gaozhong.site.serve", "生产环境：gunicorn 网站与任务进程 (production: gunicorn and job workers)"),
    "manage": ("gaozhong.site.manage_cli", "Django 管理命令 (pass through to Django's management commands)"),
    "admissions": ("gaozhong.admissions.cli", "统一招生录取引擎 (admission run, 指标到校 quota split)"),
    "timetable": ("gaozhong.electives.cli", "选课走班与排课 (teaching classes and timetable solve)"),
    "evaluation": ("gaozhong.evaluation.cli", "增值评价 (value-added model fit)"),
    "registry": ("gaozhong.registry.cli", "学籍异常检查 (student-registry integrity check)"),
    "supervision": ("gaozhong.supervision.cli", "督导通报 (supervision progress reports)"),
}


def _usage() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [
        "usage: gaozhong <command> [arguments]",
        "",
        "高中教育管理平台 gaozhong: commands (命令):",
    ]
    for name, (_, text) in COMMANDS.items():
        lines.append(f"  {name.ljust(width)}  {text}")
    lines += ["", "gaozhong <command> --help shows a command's own arguments."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    if args[0] == "--version":
        from gaozhong import __version__

        print(f"gaozhong {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"gaozhong: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name = COMMANDS[name][0]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            print(f"gaozhong: command {name!r} is not available in this build ({module_name} missing)", file=sys.stderr)
            return 1
        raise
    return int(module.main(rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
