"""Recording a public result lookup attempt (the per-address rate limit reads these); not audited: an attempt
changes no data and names no one."""

from __future__ import annotations

from gaozhong.admissions.models import LookupAttempt


def lookup_attempt_record(*, ip: str, success: bool) -> LookupAttempt:
    """Note one lookup from ``ip`` and whether it matched."""
    return LookupAttempt.objects.create(ip=ip, success=success)
