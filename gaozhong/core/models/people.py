"""Students (学籍), their class per year, 中考 candidates, subjects, teachers and what each teacher teaches."""

from __future__ import annotations

from django.db import models

from gaozhong.core.masking import mask_id_number, mask_student_no

from .places import AdminClass, County, School
from .scope import ScopePaths


class Student(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "在籍", "在籍"
        SUSPENDED = "休学", "休学"
        TRANSFERRED = "转出", "转出"
        GRADUATED = "毕业", "毕业"

    class Gender(models.TextChoices):
        MALE = "男", "男"
        FEMALE = "女", "女"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students", verbose_name="在籍学校")
    student_no = models.CharField("学籍号", max_length=30, unique=True)
    id_number = models.CharField("身份证号", max_length=18)
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    entry_year = models.PositiveIntegerField("入学年份")
    status = models.CharField("学籍状态", max_length=4, choices=Status.choices, default=Status.ENROLLED)
    admin_class = models.ForeignKey(AdminClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="students", verbose_name="当前行政班")
    exam_no = models.CharField("中考准考证号", max_length=20, blank=True)
    entry_score = models.DecimalField("中考成绩", max_digits=6, decimal_places=1, null=True, blank=True)

    scope_paths = ScopePaths(county="school__county", school="school", admin_class="admin_class", student="id")

    class Meta:
        verbose_name = verbose_name_plural = "学生"
        ordering = ["student_no"]
        indexes = [models.Index(fields=["school", "status"])]
        # One person, one 学籍: two imports racing on one 身份证号 cannot both register it (the import reports the
        # loser's rows; docs/architecture.md "One person, one record").
        constraints = [models.UniqueConstraint(fields=["id_number"], condition=~models.Q(id_number=""), name="uniq_student_id_number")]

    def __str__(self) -> str:
        return f"{self.name} ({self.student_no_masked})"

    @property
    def student_no_masked(self) -> str:
        return mask_student_no(self.student_no)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class Enrollment(models.Model):
    """A student's admin class in one school year: the history behind class sizes and trends."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments", verbose_name="学生")
    admin_class = models.ForeignKey(AdminClass, on_delete=models.PROTECT, related_name="enrollments", verbose_name="行政班")

    scope_paths = ScopePaths(county="admin_class__school__county", school="admin_class__school", admin_class="admin_class", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "分班记录"
        constraints = [models.UniqueConstraint(fields=["student", "admin_class"], name="uniq_enrollment")]


class Candidate(models.Model):
    """中考考生: a junior-high graduate who takes part in the unified admission of one year."""

    year = models.PositiveIntegerField("中考年份")
    exam_no = models.CharField("准考证号", max_length=20)
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("身份证号", max_length=18)
    gender = models.CharField("性别", max_length=2, choices=Student.Gender.choices)
    junior_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="candidates", verbose_name="毕业学校")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="candidates", verbose_name="户籍县(区)")
    score = models.DecimalField("中考总分", max_digits=6, decimal_places=1)
    chinese = models.DecimalField("语文", max_digits=5, decimal_places=1)
    math = models.DecimalField("数学", max_digits=5, decimal_places=1)
    english = models.DecimalField("英语", max_digits=5, decimal_places=1)
    talent_score = models.DecimalField("特长成绩", max_digits=5, decimal_places=1, null=True, blank=True)

    scope_paths = ScopePaths(county="county", school="junior_school", candidate="id")

    class Meta:
        verbose_name = verbose_name_plural = "中考考生"
        ordering = ["year", "exam_no"]
        constraints = [models.UniqueConstraint(fields=["year", "exam_no"], name="uniq_candidate_exam_no")]

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class Subject(models.Model):
    code = models.CharField("科目代码", max_length=12, unique=True)
    name = models.CharField("科目", max_length=20)
    is_elective = models.BooleanField("选考科目", default=False, help_text="3+1+2 的六门选考科目")

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "科目"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Teacher(models.Model):
    class Title(models.TextChoices):
        SENIOR_PLUS = "正高级", "正高级教师"
        SENIOR = "高级", "高级教师"
        FIRST = "一级", "一级教师"
        SECOND = "二级", "二级教师"
        THIRD = "三级", "三级教师"
        NONE = "未定级", "未定级"

    class Post(models.TextChoices):
        TEACHING = "专任教师", "专任教师"
        PRINCIPAL = "校长", "校长"
        VICE_PRINCIPAL = "副校长", "副校长"
        COUNSELLOR = "心理教师", "心理教师"
        STAFF = "教辅人员", "教辅人员"
        RESEARCHER = "教研员", "教研员"

    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="teachers", verbose_name="学校")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="teachers", verbose_name="县(区)")
    staff_no = models.CharField("教职工号", max_length=30, unique=True)
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField("身份证号", max_length=18)
    gender = models.CharField("性别", max_length=2, choices=Student.Gender.choices)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="teachers", verbose_name="任教科目")
    title = models.CharField("职称", max_length=6, choices=Title.choices, default=Title.NONE)
    post = models.CharField("岗位", max_length=6, choices=Post.choices, default=Post.TEACHING)
    hire_date = models.DateField("入职日期")
    is_bianzhi = models.BooleanField("在编", default=True)

    scope_paths = ScopePaths(county="county", school="school", teacher="id")

    class Meta:
        verbose_name = verbose_name_plural = "教师"
        ordering = ["staff_no"]
        constraints = [models.UniqueConstraint(fields=["id_number"], condition=~models.Q(id_number=""), name="uniq_teacher_id_number")]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_no})"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class TeachingAssignment(models.Model):
    """A teacher teaches a subject to an admin class: what a teacher's scope is made of."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="assignments", verbose_name="教师")
    admin_class = models.ForeignKey(AdminClass, on_delete=models.CASCADE, related_name="assignments", verbose_name="行政班")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assignments", verbose_name="科目")

    scope_paths = ScopePaths(county="admin_class__school__county", school="admin_class__school", admin_class="admin_class", teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "任课安排"
        constraints = [models.UniqueConstraint(fields=["admin_class", "subject"], name="uniq_class_subject_teacher")]
