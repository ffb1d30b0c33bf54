"""An admission year on the platform: approved plans, programs by batch, candidates' preferences, recorded runs
and their results.

Rule: seed 002 §三(一) — one city platform admits every student, public and private schools in the same run
(公民同招, seed 004 §16), never over plan, no early admission; 指标到校 ≥ 50% of quality schools' plans; seed 003
§三(二)3 — ordered batches (分批分层), 统招 and 定向 combined; seed 002 §三(一) — 普通高中 and 中职 admitted on one
platform in one run, each plan with its approved 招生范围, 特殊类型招生 规范; a 补录 round for the seats left.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gaozhong.core.models.scope import ScopePaths


#: The 招生范围 cell of a plan or program that admits from the whole city (docs/admissions.md §12).
CITY_WIDE = "全市"


class AdmissionYear(models.Model):
    class Status(models.TextChoices):
        SETUP = "setup", "筹备"
        OPEN = "open", "志愿填报中"
        CLOSED = "closed", "填报已截止"
        PUBLISHED = "published", "结果已公布"

    year = models.PositiveIntegerField("招生年份", unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SETUP)
    window_opens = models.DateTimeField("志愿填报开始", null=True, blank=True)
    window_closes = models.DateTimeField("志愿填报截止", null=True, blank=True)
    quota_share = models.DecimalField("指标到校比例", max_digits=4, decimal_places=2, default=0.5)
    max_unified_choices = models.PositiveSmallIntegerField("统招志愿数", default=6)
    policy_toml = models.TextField("录取规则", default='tiebreak = ["cme", "math", "chinese"]\n')
    # 高中阶段 settings (docs/admissions.md §12), written into the run's policy.toml unless policy_toml sets them.
    range_required = models.BooleanField("招生范围须经审批", default=False,
                                         help_text="每个招生专业只招收其招生范围内的考生；全市招生须审批为“全市”（seed 002 §三(一)）")
    special_share = models.DecimalField("特长生计划占比上限", max_digits=4, decimal_places=3, null=True, blank=True)
    special_min_score = models.DecimalField("特长生中考最低分", max_digits=6, decimal_places=1, null=True, blank=True)
    special_min_test_score = models.DecimalField("特长生专业测试最低分", max_digits=6, decimal_places=1, null=True, blank=True)
    supplementary_declined = models.BooleanField("放弃第一轮录取者可参加补录", default=False)

    scope_paths = ScopePaths(county=None, school=None, everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "招生年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年中考招生"

    def window_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and (self.window_closes is None or now < self.window_closes) and (self.window_opens is None or now >= self.window_opens)


class SchoolPlan(models.Model):
    """A senior school's approved enrolment plan (招生计划) for the year; programs are generated from it."""

    year = models.ForeignKey(AdmissionYear, on_delete=models.CASCADE, related_name="plans")
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="admission_plans", verbose_name="学校")
    seats = models.PositiveIntegerField("计划数")
    talent_seats = models.PositiveIntegerField("特长生计划", default=0)
    counties = models.CharField("招生范围", max_length=200, blank=True, help_text="; 分隔的县(区)代码，或“全市”；空为全市。生成招生专业时写入各专业的招生范围")
    talent_type = models.CharField("特长类别", max_length=4, choices=[("艺术", "艺术"), ("体育", "体育")], default="艺术")
    majors = models.JSONField("专业计划", default=list, blank=True, help_text="中职学校：[[专业名称, 计划数], …]，合计等于计划数")
    approved = models.BooleanField("已审批", default=False)
    # 新生报到: set by the school (or its bureau) any time, shown on the 录取通知书; not part of the plan's approval.
    report_time = models.CharField("报到时间", max_length=100, blank=True, help_text="如“2026年8月25日 8:00—11:30”；空为另行通知")
    report_place = models.CharField("报到地点", max_length=200, blank=True, help_text="如“本校北校区体育馆”；空为另行通知")

    scope_paths = ScopePaths(county="school__county", school="school", everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "招生计划"
        constraints = [models.UniqueConstraint(fields=["year", "school"], name="uniq_plan_year_school")]


class Program(models.Model):
    """One line of preferences: a school's seats of one batch (特长, 指标到校 for one junior school, 统招)."""

    class Kind(models.TextChoices):
        TALENT = "talent", "特长生"
        QUOTA = "quota", "指标到校"
        UNIFIED = "unified", "统招"
        VOCATIONAL = "vocational", "中职"

    year = models.ForeignKey(AdmissionYear, on_delete=models.CASCADE, related_name="programs")
    code = models.CharField("专业代码", max_length=30)
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="programs", verbose_name="学校")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    batch = models.PositiveSmallIntegerField("批次")
    capacity = models.PositiveIntegerField("计划数")
    min_score = models.DecimalField("最低分数线", max_digits=6, decimal_places=1, null=True, blank=True)
    feeder_school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.PROTECT, related_name="quota_programs", verbose_name="指标到校初中")
    counties = models.CharField("招生县(区)", max_length=200, blank=True, help_text="; 分隔的县(区)代码，空为全市")
    rank_by = models.CharField("排序依据", max_length=30, default="score")
    rollover_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="rolled_from", verbose_name="未满计划转入")
    file_order = models.PositiveIntegerField("导入顺序", null=True, blank=True, help_text="由 year-import 导入时在 programs.csv 中的行序；录取输入按此顺序写出")
    major = models.CharField("专业", max_length=60, blank=True, help_text="中职学校的专业名称")
    special_type = models.CharField("特殊类型", max_length=4, blank=True, help_text="特长生专业：艺术或体育")

    scope_paths = ScopePaths(county="school__county", school="school", everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "招生专业"
        ordering = ["batch", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="uniq_program_year_code")]

    def __str__(self) -> str:
        extra = f"（{self.feeder_school.name}）" if self.feeder_school_id else ""
        if self.major:
            return f"{self.school.name} {self.major}"
        return f"{self.school.name} {self.get_kind_display()}{extra}"

    def county_codes(self) -> list[str]:
        """The 招生范围 as county codes; empty for the whole city (an empty cell or 全市)."""
        return [c for c in self.counties.split(";") if c and c != CITY_WIDE]

    def admits_from(self, county_code: str) -> bool:
        codes = self.county_codes()
        return not codes or county_code in codes


