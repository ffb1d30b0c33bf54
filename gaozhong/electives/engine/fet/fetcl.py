"""Run Debian's ``fet-cl`` on a file: did it produce a timetable, in how long, and where each activity went.

Used by the tests and the benchmark as the independent judge of our output: with every activity locked,
``fet-cl`` must place them all at once, exactly where the file locks them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as DET

__all__ = ["FetClResult", "run_fet_cl", "fet_cl_path"]


@dataclass(slots=True)
class FetClResult:
    ok: bool
    seconds: float
    message: str
    #: activity id → (day name, hour name, room name or "")
    placed: dict[int, tuple[str, str, str]] = field(default_factory=dict)


def fet_cl_path() -> str | None:
    return shutil.which("fet-cl")


def run_fet_cl(path: str | Path, *, time_limit: int = 60, seed: int | None = None) -> FetClResult:
    exe = fet_cl_path()
    if exe is None:
        raise FileNotFoundError("fet-cl")
    with tempfile.TemporaryDirectory(prefix="fetcl-") as out:
        cmd = [exe, f"--inputfile={Path(path).resolve()}", f"--outputdir={out}", f"--timelimitseconds={time_limit}"]
        if seed is not None:
            cmd += [f"--randomseeds{k}={seed * 7 + i + 1}" for i, k in enumerate((10, 11, 12, 20, 21, 22))]
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit + 30)
            extra = proc.stdout + proc.stderr
        except subprocess.TimeoutExpired:  # fet-cl does not always stop at its own limit
            extra = f"fet-cl still running {time_limit + 30} s after start: stopped"
        secs = time.monotonic() - t0
        log = Path(out, "logs", "result.txt")
        text = log.read_text(errors="replace") if log.exists() else ""
        msg = (text + extra).strip()
        ok = "Simulation successful" in text
        placed: dict[int, tuple[str, str, str]] = {}
        for f in Path(out, "timetables").glob("*/*_activities.xml"):
            root = DET.parse(f).getroot()
            for a in root.findall("Activity"):
                placed[int(a.findtext("Id"))] = (a.findtext("Day") or "", a.findtext("Hour") or "", a.findtext("Room") or "")
        return FetClResult(ok, secs, msg[-2000:], placed)
