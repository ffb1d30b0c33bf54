"""The people app's answer to the foundation's teacher import (``gaozhong.core.hooks.TeacherIntake``): a person on
the ban list (全行业禁入) is never hired, and every new hire waits for its 准入查询 (seed 002 §三(二); seed 004 §24)."""

from __future__ import annotations

from collections.abc import Iterable

from gaozhong.core.hooks import TeacherIntake
from gaozhong.core.selectors import values_in

from .models import BannedPerson, HireCheck


def banned_among(id_numbers: Iterable[str]) -> set[str]:
    return set(values_in(BannedPerson.objects.all(), "id_number", id_numbers, "id_number"))


def new_hires_wait_for_check(teachers: list) -> None:
    HireCheck.objects.bulk_create([HireCheck(teacher=t) for t in teachers], batch_size=1000)  # inactive until cleared


TEACHER_INTAKE = TeacherIntake(refused=banned_among, created=new_hires_wait_for_check)