class CandidateScores(models.Model):
    """What the admission run reads of a candidate beyond the 中考 record in core: every further score by name
    (物理, 语数外总分, any numeric column of the import, so a city's tie-break rule can name it), the lottery
    number given with an imported case, and the row order of that case's students.csv.

    Values are kept as the exact decimal text (``"118.5"``); an empty cell is ``null``.
    """

    candidate = models.OneToOneField("core.Candidate", on_delete=models.CASCADE, related_name="admission_scores")
    scores = models.JSONField("其他成绩", default=dict)
    lottery = models.PositiveIntegerField("抽签号", null=True, blank=True)
    file_order = models.PositiveIntegerField("导入顺序", null=True, blank=True)

    scope_paths = ScopePaths(county="candidate__county", school="candidate__junior_school", candidate="candidate")

    class Meta:
        verbose_name = verbose_name_plural = "考生其他成绩"


class Preference(models.Model):
    """A candidate's choice: program at rank ``rank`` of batch ``batch``. Changed only through the service, audited."""

    year = models.ForeignKey(AdmissionYear, on_delete=models.CASCADE, related_name="preferences")
    candidate = models.ForeignKey("core.Candidate", on_delete=models.CASCADE, related_name="preferences")
    batch = models.PositiveSmallIntegerField("批次")
    rank = models.PositiveSmallIntegerField("志愿序号")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="preferences")

    scope_paths = ScopePaths(county="candidate__county", school="candidate__junior_school", candidate="candidate")

    class Meta:
        verbose_name = verbose_name_plural = "志愿"
        ordering = ["batch", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "candidate", "batch", "rank"], name="uniq_pref_rank"),
            models.UniqueConstraint(fields=["year", "candidate", "program"], name="uniq_pref_program"),
        ]


