"""What a workflow still lacks before it can run: one shape for every page's "not ready" notice.

A domain's selector returns a list of :class:`Missing` items for its workflow (e.g. "2026 年中考成绩未导入
(0 / 20,264 名考生)" with a link to the import page), and the page renders them with
``{% include "core/_readiness.html" with missing=... %}``. An empty list means the workflow can run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Missing:
    """One thing a workflow needs that the platform does not have yet."""

    message: str
    url: str | None = None
    link_label: str = "去导入"


def is_ready(missing: list[Missing]) -> bool:
    return not missing
