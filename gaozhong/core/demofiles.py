"""The demo's front door: the demo builder writes the files a bureau would receive and loads each one through
the import service its web page uses, so every demo build exercises those imports.

A step is one kind of file: ``DemoFile(kind, write, load)``. ``write(folder)`` writes the file(s) of that kind
(in the import's template format: the spec's Chinese headers, .xlsx) and returns their paths; ``load(actor=,
data=, filename=)`` is the import service (it returns an outcome with ``problems`` and ``rows``). ``after``, if
given, writes what the files do not carry and the next step needs (the foundation's admin classes, say). The
foundation's steps are the list in ``gaozhong.core.demo.build_demo``; a domain adds a kind with one line in a
list of its own, run from its ``demo.build`` (the actor defaults to the city administrator)::

    FILES = [DemoFile("zhongkao", _write_candidates, partial(zhongkao_import, year=2026))]
    load_demo_files(FILES, progress=progress)

A file the import refuses stops the build with every problem: the demo's own files must import cleanly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .models import Membership, Role


@dataclass(frozen=True)
class DemoFile:
    kind: str
    write: Callable[[Path], Sequence[Path]]
    load: Callable[..., Any]
    after: Callable[[], None] | None = None


class DemoFileRefused(RuntimeError):
    """The demo wrote a file its own import refuses: a bug in the demo or the import."""


def demo_files_dir() -> Path:
    """Where the demo's files go: ``DEMO_FILES_DIR`` (default ``<data directory>/demo-files``)."""
    return Path(getattr(settings, "DEMO_FILES_DIR", None) or Path(settings.DATA_DIR) / "demo-files")


def load_demo_files(steps: Iterable[DemoFile], *, actor=None, folder: Path | None = None,
                    progress: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    """Run the steps in order: write each kind's files, import every file as ``actor`` (default: the city
    administrator ``setup_city`` made), then its ``after``. Returns the rows imported per kind."""
    if actor is None:
        actor = Membership.objects.select_related("user").filter(role=Role.CITY_ADMIN).order_by("pk").first().user
    folder = folder or demo_files_dir()
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for step in steps:
        paths = list(step.write(folder))
        for path in paths:
            outcome = step.load(actor=actor, data=path.read_bytes(), filename=path.name)
            if outcome.problems:
                shown = "\n".join(str(p) for p in outcome.problems[:20])
                raise DemoFileRefused(f"示范文件 {path} 未通过导入检查 (the demo's own file was refused):\n{shown}")
            counts[step.kind] = counts.get(step.kind, 0) + outcome.rows
        if step.after is not None:
            step.after()
        progress(f"{step.kind}: {counts.get(step.kind, 0)} rows imported from {len(paths)} file(s) in {folder}")
    return counts