class Confirmation(models.Model):
    """A candidate (or parent) confirmed the preferences; a later change withdraws the confirmation."""

    year = models.ForeignKey(AdmissionYear, on_delete=models.CASCADE, related_name="confirmations")
    candidate = models.ForeignKey("core.Candidate", on_delete=models.CASCADE, related_name="confirmations")
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    scope_paths = ScopePaths(county="candidate__county", school="candidate__junior_school", candidate="candidate")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "candidate"], name="uniq_confirmation")]


class AdmissionRun(models.Model):
    """One recorded run: canonical inputs (with their SHA-256), policy, engine version, and the outputs."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "待审批"
        FAILED = "failed", "失败"
        APPROVED = "approved", "已审批并公布"
        WITHDRAWN = "withdrawn", "已撤回公布"

    year = models.ForeignKey(AdmissionYear, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    round = models.PositiveSmallIntegerField("轮次", default=1, help_text="1 = 第一轮（统一录取），2 = 补录")
    base_run = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="supplementary_runs",
                                 verbose_name="第一轮录取运行", help_text="补录运行所依据的已公布的第一轮运行")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inputs_sha256 = models.CharField("输入摘要 SHA-256", max_length=64, blank=True)
    engine_version = models.CharField("引擎版本", max_length=30, blank=True)
    programs_csv = models.TextField(blank=True)
    students_csv = models.TextField(blank=True)
    preferences_csv = models.TextField(blank=True)
    policy_toml = models.TextField(blank=True)
    results_csv = models.TextField(blank=True)
    cutoffs_csv = models.TextField(blank=True)
    schools_csv = models.TextField(blank=True, help_text="schools.csv 输入（高中阶段：学校的县(区)与普高/中职）")
    supplementary_files = models.JSONField(default=dict, blank=True, help_text="补录输入：supplementary/ 下的文件名 → 内容")
    general_vocational_csv = models.TextField(blank=True)
    fill_rates_csv = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "录取运行"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year.year} {'补录' if self.round == 2 else '录取'}运行 #{self.pk}"

    def input_files(self) -> dict[str, str]:
        """The recorded inputs as the case directory's files (``supplementary/…`` for a 补录 run)."""
        files = {"programs.csv": self.programs_csv, "students.csv": self.students_csv, "preferences.csv": self.preferences_csv,
                 "policy.toml": self.policy_toml}
        if self.schools_csv:
            files["schools.csv"] = self.schools_csv
        files.update({f"supplementary/{n}": t for n, t in self.supplementary_files.items()})
        return files


class Admission(models.Model):
    """A candidate's result in a run, with the per-choice explanation the result page shows."""

    run = models.ForeignKey(AdmissionRun, on_delete=models.CASCADE, related_name="admissions")
    candidate = models.ForeignKey("core.Candidate", on_delete=models.PROTECT, related_name="admissions")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="admissions")
    batch = models.PositiveSmallIntegerField(null=True, blank=True)
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    round = models.PositiveSmallIntegerField("录取轮次", null=True, blank=True, help_text="1 = 第一轮，2 = 补录；未录取为空")
    explanation = models.JSONField(default=list)

    scope_paths = ScopePaths(county="candidate__county", school="program__school", candidate="candidate")

    class Meta:
        verbose_name = verbose_name_plural = "录取结果"
        constraints = [models.UniqueConstraint(fields=["run", "candidate"], name="uniq_admission")]


