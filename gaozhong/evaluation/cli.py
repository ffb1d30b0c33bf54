"""The ``gaozhong evaluation`` command: fit the value-added model (增值评价) to a CSV file and print the result.

    gaozhong evaluation value-added DATA.csv --outcome COL --group COL [--covariate COL …]
                                    [--min-group-size N] [--json]

DATA.csv has one row per student. The model is ``outcome ~ covariates + (1 | group)`` fitted by exact REML.
With ``--json`` the result is one JSON object (keys ``fixed``, ``group_variance``, ``residual_variance``, ``n``,
``groups``, ``reml``, ``effects``); without it, a readable table. Effects are listed in the order each group
first appears in DATA.csv: the output is deliberately not a ranking (seed 004 §8).

The platform's sub-commands set up Django (in ``gaozhong.site.manage_cli``) and run a management command; the
engine sub-command above never imports Django:

    gaozhong evaluation year-import YEAR DATA.csv --outcome Y --group G [--covariate X …] --user U
    gaozhong evaluation year-run YEAR --user U [--min-group-size N]
    gaozhong evaluation year-export YEAR --out OUT.json      (equal to value-added --json on the same data)
    gaozhong evaluation year-data YEAR --out DATA.csv        (the data a run of YEAR fits, in the engine's CSV)

Exit status: 0 success, 2 bad input (every problem on stderr with file, line and column; nothing on stdout),
1 anything else. Only argparse and json are imported before the command runs; the engine brings NumPy and
Polars, never SciPy.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main"]

PROG = "gaozhong evaluation"

#: Sub-commands that work on the platform's database: name → Django management command.
PLATFORM = {"year-import": "import_value_added", "year-run": "value_added_run", "year-export": "value_added_export",
            "year-data": "value_added_data"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="增值评价 (value-added evaluation of schools)",
        epilog="平台命令 (platform commands, need the database): " + ", ".join(PLATFORM) + "; see docs/value_added.md")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    va = actions.add_parser(
        "value-added",
        help="拟合随机截距模型并给出各组增值 (fit outcome ~ covariates + (1|group) by REML; effects per group)",
        description=(
            "拟合 outcome ~ covariates + (1 | group)（REML），输出各组增值（EBLUP）、标准误、95%% 区间和标记。"
            " (Fit by exact REML; print each group's effect, standard error, 95%% interval and label. Groups are"
            " listed in the order they first appear in DATA.csv, not ranked.)"
        ),
    )
    va.add_argument("data", metavar="DATA.csv", help="每行一名学生 (one row per student)")
    va.add_argument("--outcome", required=True, metavar="COL", help="结果变量列，如高考总分 (outcome column, e.g. gaokao total)")
    va.add_argument("--group", required=True, metavar="COL", help="分组列，如学校 (group column, e.g. school)")
    va.add_argument(
        "--covariate",
        action="extend",
        nargs="+",
        default=[],
        metavar="COL",
        help="协变量列，如中考总分，可多个 (covariate column, e.g. entry score; repeat or list several)",
    )
    va.add_argument(
        "--min-group-size",
        type=int,
        default=10,
        metavar="N",
        help="少于 N 名学生的组不标记 above/below (groups with fewer than N students are labelled none; default 10)",
    )
    va.add_argument("--json", action="store_true", help="输出 JSON (print JSON instead of a table)")
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] in PLATFORM:
        from gaozhong.site import manage_cli  # Django only for the platform's sub-commands

        return manage_cli.main([PLATFORM[argv[0]], *argv[1:]])
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    if args.action == "value-added":
        return _value_added(args)
    return 1  # pragma: no cover - argparse allows no other action


def _argument_problems(args: argparse.Namespace) -> list[str]:
    problems = []
    if args.min_group_size < 1:
        problems.append(f"--min-group-size 须为正整数 (must be a positive whole number, got {args.min_group_size})")
    roles = [("--outcome", args.outcome), ("--group", args.group)] + [("--covariate", c) for c in args.covariate]
    seen: dict[str, str] = {}
    for flag, column in roles:
        if column in seen:
            first = seen[column]
            problems.append(f"列 {column} 同时用作 {first} 和 {flag} (column {column!r} is given as both {first} and {flag})")
        else:
            seen[column] = flag
    if "Intercept" in args.covariate:
        problems.append("协变量不能叫 Intercept，这是截距的名称 (a covariate cannot be named 'Intercept', the intercept's key)")
    return problems


def _value_added(args: argparse.Namespace) -> int:
    problems = _argument_problems(args)
    if problems:
        for text in problems:
            print(f"{PROG} value-added: {text}", file=sys.stderr)
        return 2
    from gaozhong.common.errors import InputError

    from .engine.reader import read_value_added_csv
    from .engine.value_added import fit_value_added

    try:
        data = read_value_added_csv(args.data, outcome=args.outcome, group=args.group, covariates=args.covariate)
        result = fit_value_added(data, min_group_size=args.min_group_size)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # anything unforeseen: exit 1 with the reason, print nothing on stdout
        print(f"{PROG} value-added: 内部错误 (internal error): {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(result, data))
    return 0


def result_json(result) -> dict:
    """The JSON object of the contract (issue 9 §1), with the convergence evidence under ``reml``."""
    fit = result.fit
    return {
        "fixed": dict(fit.fixed),
        "group_variance": fit.group_variance,
        "residual_variance": fit.residual_variance,
        "n": fit.n,
        "groups": fit.groups,
        "reml": {
            "loglik": fit.loglik,
            "ratio": fit.ratio,
            "gradient": fit.gradient,
            "boundary": fit.boundary,
        },
        "effects": [
            {
                "group": e.group,
                "n": e.n,
                "effect": e.effect,
                "se": e.se,
                "ci_low": e.ci_low,
                "ci_high": e.ci_high,
                "label": e.label,
            }
            for e in result.effects
        ],
    }


def _width(text: str) -> int:
    """Display width in a terminal: wide and full-width characters (e.g. 汉字) take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def render_table(result, data) -> str:
    """The readable report: model, estimates, convergence, then one line per group in file order."""
    fit = result.fit
    terms = " + ".join(data.covariates) if data.covariates else "1"
    lines = [
        f"增值评价 value-added model (REML): {data.outcome} ~ {terms} + (1 | {data.group})",
        f"文件 file: {data.source}    学生 students: {fit.n}    分组 groups: {fit.groups}",
        "固定效应 fixed effects:",
    ]
    width = max(_width(k) for k in fit.fixed)
    for name, value in fit.fixed.items():
        lines.append(f"  {_pad(name, width)}  {value: .6f}")
    lines += [
        f"组间方差 group variance (tau):       {fit.group_variance:.6f}",
        f"残差方差 residual variance (sigma2): {fit.residual_variance:.6f}",
        f"REML 对数似然 log-likelihood: {fit.loglik:.4f}    λ = tau/sigma2 = {fit.ratio:.6g}",
        f"收敛 convergence: dℓ/d(tau) = {fit.gradient:.3g}"
        + ("  (边界 boundary tau = 0: 梯度 ≤ 0 gradient ≤ 0)" if fit.boundary else ""),
        f"标记 label: above/below 仅当 95% 区间不含 0 且 n ≥ {result.min_group_size} "
        f"(only when the 95% interval excludes 0 and n ≥ {result.min_group_size}); 其余 none",
        "顺序 order: 各组在文件中首次出现的顺序，不是排名 (order of first appearance in the file, not a ranking)",
        "",
    ]
    header = ["group", "n", "effect", "se", "ci_low", "ci_high", "label"]
    cells = [
        [e.group, str(e.n), f"{e.effect:.4f}", f"{e.se:.4f}", f"{e.ci_low:.4f}", f"{e.ci_high:.4f}", e.label]
        for e in result.effects
    ]
    widths = [max(_width(row[i]) for row in [header, *cells]) for i in range(len(header))]
    for row in [header, *cells]:
        parts = [_pad(row[0], widths[0])] + [_pad(v, widths[i], right=True) for i, v in enumerate(row[1:-1], 1)]
        parts.append(row[-1])
        lines.append("  ".join(parts))
    return "\n".join(lines) + "\n"
