"""Choosing electives: a student's own choice before the deadline (audited, each change), refusals that write
nothing, staff corrections, the window's statistics and needs, and opening and setting up a window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gaozhong.core.models import AuditEvent
from gaozhong.electives.models import Choice, Window
from gaozhong.electives.rules import COMBINATIONS, check_combination
from gaozhong.electives.selectors import choice_stats, needs
from gaozhong.electives.services.choices import choice_set
from gaozhong.electives.services.common import Refused
from gaozhong.electives.services.windows import window_create, window_update

from .factories import elective_grade

pytestmark = pytest.mark.django_db


def audit(action):
    return AuditEvent.objects.filter(action=action).count()


def test_the_rule_accepts_exactly_the_twelve_combinations():
    import itertools

    subjects = ["WL", "LS", "HX", "SW", "ZZ", "DL"]
    ok = {tuple(sorted(c)) for c in itertools.combinations(subjects, 3) if not check_combination(list(c))}
    assert ok == {tuple(sorted(c)) for c in COMBINATIONS} and len(ok) == 12
    assert check_combination(["WL", "LS", "HX"])  # both first subjects
    assert check_combination(["WL", "HX"])  # two subjects
    assert check_combination(["WL", "HX", "HX"])  # twice
    assert check_combination(["WL", "HX", "YW"])  # a core subject


def test_student_chooses_and_changes_before_the_deadline_each_change_audited(world):
    window = elective_grade(world, choose=False)
    me = world.a.student
    choice_set(actor=world.a.student_user, window=window, student=me, codes=["HX", "WL", "SW"])
    assert Choice.objects.get(window=window, student=me).electives == "WL;HX;SW"
    choice_set(actor=world.a.student_user, window=window, student=me, codes=["LS", "ZZ", "DL"])
    ev = AuditEvent.objects.filter(action="electives.choice.set").order_by("pk")
    assert ev.count() == 2
    assert ev.last().before == {"electives": "WL;HX;SW"} and ev.last().after["electives"] == "LS;ZZ;DL"
    choice_set(actor=world.a.student_user, window=window, student=me, codes=["LS", "ZZ", "DL"])  # no change, no row
    assert ev.count() == 2


def test_student_refused_after_the_deadline_and_for_someone_else(world):
    window = elective_grade(world, choose=False)
    me, other = world.a.student, world.a.other_student
    with pytest.raises(PermissionDenied):
        choice_set(actor=world.a.student_user, window=window, student=other, codes=["WL", "HX", "SW"])
    Window.objects.filter(pk=window.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    window.refresh_from_db()
    with pytest.raises(Refused) as exc:
        choice_set(actor=world.a.student_user, window=window, student=me, codes=["WL", "HX", "SW"])
    assert "截止" in exc.value.reasons[0]
    assert not Choice.objects.exists() and audit("electives.choice.set") == 0
    # the school's staff may still correct a choice after the deadline, audited the same way
    choice_set(actor=world.a.school_user, window=window, student=me, codes=["WL", "HX", "SW"])
    assert audit("electives.choice.set") == 1


def test_invalid_combination_and_outsiders_are_refused(world):
    window = elective_grade(world, choose=False)
    with pytest.raises(Refused) as exc:
        choice_set(actor=world.a.student_user, window=window, student=world.a.student, codes=["WL", "LS", "HX"])
    assert any("物理、历史须选且只选一门" in r for r in exc.value.reasons)
    with pytest.raises(PermissionDenied):
        choice_set(actor=world.b.school_user, window=window, student=world.a.student, codes=["WL", "HX", "SW"])
    with pytest.raises(PermissionDenied):
        choice_set(actor=world.a.teacher_user, window=window, student=world.a.student, codes=["WL", "HX", "SW"])
    assert not Choice.objects.exists() and audit("electives.choice.set") == 0


def test_statistics_and_needs_follow_the_choices(world):
    window = elective_grade(world, choose=False)
    assert choice_stats(window)["chosen"] == 0 and choice_stats(window)["missing"] == 40
    for st, codes in zip(window_students_list(window)[:5], [["WL", "HX", "SW"]] * 3 + [["LS", "ZZ", "DL"]] * 2):
        choice_set(actor=world.a.school_user, window=window, student=st, codes=codes)
    s = choice_stats(window)
    assert (s["chosen"], s["missing"]) == (5, 35)
    assert [(c["codes"], c["count"]) for c in s["combos"]] == [("WL;HX;SW", 3), ("LS;ZZ;DL", 2)]
    n = needs(window)
    t = n["table"]
    by = {x.subject: x for x in t.subjects}
    assert (by["WL"].choosers, by["WL"].xuekao, by["WL"].classes, by["WL"].periods) == (3, 2, 2, 5 + 1)
    assert by["YW"].periods == 2 * 5 and by["YW"].teachers == 2
    assert t.conflicts == []
    # a shortfall is named: too few periods from the 语文 teachers
    window.default_max_periods = 3
    window.save()
    t = needs(window)["table"]
    assert any("语文" in c for c in t.conflicts)
    assert {x.subject: x.shortfall for x in t.subjects}["YW"] == 10 - 6


def window_students_list(window):
    from gaozhong.electives.casebuild import window_students

    return list(window_students(window))


def test_window_create_and_update_audited_and_checked(world):
    w = window_create(actor=world.a.school_user, school=world.a.school, school_year=world.year, grade=2,
                      closes_at=timezone.now() + dt.timedelta(days=2))
    assert audit("electives.window.created") == 1
    with pytest.raises(Refused):
        window_create(actor=world.a.school_user, school=world.a.school, school_year=world.year, grade=2, closes_at=timezone.now())
    with pytest.raises(PermissionDenied):
        window_create(actor=world.b.school_user, school=world.a.school, school_year=world.year, grade=3, closes_at=timezone.now())
    with pytest.raises(Refused) as exc:
        window_update(actor=world.a.school_user, window=w, closes_at=w.closes_at, days=5, periods_per_day=8, blocked="3:9;x",
                      max_per_day=2, default_max_periods=16)
    assert len(exc.value.reasons) == 2
    assert audit("electives.window.updated") == 0
    window_update(actor=world.a.school_user, window=w, closes_at=w.closes_at, days=5, periods_per_day=8, blocked="3:8, 3:7",
                  max_per_day=2, default_max_periods=18)
    w.refresh_from_db()
    assert (w.blocked, w.default_max_periods) == ("3:7;3:8", 18)
    assert audit("electives.window.updated") == 1


def test_blocked_slots_are_ticked_on_the_week_not_typed(world, client):
    w = window_create(actor=world.a.school_user, school=world.a.school, school_year=world.year, grade=2,
                      closes_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/windows/{w.pk}/edit/").content.decode()
    assert page.count('name="blocked"') == 5 * 8 and 'type="text" name="blocked"' not in page
    assert 'value="3:7" checked' in page and 'value="3:8" checked' in page and 'aria-label="周三第7节"' in page
    page = client.get(f"/electives/windows/{w.pk}/").content.decode()
    assert "停课 周三第7节、周三第8节" in page and "3:7;3:8" not in page
    form = {"closes_at": timezone.localtime(w.closes_at).strftime("%Y-%m-%dT%H:%M"), "days": 5, "periods_per_day": 7,
            "max_per_day": 2, "default_max_periods": 16, "blocked": ["5:1", "3:7", "3:8"]}
    assert client.post(f"/electives/windows/{w.pk}/edit/", form).status_code == 302
    w.refresh_from_db()
    assert (w.blocked, w.periods_per_day) == ("3:7;5:1", 7)  # 3:8 left the week with the eighth period
