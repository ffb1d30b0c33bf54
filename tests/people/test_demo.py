"""The people part of the demo city: figures for every page (rates that differ by county, 教研员 under 72, 师德
records of every state, a banned person, hires waiting for their check), the veto on the demo's anchor
teacher, and the same rows from the same seed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from gaozhong.core.models import School, Teacher
from gaozhong.people import demo as people_demo
from gaozhong.people.models import (
    BannedPerson, Course, EthicsRecord, HireCheck, Move, Nomination, PostRecord, Qualification, TrainingRecord,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The foundation's demo city with only this app's demo data on top (other apps' parts are theirs to test)."""
    from django.db import transaction

    from gaozhong.core import demo as core_demo

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(core_demo, "_domain_demo_modules", lambda: iter([people_demo]))
        with transaction.atomic():
            core_demo.build_demo(seed=2025)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def city_user(demo):
    from django.contrib.auth.models import User

    return User.objects.get(username="city_admin")


def test_rotation_rates_differ_by_county_on_both_sides_of_15_percent(city_user):
    from gaozhong.people.selectors import rotation_rates

    data = rotation_rates(user=city_user, years=[2023, 2024, 2025])
    assert len(data["table"]) == 6
    for year in (2023, 2024, 2025):
        cells = [c for row in data["table"] for c in row["cells"] if c.year == year]
        assert any(c.meets for c in cells) and any(not c.meets for c in cells), year
        assert len({c.percent for c in cells}) >= 5
        assert all(c.headcount > 300 for c in cells)


def test_some_researchers_are_under_72_in_every_county(city_user):
    from gaozhong.people.selectors import reference_date, researchers_below

    for year in (2024, 2025, reference_date().year):
        rows = researchers_below(user=city_user, year=year)
        assert len(rows) == 6
        assert all(1 <= len(r["below"]) < r["researchers"] for r in rows), year
        assert all(x["hours"] < 72 for r in rows for x in r["below"])


def test_ethics_records_of_every_state_and_the_anchor_is_vetoed(city_user):
    from gaozhong.people.services.nominations import nominate
    from gaozhong.people.services.veto import VetoRefused

    S = EthicsRecord.Status
    assert EthicsRecord.objects.filter(status=S.OPEN).count() >= 3
    assert EthicsRecord.objects.filter(status=S.DISMISSED).exists()
    today = dt.date(2026, 8, 31)
    assert EthicsRecord.objects.filter(status=S.SANCTIONED, period_end__gte=today).exists()
    assert EthicsRecord.objects.filter(status=S.SANCTIONED, period_end__lt=today).exists()
    anchor = Teacher.objects.filter(school=School.objects.get(code="G0101"), post="专任教师").order_by("pk").first()
    assert anchor.ethics_records.filter(status=S.OPEN).exists()
    with pytest.raises(VetoRefused):
        nominate(actor=city_user, teacher=anchor, kind="title", target_title="正高级")


def test_banned_people_and_waiting_hires(city_user):
    from gaozhong.people.services.hiring import BanRefused, teacher_hire

    ban = BannedPerson.objects.first()
    assert ban is not None and not Teacher.objects.filter(id_number=ban.id_number).exists()
    with pytest.raises(BanRefused):
        teacher_hire(actor=city_user, school=School.objects.get(code="G0101"), staff_no="NEW1", name=ban.name, id_number=ban.id_number,
                     gender="男", hire_date=dt.date(2026, 8, 20))
    assert HireCheck.objects.filter(status="pending").count() == 4
    assert Nomination.objects.filter(status="submitted").exists()


def test_structural_shortages_show(city_user):
    from gaozhong.people.selectors import school_staffing

    data = school_staffing(user=city_user)
    short = {code for c in data["counties"] for code, v in c.shortage.items() if v > 0}
    assert {"XL", "TJ"} <= short
    assert any(s.ratio_gap != 0 for s in data["schools"])


def _digest() -> str:
    h = hashlib.sha256()
    for qs in (Qualification.objects.values_list("teacher__staff_no", "name", "obtained_on"),
               PostRecord.objects.values_list("teacher__staff_no", "post", "duty", "started_on", "ended_on"),
               Move.objects.values_list("teacher__staff_no", "kind", "moved_on", "from_school_id", "to_school_id"),
               TrainingRecord.objects.values_list("teacher__staff_no", "course__code", "completed_on", "hours"), Course.objects.values_list("code", "name", "hours"),
               EthicsRecord.objects.values_list("teacher__staff_no", "status", "period_end"), BannedPerson.objects.values_list("id_number"),
               Nomination.objects.values_list("teacher__staff_no", "kind", "target_title", "status"),
               HireCheck.objects.values_list("teacher__staff_no", "teacher__id_number", "status"),
               Teacher.objects.values_list("staff_no", "title")):
        for row in sorted(qs, key=repr):
            h.update(repr(row).encode())
    return h.hexdigest()


def test_the_same_seed_gives_the_same_rows(demo):
    from django.db import transaction

    from gaozhong.people.services.nominations import TITLE_ORDER

    first = _digest()
    with transaction.atomic():
        # Undo the demo's own changes to the foundation's rows (approved titles), then remove its rows and rebuild.
        for n in Nomination.objects.filter(kind="title", status="approved"):
            Teacher.objects.filter(pk=n.teacher_id).update(title=TITLE_ORDER[TITLE_ORDER.index(n.target_title) - 1])
        Teacher.objects.filter(staff_no__startswith="N").delete()
        for model in (TrainingRecord, Course, Nomination, BannedPerson, EthicsRecord, HireCheck, Move, PostRecord, Qualification):
            model.objects.all().delete()
        assert _digest() != first
        people_demo.build(seed=2025, progress=lambda s: None)
        second = _digest()
        transaction.set_rollback(True)
    assert second == first
