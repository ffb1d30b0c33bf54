"""Reading back the CSV text the admission engine itself wrote (results, cutoffs, fill rates), not a user's file:
user files go through gaozhong/common/csvfile.py."""

from __future__ import annotations

import csv
import io


def output_rows(text: str) -> list[list[str]]:
    """The rows of an engine output, header first."""
    return list(csv.reader(io.StringIO(text)))


def output_records(text: str) -> list[dict[str, str]]:
    """The records of an engine output by column name."""
    return list(csv.DictReader(io.StringIO(text)))
