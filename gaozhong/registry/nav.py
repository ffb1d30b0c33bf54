"""Navigation entry of the registry pages."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role

NAV = [("registry_worklist", pgettext_lazy("nav", "学籍异常"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN})]
