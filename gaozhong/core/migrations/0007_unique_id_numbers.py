"""One person, one record: a 身份证号 belongs to at most one student and at most one teacher (unique constraints;
an empty number is not a number). The unique index replaces the plain index on the student's 身份证号.

A database that already holds a number twice is not changed: the migration stops and lists them (masked), so
the bureau settles each one first (the registry check reports them as 重复学籍; a second registration belongs in
the registry app's 学籍系统登记, docs/registry.md). A demo database is rebuilt with ``gaozhong demo --rebuild``."""

from django.db import migrations, models
from django.db.models import Count


def _masked(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def refuse_duplicates(apps, schema_editor):
    problems = []
    for model, key, label in (("Student", "student_no", "学生 (students)"), ("Teacher", "staff_no", "教师 (teachers)")):
        Model = apps.get_model("core", model)
        repeated = (Model.objects.exclude(id_number="").values("id_number").annotate(n=Count("id")).filter(n__gt=1)
                    .values_list("id_number", flat=True))
        for number in list(repeated[:20]):
            keys = "、".join(_masked(k) for k in Model.objects.filter(id_number=number).order_by(key).values_list(key, flat=True))
            problems.append(f"{label}: 身份证号 {_masked(number)} 重复登记于 {keys}")
        more = repeated.count() - 20
        if more > 0:
            problems.append(f"{label}: 另有 {more} 个重复的身份证号")
    if problems:
        raise RuntimeError("数据库中有重复登记的身份证号，未做任何修改；请先逐一核实处理（合并记录或更正身份证号）后再运行 migrate。"
                           "示范数据库请用 gaozhong demo --rebuild 重建。\n(duplicate ID numbers; nothing changed)\n  " + "\n  ".join(problems))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_totp_device'),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='student',
            name='core_studen_id_numb_2812bf_idx',
        ),
        migrations.AddConstraint(
            model_name='student',
            constraint=models.UniqueConstraint(condition=models.Q(('id_number', ''), _negated=True), fields=('id_number',), name='uniq_student_id_number'),
        ),
        migrations.AddConstraint(
            model_name='teacher',
            constraint=models.UniqueConstraint(condition=models.Q(('id_number', ''), _negated=True), fields=('id_number',), name='uniq_teacher_id_number'),
        ),
    ]
