"""A slot reads 周三第7节 on every timetable page (Wed period 7 in English), through one function and its template
filters; stored texts keep the site's language."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from gaozhong.electives.slots import parse_slot_value, slot_label, slots_label, stored_slots_label


def test_a_slot_reads_as_weekday_and_period_in_either_language():
    assert slot_label(3, 7) == "周三第7节" and slot_label(1, 1) == "周一第1节" and slot_label(7, 12) == "周日第12节"
    assert slots_label([(3, 8), (1, 2), (3, 7)]) == "周一第2节、周三第7节、周三第8节"
    with translation.override("en"):
        assert slot_label(3, 7) == "Wed period 7"
        assert slots_label([(3, 8), (3, 7)]) == "Wed period 7, Wed period 8"
        assert stored_slots_label([(2, 1)]) == "周二第1节"  # kept in the database: the site's language


def test_form_values_parse_back_and_nothing_else_does():
    assert parse_slot_value("3:7") == (3, 7)
    for bad in ("3", "3:", ":7", "a:b", "3:7:1", "-1:2", ""):
        assert parse_slot_value(bad) is None, bad


def test_the_template_filters():
    t = Template("{% load timetable_tags %}{{ a|slot }}|{{ b|slot }}|{{ c|slot }}|{{ d|slot_list }}|{{ e|slot_list }}|{{ f|slot_list }}")
    out = t.render(Context({"a": SimpleNamespace(day=3, period=7), "b": {"day": 1, "period": 2}, "c": "5:1", "d": "3:7;3:8",
                            "e": [(2, 1), (2, 2)], "f": "第三天下午"}))
    assert out == "周三第7节|周一第2节|周五第1节|周三第7节、周三第8节|周二第1节、周二第2节|第三天下午"
    with translation.override("en"):
        assert Template("{% load timetable_tags %}{{ d|slot_list }}").render(Context({"d": "3:7；3:8"})) == "Wed period 7, Wed period 8"
