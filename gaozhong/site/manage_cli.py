"""``gaozhong manage …``: Django's management commands with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gaozhong manage", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
