"""Fixtures of the supervision tests: the catalog loaded from its file, school years around the world's, and
helpers to write base-form workbooks."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def catalog(world):
    """The shipped catalog in the database (version 1 of every indicator, from the first year on record), with
    every city document adopted, and the county document (001) adopted by a县 with 阳城一中 bound to GA1."""
    from gaozhong.supervision.models import PolicyDocument
    from gaozhong.supervision.services.catalog import catalog_sync, document_adopt

    res = catalog_sync(actor=None, effective_from=2000)
    for doc in PolicyDocument.objects.filter(level="city"):
        document_adopt(actor=None, document=doc)
    document_adopt(actor=None, document=PolicyDocument.objects.get(code="001"), county=world.a.county, schools={"阳城一中": "GA1"})
    return res


@pytest.fixture
def years(world):
    """School years 2022–2025 (the world has 2025, the current one)."""
    from gaozhong.core.models import SchoolYear

    for y in (2022, 2023, 2024):
        SchoolYear.objects.get_or_create(start_year=y)
    return {y.start_year: y for y in SchoolYear.objects.all()}


def workbook(spec, rows: list[dict]) -> bytes:
    """An .xlsx of ``spec`` with the given rows (keys are column keys), headers in Chinese."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name
    ws.append([c.header_zh for c in spec.columns])
    for r in rows:
        ws.append([_cell(r.get(c.key)) for c in spec.columns])
    for col in ws.iter_cols(min_row=2):
        for cell in col:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


def school_row(code: str, **over) -> dict:
    """A consistent school base-form row (every rule holds) for the world's schools."""
    row = {
        "unit_code": code, "staff_posts": 10, "special_fund_yuan": 1_000_000, "gates_total": 2, "gates_face_networked": 1,
        "canteen_it_ok": True, "alarm_ok": True, "guards_ok": True, "closed_mgmt_ok": True, "counselling_room": False,
        "gaokao_candidates": 1, "tier1_passes": 1, "tier2b_passes": 1, "qingbei_admits": 0, "double_first_admits": 0,
        "arts_candidates": 0, "arts_passes": 0, "plan_total": 100, "plan_quota": 50, "comment": None,
    }
    row.update(over)
    return row


@pytest.fixture(autouse=True)
def _own_upload_dir(settings, tmp_path):
    """Uploads, evidence and report files of a test go to its own folder, not the shared var/."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
