"""A database that already holds a 身份证号 twice is not changed by the migration that makes it unique: ``migrate``
stops with the duplicates listed (masked); once they are settled, it goes through.

Runs ``gaozhong manage`` in its own processes on a SQLite file of its own, from the migration before.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GAOZHONG = Path(sys.executable).with_name("gaozhong")

TWICE = """
from gaozhong.core.models import City, County, School, Student
county = County.objects.create(city=City.objects.create(code="1499", name="测试市"), code="149901", name="甲县")
a, b = (School.objects.create(county=county, code=c, name=c, level="senior") for c in ("GA1", "GB1"))
Student.objects.create(school=a, student_no="G149901200801011234", id_number="149901200801011234", name="甲", gender="男", entry_year=2025)
Student.objects.create(school=b, student_no="D149901200801011234", id_number="149901200801011234", name="甲", gender="男", entry_year=2025)
"""


@pytest.mark.skipif(not GAOZHONG.exists(), reason="the gaozhong command is installed with the project")
def test_migrate_refuses_duplicate_id_numbers_and_lists_them_masked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GAOZHONG_DATA_DIR"] = str(tmp_path)

    def manage(*args):
        return subprocess.run([str(GAOZHONG), "manage", *args], env=env, capture_output=True, text=True, timeout=300)

    assert manage("migrate", "core", "0006", "--noinput").returncode == 0
    assert manage("shell", "-c", TWICE).returncode == 0
    out = manage("migrate", "--noinput")
    assert out.returncode != 0
    assert "重复登记的身份证号" in out.stderr and "1499**********1234" in out.stderr and "149901200801011234" not in out.stderr
    db = tmp_path / "gaozhong.sqlite3"
    with sqlite3.connect(db) as con:
        applied = {name for (name,) in con.execute("SELECT name FROM django_migrations WHERE app = 'core'")}
        assert "0007_unique_id_numbers" not in applied
        con.execute("UPDATE core_student SET id_number = '149901200801011242' WHERE student_no LIKE 'D%'")  # settled
    assert manage("migrate", "--noinput").returncode == 0
