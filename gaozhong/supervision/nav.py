"""Navigation entries of supervision."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role

NAV = [
    ("sup_dashboard", pgettext_lazy("nav", "督导"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("sup_ledger", pgettext_lazy("nav", "台账"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
]
