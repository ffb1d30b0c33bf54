"""The engine has no Django or platform import, and the command path imports no SciPy, statsmodels or pandas."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import gaozhong.evaluation.engine as engine

from .gen import school_data, write_csv

FORBIDDEN_IN_ENGINE = ("django", "gaozhong.core", "gaozhong.site")


def test_engine_modules_import_nothing_forbidden():
    files = sorted(Path(engine.__file__).parent.glob("*.py"))
    assert len(files) >= 6
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN_IN_ENGINE), f"{path.name} imports {name}"


def test_command_path_loads_no_heavy_modules(tmp_path):
    case = school_data(81, [10, 12, 14], tau=9.0)
    path = write_csv(tmp_path / "data.csv", case)
    code = (
        "import sys, json\n"
        "from gaozhong.cli import main\n"
        f"rc = main(['evaluation', 'value-added', {str(path)!r}, '--outcome', 'gaokao', '--group', 'school',"
        " '--covariate', 'entry', '--json'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'statsmodels', 'pandas', 'django', 'pyarrow'})\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"rc": 0, "heavy": []}
    assert json.loads(proc.stdout)["groups"] == 3
