"""Every URL of the people app that takes an id, with the object of a place it takes, for the foundation's
scoping walker (tests/core/test_scoping.py). The walker also compares a snapshot of the people tables before
and after an outsider's requests."""

from __future__ import annotations

import datetime as dt


def _snapshot():
    from gaozhong.core.models import Teacher
    from gaozhong.people.models import (
        BannedPerson, Course, EthicsRecord, HireCheck, Move, Nomination, PostRecord, Qualification, TrainingRecord,
    )

    return (
        Qualification.objects.count(), PostRecord.objects.count(), Move.objects.count(), BannedPerson.objects.count(),
        Course.objects.count(), TrainingRecord.objects.count(),
        list(HireCheck.objects.order_by("pk").values_list("status", "reference")),
        list(EthicsRecord.objects.order_by("pk").values_list("status", "sanction", "period_end")),
        list(Nomination.objects.order_by("pk").values_list("status", "decided_on")),
        list(Teacher.objects.order_by("pk").values_list("school", "county", "post", "title")),
    )


def _watch():
    from tests.core import test_scoping

    if _snapshot not in test_scoping.STATE_EXTRA:
        test_scoping.STATE_EXTRA.append(_snapshot)


def _teacher(world, place):
    _watch()
    return place.teacher


def _school(world, place):
    _watch()
    return place.school


def _ethics(world, place):
    from .factories import ethics

    _watch()
    return ethics(place.teacher)


def _hire_check(world, place):
    from gaozhong.people.models import HireCheck

    from .factories import teacher

    _watch()
    return HireCheck.objects.create(teacher=teacher(place), requested_on=dt.date(2025, 8, 1))


def _nomination(world, place):
    from gaozhong.people.models import Nomination

    _watch()
    return Nomination.objects.create(teacher=place.teacher, kind="title", target_title="高级")


OBJECT_URLS = {
    "people_teacher": _teacher,
    "people_qualification_add": _teacher,
    "people_post_change": _teacher,
    "people_ethics_add": _teacher,
    "people_nominate": _teacher,
    "people_move": _teacher,
    "people_ethics_detail": _ethics,
    "people_ethics_decide": _ethics,
    "people_hire_check": _hire_check,
    "people_nomination_decide": _nomination,
    "people_staffing_school": _school,
}
