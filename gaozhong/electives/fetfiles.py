"""Where the files of a school's FET jobs are kept: under ``UPLOAD_DIR/electives/fet/school-<id>/`` (outside the
web root), named by the job (``job-<id>-in.fet`` as uploaded, ``job-<id>-solved.fet`` as solved). The user's
file name stays on the job for messages and the download's name, never in a path; the files are served only
by the scoped download view."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from gaozhong.core.models import Job

__all__ = ["JOB_KIND", "school_folder", "input_path", "solved_path", "write_atomic"]

#: ``Job.kind`` of a FET solve
JOB_KIND = "electives.fet"


def school_folder(school_id: int) -> Path:
    return Path(settings.UPLOAD_DIR) / "electives" / "fet" / f"school-{int(school_id)}"


def input_path(job: Job) -> Path:
    return school_folder(job.school_id) / f"job-{job.pk}-in.fet"


def solved_path(job: Job) -> Path:
    return school_folder(job.school_id) / f"job-{job.pk}-solved.fet"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``path`` and rename it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
