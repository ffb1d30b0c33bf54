"""The named groups of roles, defined once: who is a bureau, who is staff of a place, who may sign in at all.
Every permission check, navigation entry and import rule names one of these instead of spelling out roles.

A 学生/家长 account (role ``student``) belongs to a senior student or to a 中考 candidate (or both); navigation
and the home page tell them apart by the two audiences below, which are not stored roles: ``Scope.audiences``
gives a user's role and, for a 学生/家长 account, which of the two it is."""

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

#: a 学生/家长 account tied to a senior high school student (选科, 我的课表)
SENIOR_STUDENT = "student:senior"
#: a 学生/家长 account tied to a 中考 candidate (志愿, 录取结果)
CANDIDATE = "student:candidate"
