"""The one Excel/CSV importer of the platform, without Django: declare a table, read files, build templates, export.

Every import (schools, students, teachers; later admission preferences, course choices, supervision data,
training records) declares a :class:`TableSpec` of :class:`Column` s and reads uploads with
:func:`read_table`, which returns typed rows or raises :class:`~gaozhong.common.errors.InputError` listing every
problem by file, sheet, row and column. The Django service that uses it checks references against the
database and writes everything in one transaction; this package writes nothing it reads. See
``docs/importer.md``.

openpyxl is imported only when an .xlsx file is read or written, so CSV-only callers start fast.
"""

from .export import write_csv, write_xlsx
from .idnumber import mask_identifier
from .readers import read_csv, read_table, read_xlsx
from .result import ImportResult, ParsedRow
from .spec import Column, ColumnType, SpecError, TableSpec
from .templates import build_template, template_filename, write_template

__all__ = [
    "Column",
    "ColumnType",
    "TableSpec",
    "SpecError",
    "ParsedRow",
    "ImportResult",
    "read_table",
    "read_xlsx",
    "read_csv",
    "build_template",
    "write_template",
    "template_filename",
    "write_xlsx",
    "write_csv",
    "mask_identifier",
]
