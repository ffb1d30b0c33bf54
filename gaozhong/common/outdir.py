"""Write an engine's output files so that a reader never sees half of them.

Each file is written to a temporary name in the destination directory and renamed into place with
``os.replace`` only after every file has been written. A run that fails before :func:`write_files` is called
leaves an existing output directory exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_files"]


def write_files(out_dir: str | Path, files: dict[str, bytes | str]) -> None:
    """Create ``out_dir`` if needed and replace the named files in it with the given contents."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, str]] = []
    try:
        for name, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            staged.append((tmp, name))
        for tmp, name in staged:
            os.replace(tmp, out / name)
        staged.clear()
    finally:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
