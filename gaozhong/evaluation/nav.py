"""Navigation entry of the evaluation pages."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.roles import STAFF

NAV = [("evaluation_overview", pgettext_lazy("nav", "增值评价"), STAFF)]
