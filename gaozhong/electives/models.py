"""Course selection and timetabling records of a school: the selection window of one grade (选课窗口) with its
weekly plan, rooms and teachers' limits, the students' choices (选科), and the timetables solved from them
(教学班, members, lessons).

A timetable keeps the exact case it was solved from (``case_files``: the six files of ``gaozhong timetable
solve``), so every result can be reproduced with the command and checked against the rules.

Rule: seed 000 §二 and 001 §二 (选课走班教学管理机制), seed 002 §三(七) (班额 ≤ 55), seed 003 §三(五) (staffing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gaozhong.common.standards import CLASS_MAX
from gaozhong.core.models.scope import ScopePaths

SCHOOL_PATHS = dict(county="school__county", school="school")


class Room(models.Model):
    """A room of the school; a home room (教室) belongs to one admin class."""

    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="rooms", verbose_name="学校")
    code = models.CharField("教室编号", max_length=20)
    room_type = models.CharField("教室类型", max_length=20, help_text="normal 普通教室, lab-phy 物理实验室, lab-chem, lab-bio, lab-it, field 操场 …")
    capacity = models.PositiveSmallIntegerField("容纳人数")
    admin_class = models.OneToOneField("core.AdminClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="home_room",
                                       verbose_name="行政班教室")

    scope_paths = ScopePaths(**SCHOOL_PATHS)

    class Meta:
        verbose_name = verbose_name_plural = "教室"
        ordering = ["school", "code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="uniq_room_code")]

    def __str__(self) -> str:
        return self.code


class Window(models.Model):
    """The course-selection window of one grade of a school, and the week its timetable is solved for."""

    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="selection_windows", verbose_name="学校")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+", verbose_name="学年")
    grade = models.PositiveSmallIntegerField("年级", help_text="1 高一, 2 高二, 3 高三")
    title = models.CharField("名称", max_length=80)
    closes_at = models.DateTimeField("截止时间")
    days = models.PositiveSmallIntegerField("每周上课天数", default=5)
    periods_per_day = models.PositiveSmallIntegerField("每天节数", default=8)
    blocked = models.CharField("停课课时", max_length=200, blank=True, help_text="如 3:7;3:8（第 3 天第 7、8 节教研）")
    max_per_day = models.PositiveSmallIntegerField("每班每天同一科目最多节数", default=2)
    default_max_periods = models.PositiveSmallIntegerField("教师每周课时上限（默认）", default=16)
    created_at = models.DateTimeField(auto_now_add=True)

    # a student or parent sees the windows of their own school (what they choose in)
    scope_paths = ScopePaths(**SCHOOL_PATHS, student="school__students")

    class Meta:
        verbose_name = verbose_name_plural = "选课窗口"
        ordering = ["-school_year__start_year", "school", "grade"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "grade"], name="uniq_window")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return timezone.now() < self.closes_at


class SubjectPlan(models.Model):
    """One subject of the window's weekly plan: core (taught to the admin class) or elective (选考, with its 学考 lessons)."""

    class Track(models.TextChoices):
        CORE = "core", "必修（行政班）"
        ELECTIVE = "elective", "选考科目"

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="plan", verbose_name="选课窗口")
    subject = models.ForeignKey("core.Subject", on_delete=models.PROTECT, related_name="+", verbose_name="科目")
    track = models.CharField("类别", max_length=10, choices=Track.choices)
    periods = models.PositiveSmallIntegerField("每周节数")
    xuekao_periods = models.PositiveSmallIntegerField("学考班每周节数", default=0)
    room_type = models.CharField("教室类型", max_length=20, help_text="home = 行政班教室")
    max_class_size = models.PositiveSmallIntegerField("班额上限", default=CLASS_MAX)

    scope_paths = ScopePaths(county="window__school__county", school="window__school")

    class Meta:
        verbose_name = verbose_name_plural = "课时计划"
        ordering = ["window", "track", "subject__code"]
        constraints = [models.UniqueConstraint(fields=["window", "subject"], name="uniq_plan_subject")]