class Cutoff(models.Model):
    run = models.ForeignKey(AdmissionRun, on_delete=models.CASCADE, related_name="cutoffs")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cutoffs")
    capacity = models.PositiveIntegerField("计划数(含转入)")
    admitted = models.PositiveIntegerField("录取数")
    cutoff_score = models.DecimalField("最低录取分", max_digits=6, decimal_places=1, null=True, blank=True)
    last_choice_rank = models.PositiveSmallIntegerField("末位志愿序号", null=True, blank=True)
    last_tiebreak = models.CharField("末位同分比较", max_length=100, blank=True)

    scope_paths = ScopePaths(county="program__school__county", school="program__school", everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "录取分数线"
        constraints = [models.UniqueConstraint(fields=["run", "round", "program"], name="uniq_cutoff_round")]


class PublishedResult(models.Model):
    """What the public pages show of an approved run, computed once when the bureau approves it (in the approval's
    transaction) and deleted when the publication is withdrawn: the cutoff rows as the 录取分数线 page lists them,
    and one ``PublishedAnswer`` per candidate for the result lookup. The public pages read this and nothing else,
    so a page costs one indexed read however many candidates the year has. ``version`` is new at every
    publication; what a process renders from a publication is kept under it."""

    run = models.OneToOneField(AdmissionRun, on_delete=models.CASCADE, related_name="publication")
    year = models.PositiveIntegerField("招生年份", unique=True)
    version = models.CharField(max_length=32, unique=True)
    published_at = models.DateTimeField("公布时间")
    candidates = models.PositiveIntegerField("考生数")
    admitted = models.PositiveIntegerField("录取数")
    cutoffs = models.JSONField("录取分数线", default=list)

    scope_paths = ScopePaths(county=None, school=None, everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "公布的录取结果"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年录取结果（已公布）"


class PublishedAnswer(models.Model):
    """One candidate's answer on the public lookup: found by (publication, 准考证号) through the unique index, shown
    only when the last 6 characters of the 身份证号 match ``id_tail``. ``answer`` holds everything the result page
    shows (name, score, admitted program, every choice with its explanation)."""

    # no index of its own: the unique index on (publication, exam_no) starts with it
    publication = models.ForeignKey(PublishedResult, on_delete=models.CASCADE, related_name="answers", db_index=False)
    exam_no = models.CharField("准考证号", max_length=20)
    id_tail = models.CharField("身份证号后 6 位", max_length=6)
    answer = models.JSONField()

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "录取结果查询数据"
        constraints = [models.UniqueConstraint(fields=["publication", "exam_no"], name="uniq_published_answer")]


class SupplementaryRound(models.Model):
    """The 补录 window of a year, opened by the city after the main result is published: the seats left per
    program go to the candidates without a seat (and those who declined theirs, where the city allows)."""

    class Status(models.TextChoices):
        OPEN = "open", "补录填报中"
        CLOSED = "closed", "补录填报已截止"
        PUBLISHED = "published", "补录结果已公布"

    year = models.OneToOneField(AdmissionYear, on_delete=models.CASCADE, related_name="supplementary")
    base_run = models.ForeignKey(AdmissionRun, on_delete=models.PROTECT, related_name="+", verbose_name="第一轮录取运行")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    allow_declined = models.BooleanField("放弃第一轮录取者可参加", default=False)
    seats = models.JSONField("补录名额", default=dict, help_text="招生专业代码 → 第一轮后剩余名额（开放补录时计算）")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(county=None, school=None, everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "补录"

    def __str__(self) -> str:
        return f"{self.year.year} 年补录"


class SupplementaryChoice(models.Model):
    """A candidate's 补录 choice: program at rank ``rank`` of batch ``batch``."""

    round = models.ForeignKey(SupplementaryRound, on_delete=models.CASCADE, related_name="choices")
    candidate = models.ForeignKey("core.Candidate", on_delete=models.CASCADE, related_name="supplementary_choices")
    batch = models.PositiveSmallIntegerField("批次")
    rank = models.PositiveSmallIntegerField("志愿序号")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="supplementary_choices")

    scope_paths = ScopePaths(county="candidate__county", school="candidate__junior_school", candidate="candidate")

    class Meta:
        verbose_name = verbose_name_plural = "补录志愿"
        ordering = ["batch", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate", "batch", "rank"], name="uniq_supp_rank"),
            models.UniqueConstraint(fields=["round", "candidate", "program"], name="uniq_supp_program"),
        ]


class SupplementaryDecline(models.Model):
    """A candidate who declined (放弃) the first-round seat during the 补录 window; the seat is offered again."""

    round = models.ForeignKey(SupplementaryRound, on_delete=models.CASCADE, related_name="declines")
    candidate = models.ForeignKey("core.Candidate", on_delete=models.CASCADE, related_name="+")
    declined_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(county="candidate__county", school="candidate__junior_school", candidate="candidate")

    class Meta:
        verbose_name = verbose_name_plural = "放弃第一轮录取"
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="uniq_supp_decline")]
