"""Navigation entries of supervision."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.roles import STAFF

NAV = [
    ("sup_dashboard", pgettext_lazy("nav", "督导"), STAFF),
    ("sup_ledger", pgettext_lazy("nav", "台账"), STAFF),
]
