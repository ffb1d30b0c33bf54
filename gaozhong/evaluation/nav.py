"""Navigation entry of the evaluation pages."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role

NAV = [("evaluation_overview", pgettext_lazy("nav", "增值评价"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN})]
