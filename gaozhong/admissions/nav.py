"""Navigation entries of the admissions pages."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role

NAV = [("admissions_home", pgettext_lazy("nav", "招生录取"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN, Role.STUDENT})]