class TeacherLimit(models.Model):
    """A teacher's weekly limit and unavailable slots for the window (else the window's default, always available)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="teacher_limits", verbose_name="选课窗口")
    teacher = models.ForeignKey("core.Teacher", on_delete=models.CASCADE, related_name="+", verbose_name="教师")
    max_periods = models.PositiveSmallIntegerField("每周课时上限")
    unavailable = models.CharField("不可排课时", max_length=400, blank=True, help_text="如 1:1;1:2")

    scope_paths = ScopePaths(county="window__school__county", school="window__school", teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "教师课时限制"
        constraints = [models.UniqueConstraint(fields=["window", "teacher"], name="uniq_teacher_limit")]


class Choice(models.Model):
    """A student's three electives (3+1+2: one of 物理/历史, two of 化学/生物/政治/地理), codes joined by ``;``."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="choices", verbose_name="选课窗口")
    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="elective_choices", verbose_name="学生")
    electives = models.CharField("选考科目", max_length=40)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人")

    scope_paths = ScopePaths(county="window__school__county", school="window__school", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "选科"
        constraints = [models.UniqueConstraint(fields=["window", "student"], name="uniq_choice")]

    @property
    def codes(self) -> list[str]:
        return self.electives.split(";") if self.electives else []


class Timetable(models.Model):
    """One solved timetable of a window (from a solve, or a re-solve of a parent after a teacher's leave)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="timetables", verbose_name="选课窗口")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name="来源课表")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField("当前课表", default=False)
    seed = models.IntegerField(default=0)
    lower_bound = models.PositiveIntegerField("教学班下界")
    teaching_classes = models.PositiveIntegerField("教学班数")
    lessons_moved = models.PositiveIntegerField("调动课时数", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    case_files = models.JSONField("排课输入", help_text="calendar.toml 与五个 CSV 文件的内容")
    blocks = models.JSONField("走班时段", default=list)
    summary = models.JSONField("概况", default=list)

    # a teacher sees the timetables they teach in, a student or parent those of their own school
    scope_paths = ScopePaths(county="window__school__county", school="window__school", teacher="classes__teacher",
                             student="window__school__students")

    class Meta:
        verbose_name = verbose_name_plural = "课表"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.window} #{self.pk}"


class TeachingClass(models.Model):
    """A class of the timetable: a core class (one admin class) or a teaching class (选考 or 学考, mixed)."""

    class Kind(models.TextChoices):
        CORE = "core", "必修"
        XUANKE = "xuanke", "选考"
        XUEKAO = "xuekao", "学考"

    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="classes")
    code = models.CharField("班级编号", max_length=40)
    subject = models.ForeignKey("core.Subject", on_delete=models.PROTECT, related_name="+", verbose_name="科目")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    admin_class = models.ForeignKey("core.AdminClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="行政班")
    teacher = models.ForeignKey("core.Teacher", on_delete=models.PROTECT, related_name="+", verbose_name="任课教师")
    size = models.PositiveSmallIntegerField("人数")
    block = models.IntegerField("走班时段", null=True, blank=True)
    students = models.ManyToManyField("core.Student", through="ClassMember", related_name="+")

    scope_paths = ScopePaths(county="timetable__window__school__county", school="timetable__window__school", teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "教学班"
        ordering = ["timetable", "code"]
        constraints = [models.UniqueConstraint(fields=["timetable", "code"], name="uniq_class_code")]

    def __str__(self) -> str:
        return self.code


class ClassMember(models.Model):
    teaching_class = models.ForeignKey(TeachingClass, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["teaching_class", "student"], name="uniq_member")]


class Lesson(models.Model):
    """One lesson a week: a class, a slot (day and period, 1-based) and a room."""

    teaching_class = models.ForeignKey(TeachingClass, on_delete=models.CASCADE, related_name="lessons")
    day = models.PositiveSmallIntegerField("星期")
    period = models.PositiveSmallIntegerField("节次")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name="教室")

    scope_paths = ScopePaths(county="teaching_class__timetable__window__school__county", school="teaching_class__timetable__window__school",
                             teacher="teaching_class__teacher")

    class Meta:
        verbose_name = verbose_name_plural = "课"
        ordering = ["teaching_class", "day", "period"]
        constraints = [models.UniqueConstraint(fields=["teaching_class", "day", "period"], name="uniq_lesson_slot")]
