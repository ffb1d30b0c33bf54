"""Navigation entry of the registry pages."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.roles import STAFF

NAV = [("registry_worklist", pgettext_lazy("nav", "学籍异常"), STAFF)]
