"""The public result lookup's limits: failed tries against one 准考证号 (from any address), and failed tries from
one address (a generous limit: a school office looks its students up from one address, and on results day many
families share a carrier's address). Both are counted in the shared cache, atomically (``gaozhong.core.limits``).

A try takes its counts first (``lookup_try_begin``) and is refused when either is over its limit; a try that
matched gives its counts back (``LookupTry.matched``), so only failed tries stay counted. Simultaneous tries each
get a different count, so at most the limit of them can fail before the rest are refused. A blocked 准考证号 is
refused even with the right answer: otherwise guessing could go on until it hit. Not audited: a try changes no
data and names no one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from gaozhong.core.clientaddr import limit_bucket
from gaozhong.core.limits import count_give_back, count_hit


def _number_key(year: int, exam_no: str) -> str:
    digest = hashlib.sha256(exam_no.strip().encode("utf-8", "replace")).hexdigest()[:32]
    return f"admissions:lookup:number:{year}:{digest}"


def _address_key(address: str) -> str:
    return f"admissions:lookup:address:{limit_bucket(address)}"


@dataclass
class LookupTry:
    """One lookup that was let through; ``matched()`` when it found the candidate."""

    keys: tuple[str, ...]
    refused: str = ""  # "number" or "address" when the try is refused (nothing is looked up then)

    def matched(self) -> None:
        for key in self.keys:
            count_give_back(key)


def lookup_try_begin(*, year: int, exam_no: str, address: str) -> LookupTry:
    """Count a try against ``exam_no`` (of the published ``year``) from ``address``, or refuse it."""
    addr_key = _address_key(address)
    if count_hit(addr_key, window=settings.LOOKUP_ADDRESS_WINDOW) > settings.LOOKUP_ADDRESS_FAILURES:
        return LookupTry(keys=(), refused="address")
    number_key = _number_key(year, exam_no)
    if count_hit(number_key, window=settings.LOOKUP_NUMBER_WINDOW) > settings.LOOKUP_NUMBER_FAILURES:
        count_give_back(addr_key)  # refused, not failed: the address is not charged for it
        return LookupTry(keys=(), refused="number")
    return LookupTry(keys=(addr_key, number_key))
