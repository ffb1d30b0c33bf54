"""How a slot of the week reads on every timetable page: ``周三第7节`` (English: ``Wed period 7``), and lists of
them (``周三第7节、周三第8节``). The one formatting function of the app; templates use it through the ``slot`` and
``slot_list`` filters of ``timetable_tags``. Stored texts (job titles, timetable notes) are written in the
site's language, whatever language the clerk reads in.

Slots travel between pages and forms as ``day:period`` values (1-based), never typed by a person.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, override, pgettext_lazy

__all__ = ["WEEKDAYS", "weekday", "slot_label", "slots_label", "stored_slots_label", "slot_value", "parse_slot_value"]

WEEKDAYS = [pgettext_lazy("weekday", "周一"), pgettext_lazy("weekday", "周二"), pgettext_lazy("weekday", "周三"),
            pgettext_lazy("weekday", "周四"), pgettext_lazy("weekday", "周五"), pgettext_lazy("weekday", "周六"),
            pgettext_lazy("weekday", "周日")]


def weekday(day: int) -> str:
    return str(WEEKDAYS[day - 1]) if 1 <= day <= len(WEEKDAYS) else str(day)


def slot_label(day: int, period: int) -> str:
    """``周三第7节`` for day 3, period 7 (``Wed period 7`` in English)."""
    return gettext("%(weekday)s第%(period)s节") % {"weekday": weekday(day), "period": period}


def slots_label(slots) -> str:
    """Several (day, period) pairs in week order, ``周三第7节、周三第8节``."""
    return gettext("、").join(slot_label(d, p) for d, p in sorted(slots))


def stored_slots_label(slots) -> str:
    """The same in the site's language, for texts kept in the database."""
    with override(settings.LANGUAGE_CODE):
        return slots_label(slots)


def slot_value(day: int, period: int) -> str:
    return f"{day}:{period}"


def parse_slot_value(value: str) -> tuple[int, int] | None:
    """(day, period) of a ``day:period`` form value; None for anything else."""
    day, sep, period = str(value).partition(":")
    if not sep or not day.isdigit() or not period.isdigit():
        return None
    return int(day), int(period)
