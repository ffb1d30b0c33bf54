"""Small builders for the people tests: rows created directly (test set-up, not a user's write)."""

from __future__ import annotations

import datetime as dt
from itertools import count

from gaozhong.core.models import Teacher
from gaozhong.importer.idnumber import check_character

_seq = count(1)


def idn(n: int, region: str = "149901", born: str = "19900101") -> str:
    first = f"{region}{born}{n % 1000:03d}"
    return first + check_character(first)


def teacher(place, *, post: str = Teacher.Post.TEACHING, subjects=(), hired=dt.date(2012, 9, 1), school=True, **kw) -> Teacher:
    k = next(_seq)
    t = Teacher.objects.create(school=place.school if school else None, county=place.county, staff_no=kw.pop("staff_no", f"X{place.county.code}{k:04d}"),
                               name=kw.pop("name", f"教师{k}"), id_number=kw.pop("id_number", idn(500 + k, born="19880303")), gender="女",
                               hire_date=hired, post=post, **kw)
    if subjects:
        t.subjects.set(subjects)
    return t


def ethics(teacher_obj, *, status="open", start=None, end=None, sanction=""):
    from gaozhong.people.models import EthicsRecord

    if status == "sanctioned" and not sanction:
        sanction = "warning"
    return EthicsRecord.objects.create(teacher=teacher_obj, category="paid_tutoring", occurred_on=dt.date(2025, 3, 1), summary="有偿补课",
                                       status=status, sanction=sanction, period_start=start, period_end=end)
