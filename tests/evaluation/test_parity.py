"""Parity of the platform with the engine command: a data set imported in exactly the CSV that
``gaozhong evaluation value-added DATA.csv`` reads, run on the platform (service, web page or ``year-run``) and
exported (``year-export`` or the page's JSON), gives the bytes the command prints with ``--json``.

Checked on generated data (one and two covariates, none, shuffled schools) and on the Exam data set."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job, School, Student
from gaozhong.evaluation.cli import main as evaluation_main
from gaozhong.evaluation.exports import run_json_text
from gaozhong.evaluation.models import GaokaoResult, ValueAddedDataset, ValueAddedObservation, ValueAddedRun
from gaozhong.evaluation.selectors import value_added_readiness
from gaozhong.evaluation.services.imports import value_added_dataset_import
from gaozhong.evaluation.services.runs import value_added_run_create

from .engine.gen import school_data, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cli_in_process")]

EXAM = Path(__file__).parent / "data" / "exam-mlmrev.csv"


def cli_json(capsys, path: Path, outcome: str, group: str, covariates: list[str], *extra: str) -> str:
    capsys.readouterr()
    args = ["value-added", str(path), "--outcome", outcome, "--group", group, *[a for c in covariates for a in ("--covariate", c)], "--json", *extra]
    assert evaluation_main(args) == 0
    return capsys.readouterr().out


def schools(world, codes):
    for code in codes:
        School.objects.get_or_create(code=code, defaults={"county": world.a.county, "name": f"学校{code}", "level": "senior"})


@pytest.mark.parametrize("covariates", [("entry",), ("entry", "prior"), ()])
def test_generated_data_gives_the_commands_json(world, tmp_path, capsys, covariates):
    names = [f"G9{j:03d}" for j in range(14)]
    case = school_data(11 + len(covariates), [3, 25, 40, 8, 60, 12, 33, 18, 5, 41, 27, 9, 50, 22], slopes=(0.8, 0.1)[: max(1, len(covariates))],
                       names=names, tau=30.0)
    if not covariates:
        case.x = case.x[:, :0]
    path = write_csv(tmp_path / "data.csv", case, covariates=covariates)
    expected = cli_json(capsys, path, "gaokao", "school", list(covariates))
    schools(world, names)
    events = AuditEvent.objects.count()
    out = value_added_dataset_import(actor=world.city_user, data=path.read_bytes(), filename="data.csv", entry_year=2021,
                                     outcome="gaokao", group="school", covariates=covariates)
    assert out.ok, out.problems
    assert AuditEvent.objects.count() == events + 1
    ds = ValueAddedDataset.objects.get(entry_year=2021)
    assert (ds.n, ds.groups, ds.outcome_year) == (len(case.groups), 14, 2024)
    run = value_added_run_create(actor=world.city_user, entry_year=2021, min_group_size=10)
    assert run_json_text(run) == expected
    assert json.loads(expected)["effects"][0]["group"] == case.groups[0]  # file order, not a ranking


def test_exam_data_through_the_platform_commands(world, tmp_path, capsys):
    """``year-import`` + ``year-run`` + ``year-export`` on the Exam data (65 schools coded 1 … 65) equal the
    command's --json output, byte for byte."""
    expected = cli_json(capsys, EXAM, "normexam", "school", ["standLRT"])
    schools(world, [str(i) for i in range(1, 66)])
    assert evaluation_main(["year-import", "2020", str(EXAM), "--outcome", "normexam", "--group", "school", "--covariate", "standLRT",
                            "--user", "city"]) == 0
    assert ValueAddedObservation.objects.filter(dataset__entry_year=2020).count() == 4059
    assert evaluation_main(["year-run", "2020", "--user", "city"]) == 0
    out = tmp_path / "out.json"
    assert evaluation_main(["year-export", "2020", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == expected
    data = tmp_path / "again.csv"  # the stored data set, written back out, reads as the same numbers
    assert evaluation_main(["year-data", "2020", "--out", str(data)]) == 0
    assert cli_json(capsys, data, "normexam", "school", ["standLRT"]) == expected
    got = json.loads(expected)
    assert round(got["group_variance"], 6) == 0.093839 and got["groups"] == 65 and got["n"] == 4059


def test_web_run_and_json_download_equal_the_command(world, tmp_path, capsys):
    case = school_data(5, [30, 45, 20, 60], names=["GX1", "GX2", "GX3", "GX4"], tau=40.0)
    path = write_csv(tmp_path / "d.csv", case)
    expected = cli_json(capsys, path, "gaokao", "school", ["entry"])
    schools(world, ["GX1", "GX2", "GX3", "GX4"])
    value_added_dataset_import(actor=world.city_user, data=path.read_bytes(), filename="d.csv", entry_year=2022, outcome="gaokao",
                               group="school", covariates=["entry"])
    c = Client()
    c.force_login(world.city_user)
    assert "2022" in c.get(reverse("evaluation_overview")).content.decode()
    r = c.post(reverse("evaluation_run_create"), {"entry_year": "2022"})
    assert r.status_code == 302
    run = ValueAddedRun.objects.get(entry_year=2022)
    body = c.get(reverse("evaluation_run_json", args=[run.pk]))
    assert body.status_code == 200 and body.content.decode("utf-8") == expected
    c.force_login(world.a.county_user)
    assert c.get(reverse("evaluation_run_json", args=[run.pk])).status_code == 403


def test_bad_data_sets_are_refused_with_line_and_column(world, tmp_path):
    schools(world, ["GY1", "GY2"])
    text = "id,school,entry,gaokao\n1,GY1,500,600\n2,GY2,510,abc\n3,NOPE,520,610\n4,GY1,530,620\n5,NOPE,1,2\n"
    before = (ValueAddedDataset.objects.count(), ValueAddedObservation.objects.count(), AuditEvent.objects.count())
    out = value_added_dataset_import(actor=world.city_user, data=text.encode("gb18030"), filename="坏.csv", entry_year=2019,
                                     outcome="gaokao", group="school", covariates=["entry"])
    # The engine reader's problems come first (the file is not read further); fix them and the school is checked.
    assert [(p.file, p.line, p.column) for p in out.problems] == [("坏.csv", 3, "gaokao")]
    out = value_added_dataset_import(actor=world.city_user, data=text.replace("abc", "601").encode("gb18030"), filename="坏.csv",
                                     entry_year=2019, outcome="gaokao", group="school", covariates=["entry"])
    assert [(p.file, p.line, p.column) for p in out.problems] == [("坏.csv", 4, "school")]
    assert "NOPE" in out.problems[0].reason
    assert (ValueAddedDataset.objects.count(), ValueAddedObservation.objects.count(), AuditEvent.objects.count()) == before
    good = "id,school,entry,gaokao\n" + "".join(f"{i},GY{1 + i % 2},{500 + i},{600 + i}\n" for i in range(30))
    assert value_added_dataset_import(actor=world.city_user, data=good.encode(), filename="ok.csv", entry_year=2019, outcome="gaokao",
                                      group="school", covariates=["entry"]).ok
    again = value_added_dataset_import(actor=world.city_user, data=good.encode(), filename="ok.csv", entry_year=2019, outcome="gaokao",
                                       group="school", covariates=["entry"])
    assert len(again.problems) == 1 and "已有" in again.problems[0].reason
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        evaluation_main(["year-import", "2018", str(bad), "--outcome", "gaokao", "--group", "school", "--covariate", "entry", "--user", "city"])
    assert exit_.value.code == 2 and not ValueAddedDataset.objects.filter(entry_year=2018).exists()


def test_data_set_upload_page_runs_a_job(world, tmp_path, django_capture_on_commit_callbacks):
    schools(world, ["GZ1", "GZ2", "GZ3"])
    case = school_data(9, [20, 30, 25], names=["GZ1", "GZ2", "GZ3"])
    path = write_csv(tmp_path / "d.csv", case, encoding="utf-8-sig")
    c = Client()
    c.force_login(world.a.county_user)
    assert c.get(reverse("evaluation_dataset_import")).status_code == 403
    c.force_login(world.city_user)
    assert c.get(reverse("evaluation_dataset_import")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("evaluation_dataset_import"), {"file": SimpleUploadedFile("d.csv", path.read_bytes()), "entry_year": "2017",
                                                          "outcome": "gaokao", "group": "school", "covariates": "entry"})
    job = Job.objects.latest("id")
    assert r.status_code == 302 and job.status == "succeeded", job.result
    ds = ValueAddedDataset.objects.get(entry_year=2017)
    assert (ds.n, ds.groups, ds.covariates, ds.outcome_year) == (75, 3, ["entry"], 2020)


def test_an_imported_data_set_makes_the_cohort_ready(world, tmp_path):
    for i in range(3):
        Student.objects.create(school=world.a.school, student_no=f"R{i}", id_number=f"R{i}", name="高三", gender="女", entry_year=2023, entry_score=500)
    assert any(m.message.startswith("2026 年高考成绩未导入 (0 / 3") for m in value_added_readiness(user=world.city_user))
    schools(world, ["GR1", "GR2"])
    good = "id,school,entry,gaokao\n" + "".join(f"{i},GR{1 + i % 2},{500 + i},{600 + 2 * i}\n" for i in range(30))
    assert value_added_dataset_import(actor=world.city_user, data=good.encode(), filename="d.csv", entry_year=2023, outcome="gaokao",
                                      group="school", covariates=["entry"]).ok
    assert not any("高考" in m.message for m in value_added_readiness(user=world.city_user))


def test_a_run_from_the_platforms_records_equals_the_command_on_its_exported_data(world, tmp_path, capsys):
    """No data set: the run fits gaokao totals on 中考 scores of the cohort's students; ``year-data`` writes
    those numbers as the engine's CSV, and the command on that file prints the run's JSON."""
    r = random.Random(3)
    schools(world, ["GP1", "GP2", "GP3"])
    for k, code in enumerate(["GP2", "GP1", "GP3"]):
        school = School.objects.get(code=code)
        for i in range(25):
            entry = r.randint(380, 660)
            st = Student.objects.create(school=school, student_no=f"P{k}{i:02d}", id_number=f"P{k}{i:02d}", name="学", gender="男",
                                        entry_year=2016, entry_score=entry, status="毕业")
            GaokaoResult.objects.create(student=st, year=2019, total=round(90 + 0.8 * entry + 15 * k + r.gauss(0, 25), 1))
    assert evaluation_main(["year-run", "2016", "--user", "city"]) == 0
    out = tmp_path / "data.csv"
    assert evaluation_main(["year-data", "2016", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "学校,中考成绩,高考总分"
    expected = cli_json(capsys, out, "高考总分", "学校", ["中考成绩"])
    assert run_json_text(ValueAddedRun.objects.get(entry_year=2016)) == expected
    assert [e["group"] for e in json.loads(expected)["effects"]] == ["GP1", "GP2", "GP3"]
