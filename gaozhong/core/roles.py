"""The named groups of roles, defined once: who is a bureau, who is staff of a place, who may sign in at all.
Every permission check, navigation entry and import rule names one of these instead of spelling out roles."""

from __future__ import annotations

from gaozhong.core.models.access import Role

#: the city and county bureaus (市、县(区)教育局)
BUREAU = frozenset({Role.CITY_ADMIN, Role.COUNTY_STAFF})
#: the bureaus and school administrators: the people who run a place
STAFF = frozenset({Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN})
#: staff and teachers: everyone who sees classes
CLASSROOM = STAFF | {Role.TEACHER}
#: every role that signs in
EVERYONE = CLASSROOM | {Role.STUDENT}
