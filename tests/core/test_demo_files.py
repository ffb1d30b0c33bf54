"""The demo's file steps: each kind's file is written, loaded through its import service as the city
administrator, then its ``after`` runs; a file the import refuses stops the build with the problem."""

from __future__ import annotations

from functools import partial

import pytest

from gaozhong.core.demofiles import DemoFile, DemoFileRefused, load_demo_files
from gaozhong.core.importspecs import SPECS
from gaozhong.core.models import AuditEvent, School
from gaozhong.core.services.imports import records_import
from gaozhong.importer.export import write_xlsx

pytestmark = pytest.mark.django_db


def _schools(rows):
    def write(folder):
        path = folder / "schools.xlsx"
        write_xlsx(path, SPECS["schools"], rows)
        return [path]

    return write


def test_a_step_writes_imports_as_the_city_admin_and_runs_after(world, tmp_path):
    ran = []
    row = {"code": "G0777", "name": "示范七中", "county": world.a.county.code, "level": "senior", "ownership": "public", "quality": "city"}
    counts = load_demo_files([DemoFile("schools", _schools([row]), partial(records_import, kind="schools"), after=lambda: ran.append(1))],
                             folder=tmp_path)
    assert counts == {"schools": 1} and ran == [1]
    assert School.objects.get(code="G0777").quality == "city"  # only the city admin may set a quality level
    e = AuditEvent.objects.latest("id")
    assert e.action == "core.schools.imported" and e.actor == world.city_user and (tmp_path / "schools.xlsx").is_file()


def test_a_refused_file_stops_the_build_with_its_problem(world, tmp_path):
    ran = []
    row = {"code": "G0778", "name": "无县学校", "county": "999999", "level": "senior", "ownership": "public", "quality": "ordinary"}
    with pytest.raises(DemoFileRefused, match="999999"):
        load_demo_files([DemoFile("schools", _schools([row]), partial(records_import, kind="schools"), after=lambda: ran.append(1))],
                        folder=tmp_path)
    assert ran == [] and not School.objects.filter(code="G0778").exists()
