"""How each model says where it lives: the lookup paths the scoping layer filters on.

A model declares ``scope_paths = ScopePaths(county=..., school=..., admin_class=..., teacher=..., student=...)``;
each is a Django lookup from the model to that owner (``"school__county"``), or ``None`` when users of that
role never see rows of the model. ``gaozhong.core.scoping`` is the only reader of these paths.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopePaths:
    county: str | None
    school: str | None
    admin_class: str | None = None  # a teacher sees rows whose class they teach
    teacher: str | None = None  # a teacher sees rows that are theirs
    student: str | None = None  # a student or parent sees their own rows
    candidate: str | None = None  # a 中考 candidate (or parent) sees their own rows
    everyone: bool = False  # published information every signed-in role may read (plans, programs)
