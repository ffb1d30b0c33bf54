"""The bodies of ``gaozhong admissions year-import | year-run | year-export`` (Django is set up by ``yearcli``).

Each calls the same service the web application uses: the case import (``services.yearcase``), the recorded run
(``admission_run_create`` + ``admission_run_execute``, what the run job executes) and, for the export, the run's
stored outputs, written with the engine command's own atomic writer.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from gaozhong.admissions.models import AdmissionRun, AdmissionYear
from gaozhong.admissions.services.runs import RunRefused, admission_run_create, admission_run_execute
from gaozhong.admissions.services.yearcase import year_case_import
from gaozhong.common.errors import InputError
from gaozhong.common.outdir import write_files


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        return None


def _say(pct: float, phase: str) -> None:
    print(f"[{pct:3.0f}%] {phase}", file=sys.stderr)


def run(args, *, bad) -> int:
    if args.command == "year-export":
        return export(args.year, args.out, bad=bad)
    actor = _user(args.user)
    if actor is None:
        return bad([f"--user: 没有账号 “{args.user}” (no such user)"])
    try:
        if args.command == "year-import":
            summary = year_case_import(actor=actor, year=args.year, case_dir=args.case, progress=_say)
            print(f"{args.year}: {summary['programs']} programs, {summary['plans']} plans, {summary['candidates']} candidates, "
                  f"{summary['preferences']} preferences ({summary['confirmed']} confirmed)")
            return 0
        return year_run(actor, args.year, bad=bad)
    except InputError as exc:
        return bad(exc.problems)
    except PermissionDenied as exc:
        return bad([f"--user {args.user}: {exc}"])


def year_run(actor, year: int, *, bad) -> int:
    ay = AdmissionYear.objects.filter(year=year).first()
    if ay is None:
        return bad([f"YEAR: 没有 {year} 年招生年度 (no admission year {year})"])
    try:
        run = admission_run_create(actor=actor, year=ay)
    except ValidationError as exc:
        return bad([f"YEAR {year}: " + "; ".join(exc.messages)])
    try:
        admission_run_execute(run=run, progress=_say)
    except InputError as exc:
        AdmissionRun.objects.filter(pk=run.pk).update(status=AdmissionRun.Status.FAILED)
        return bad(exc.problems)
    except RunRefused as exc:
        AdmissionRun.objects.filter(pk=run.pk, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)
        return bad([f"YEAR {year}: {exc}"])
    except Exception:
        AdmissionRun.objects.filter(pk=run.pk).update(status=AdmissionRun.Status.FAILED)
        raise
    run.refresh_from_db()
    print(f"run #{run.pk}: inputs SHA-256 {run.inputs_sha256}")
    return 0


def export(year: int, out: str, *, bad) -> int:
    run = (AdmissionRun.objects.filter(year__year=year, status__in=[AdmissionRun.Status.DONE, AdmissionRun.Status.APPROVED])
           .order_by("-started_at", "-id").first())
    if run is None:
        return bad([f"YEAR: {year} 年没有完成的录取运行 (no finished run of {year})"])
    try:
        files = {"results.csv": run.results_csv, "cutoffs.csv": run.cutoffs_csv, "general_vocational.csv": run.general_vocational_csv,
                 "fill_rates.csv": run.fill_rates_csv}
        write_files(out, {name: text.encode("utf-8") for name, text in files.items() if text})
    except OSError as exc:
        print(f"无法写出结果 (cannot write {out}): {exc}", file=sys.stderr)
        return 1
    return 0
