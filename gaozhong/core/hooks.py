"""Where domain apps plug into the foundation, so that ``core`` never imports a domain app.

A domain registers its hooks in its ``AppConfig.ready()``; the foundation calls whatever is registered.

- :class:`TeacherIntake`: the people app keeps the city's ban list (全行业禁入) and the pre-hire check (准入查询,
  seed 002 §三(二)); the foundation's teacher import asks it which new hires to refuse and tells it which
  teachers it created.
- job reaped: a domain whose record follows a job (an admission run) hears which jobs :func:`reap_dead_jobs`
  marked failed, in the reaper's transaction, and marks its record failed too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TeacherIntake:
    """``refused(id_numbers)`` returns the 身份证号 among them that may not be hired (with no reason: the import
    decides what it may tell whom); ``created(teachers)`` is called in the import's transaction with the
    teachers it created."""

    refused: Callable[[Iterable[str]], set[str]]
    created: Callable[[list], None]


_teacher_intake: list[TeacherIntake] = []


def register_teacher_intake(hook: TeacherIntake) -> None:
    if hook not in _teacher_intake:
        _teacher_intake.append(hook)


def teacher_intake_hooks() -> tuple[TeacherIntake, ...]:
    return tuple(_teacher_intake)


_job_reaped: list[Callable[[list[int]], None]] = []


def register_job_reaped(hook: Callable[[list[int]], None]) -> None:
    """``hook(job_ids)`` is called with the ids of jobs whose worker died, after they were marked failed."""
    if hook not in _job_reaped:
        _job_reaped.append(hook)


def job_reaped_hooks() -> tuple[Callable[[list[int]], None], ...]:
    return tuple(_job_reaped)
