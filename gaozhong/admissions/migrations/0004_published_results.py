"""The public pages' data computed at publication (PublishedResult, PublishedAnswer); runs can be withdrawn; the
per-address lookup log is replaced by counters in the shared cache. A run approved before this migration gets
its publication here, built as ``services.publication.publication_build`` builds it."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

KINDS = {"talent": "特长生", "quota": "指标到校", "unified": "统招"}


def _name(p, schools) -> str:
    extra = f"（{schools[p.feeder_school_id]}）" if p.feeder_school_id else ""
    return f"{schools[p.school_id]} {KINDS.get(p.kind, p.kind)}{extra}"


def publish_approved_runs(apps, schema_editor):
    AdmissionRun = apps.get_model("admissions", "AdmissionRun")
    Program = apps.get_model("admissions", "Program")
    Cutoff = apps.get_model("admissions", "Cutoff")
    Admission = apps.get_model("admissions", "Admission")
    PublishedResult = apps.get_model("admissions", "PublishedResult")
    PublishedAnswer = apps.get_model("admissions", "PublishedAnswer")
    School = apps.get_model("core", "School")
    County = apps.get_model("core", "County")
    schools = dict(School.objects.values_list("pk", "name"))
    counties = {pk: (name, code) for pk, name, code in County.objects.values_list("pk", "name", "code")}
    places = {pk: (code, counties[county_id]) for pk, code, county_id in School.objects.values_list("pk", "code", "county_id")}

    def place(p) -> dict:  # what the 录取分数线 page groups, filters and searches a row by (as publication_build)
        code, (county, county_code) = places[p.school_id]
        return {"code": p.code, "school": schools[p.school_id], "school_code": code, "county": county, "county_code": county_code,
                "kind": p.kind, "detail": _name(p, schools).removeprefix(f"{schools[p.school_id]} ")}
    for run in AdmissionRun.objects.filter(status="approved").select_related("year"):
        programs = {p.pk: p for p in Program.objects.filter(year_id=run.year_id)}
        names = {pk: _name(p, schools) for pk, p in programs.items()}
        by_code = {p.code: names[pk] for pk, p in programs.items()}
        cutoffs = [{"program": names[c.program_id], "batch": programs[c.program_id].batch, "capacity": c.capacity, "admitted": c.admitted,
                    "cutoff_score": None if c.cutoff_score is None else str(c.cutoff_score), "last_choice_rank": c.last_choice_rank,
                    "last_tiebreak": c.last_tiebreak, **place(programs[c.program_id])}
                   for c in sorted(Cutoff.objects.filter(run=run), key=lambda c: (programs[c.program_id].batch, programs[c.program_id].code))]
        pub = PublishedResult.objects.create(run=run, year=run.year.year, version=uuid.uuid4().hex, published_at=run.approved_at or run.started_at,
                                             candidates=0, admitted=0, cutoffs=cutoffs)
        answers, admitted = [], 0
        for exam_no, id_number, name, score, program_id, b, rank, explanation in Admission.objects.filter(run=run).order_by("pk").values_list(
                "candidate__exam_no", "candidate__id_number", "candidate__name", "candidate__score", "program_id", "batch", "choice_rank", "explanation"):
            admitted += program_id is not None
            answers.append(PublishedAnswer(publication=pub, exam_no=exam_no, id_tail=id_number[-6:].upper(), answer={
                "name": name, "score": None if score is None else str(score), "program": names[program_id] if program_id else None,
                "batch": b, "choice_rank": rank,
                "choices": [{"batch": c["batch"], "rank": c["rank"], "program": by_code.get(c["program"], c["program"]), "status": c["status"],
                             "reasons": c["reasons"]} for c in explanation]}))
        PublishedAnswer.objects.bulk_create(answers, batch_size=1000)
        PublishedResult.objects.filter(pk=pub.pk).update(candidates=len(answers), admitted=admitted)


class Migration(migrations.Migration):

    dependencies = [
        ('admissions', '0003_import_columns'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublishedAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('exam_no', models.CharField(max_length=20, verbose_name='准考证号')),
                ('id_tail', models.CharField(max_length=6, verbose_name='身份证号后 6 位')),
                ('answer', models.JSONField()),
            ],
            options={
                'verbose_name': '录取结果查询数据',
                'verbose_name_plural': '录取结果查询数据',
            },
        ),
        migrations.CreateModel(
            name='PublishedResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(unique=True, verbose_name='招生年份')),
                ('version', models.CharField(max_length=32, unique=True)),
                ('published_at', models.DateTimeField(verbose_name='公布时间')),
                ('candidates', models.PositiveIntegerField(verbose_name='考生数')),
                ('admitted', models.PositiveIntegerField(verbose_name='录取数')),
                ('cutoffs', models.JSONField(default=list, verbose_name='录取分数线')),
            ],
            options={
                'verbose_name': '公布的录取结果',
                'verbose_name_plural': '公布的录取结果',
                'ordering': ['-year'],
            },
        ),
        migrations.DeleteModel(
            name='LookupAttempt',
        ),
        migrations.AlterField(
            model_name='admissionrun',
            name='status',
            field=models.CharField(choices=[('running', '运行中'), ('done', '待审批'), ('failed', '失败'), ('approved', '已审批并公布'), ('withdrawn', '已撤回公布')], default='running', max_length=10, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='publishedresult',
            name='run',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='publication', to='admissions.admissionrun'),
        ),
        migrations.AddField(
            model_name='publishedanswer',
            name='publication',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='admissions.publishedresult'),
        ),
        migrations.AddConstraint(
            model_name='publishedanswer',
            constraint=models.UniqueConstraint(fields=('publication', 'exam_no'), name='uniq_published_answer'),
        ),
        migrations.RunPython(publish_approved_runs, migrations.RunPython.noop),
    ]
