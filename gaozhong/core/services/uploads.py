"""Keeping an uploaded import file where the job runner can read it: under ``UPLOAD_DIR/imports`` with a random
name (the user's file name is kept on the job for messages, never used as a path)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


def store_upload(f) -> Path:
    """Write the uploaded file ``f`` to disk in chunks and return its path."""
    folder = Path(settings.UPLOAD_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{Path(f.name).suffix.lower()}"
    with stored.open("wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    return stored
