"""FET files on the web: a school's staff upload a FET 6 file and get it back solved (a background job; the file
is checked first and refused with every problem, nothing kept), download the solved file, and download any stored
timetable as a FET file. Each is audited; the files stay in the school's own folder (``fetfiles``).

Who: the school's 教务 and the bureaus above it (city, its county), as the scoping layer places the school.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from gaozhong.common.errors import InputError
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Job, School
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.services.jobs import job_start
from gaozhong.electives.engine.fet.parse import parse_fet_text

from ..exports import timetable_fet
from ..fetfiles import JOB_KIND, input_path, solved_path, write_atomic
from ..models import Timetable
from ..tasks import run_fet_job
from .common import STAFF_ROLES, Refused, place, require_staff_write
from .timetables import MAX_TIME_LIMIT

__all__ = ["FET_MAX_BYTES", "fet_solve_start", "fet_solved_file", "timetable_fet_export"]

#: the largest FET file accepted (FET's own example of a 2 000-activity school is 2 MB)
FET_MAX_BYTES = 20 * 1024 * 1024


def _require_staff_read(actor, obj, what: str) -> None:
    """403 unless ``actor`` is staff of a place that holds ``obj``; 404 (as the scoping layer gives) if they may not see it."""
    if scope_of(actor).role not in STAFF_ROLES:
        raise PermissionDenied(f"当前角色无权下载{what} (your role may not download this)")
    if not visible(type(obj), actor).filter(pk=obj.pk).exists():
        raise Http404("不存在或无权查看 (not found)")


@transaction.atomic
def fet_solve_start(*, actor, school: School, data: bytes, filename: str, time_limit: int = 60, seed: int = 0) -> Job:
    """Check an uploaded FET file and start its solve as a job of ``school``; refused with every problem (XML
    line and reason, each unsupported constraint type with its count …) and nothing kept otherwise."""
    require_staff_write(actor, school, "该学校的排课")
    problems = []
    if not filename.lower().endswith(".fet"):
        problems.append(f"“{filename}” 不是 .fet 文件 (upload a .fet file)")
    if len(data) > FET_MAX_BYTES:
        problems.append(f"文件 {len(data) / 1024 / 1024:.1f} MB，超过 {FET_MAX_BYTES // 1024 // 1024} MB (file too large)")
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        problems.append(f"时限须在 5–{MAX_TIME_LIMIT} 秒之间 (time limit must be 5–{MAX_TIME_LIMIT} s)")
    if problems:
        raise Refused(problems)
    try:
        fet = parse_fet_text(data, filename)
    except InputError as exc:
        raise Refused([str(p) for p in exc.problems]) from None
    if not fet.activities:
        raise Refused([f"{filename}: 没有可排的活动 (no active activity to place)"])
    job = job_start(actor=actor, kind=JOB_KIND, title=f"FET 排课：{filename}", task=run_fet_job,
                    params={"filename": filename, "time_limit": time_limit, "seed": seed, "activities": len(fet.activities)},
                    county_id=school.county_id, school_id=school.pk)
    path = input_path(job)
    write_atomic(path, data)
    try:
        audit_record(actor=actor, action="electives.fet.uploaded", obj=job, object_repr=filename[:200], county_id=school.county_id,
                     school_id=school.pk, after={"filename": filename, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                                 "activities": len(fet.activities), "constraints": len(fet.constraints),
                                                 "time_limit": time_limit, "seed": seed})
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return job


@transaction.atomic
def fet_solved_file(*, actor, job: Job) -> Path:
    """The solved FET file of a finished FET job of the actor's place (audited), else 404."""
    if job.kind != JOB_KIND:
        raise Http404("不是 FET 排课任务 (not a FET job)")
    _require_staff_read(actor, job, "排好的 FET 文件")
    path = solved_path(job)
    if job.status != Job.Status.SUCCEEDED or not path.exists():
        raise Http404("排好的文件尚未生成 (not ready)")
    audit_record(actor=actor, action="electives.fet.downloaded", obj=job, object_repr=job.params.get("filename", "")[:200],
                 county_id=job.county_id, school_id=job.school_id, after={"bytes": path.stat().st_size})
    return path


@transaction.atomic
def timetable_fet_export(*, actor, timetable: Timetable) -> str:
    """A stored timetable as a FET file, every lesson locked in time and room (audited)."""
    _require_staff_read(actor, timetable, "该课表")
    text = timetable_fet(timetable)
    audit_record(actor=actor, action="electives.timetable.fet_exported", obj=timetable, **place(timetable.window),
                 after={"bytes": len(text.encode("utf-8"))})
    return text
