"""Reads of the evaluation pages: runs, effects, a school's profile indicators and what a run still lacks
(readiness), through the scoping layer."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from gaozhong.common.standards import CLASS_MAX, STUDENTS_PER_TEACHER
from gaozhong.core.facts import ratio_text, school_facts_one
from gaozhong.core.models import School, Student
from gaozhong.core.readiness import Missing
from gaozhong.core.scoping import visible
from gaozhong.core.selectors import current_year
from gaozhong.evaluation.models import GaokaoResult, SchoolEffect, SchoolOutcome, ValueAddedDataset, ValueAddedRun


def latest_runs() -> list[ValueAddedRun]:
    """The newest run of each cohort, oldest cohort first."""
    seen: dict[int, ValueAddedRun] = {}
    for run in ValueAddedRun.objects.order_by("-created_at", "-id"):
        seen.setdefault(run.entry_year, run)
    return [seen[y] for y in sorted(seen)]


def effects_for(*, user, run: ValueAddedRun):
    return visible(SchoolEffect, user).filter(run=run).select_related("school", "school__county")


def run_with_visible_effects(*, user, pk: int) -> ValueAddedRun | None:
    """A run (city-wide, no place of its own) reached through the effects the user may see: ``None`` when the run
    does not exist or none of its schools is the user's."""
    effect = visible(SchoolEffect, user).filter(run_id=pk).select_related("run").first()
    return effect.run if effect is not None else None


def caterpillar(*, user, run: ValueAddedRun) -> dict:
    """Each visible school's effect and interval, sorted by effect (the chart orders; the table does not)."""
    effects = sorted(effects_for(user=user, run=run), key=lambda e: e.effect)
    return {
        "schools": [e.school.name for e in effects],
        "effect": [round(e.effect, 2) for e in effects],
        "low": [round(e.ci_low, 2) for e in effects],
        "high": [round(e.ci_high, 2) for e in effects],
        "label": [e.label for e in effects],
    }


def trends(*, user, runs: list[ValueAddedRun]) -> dict:
    """Effect per visible school across cohorts (one line per school)."""
    by_school: dict[str, list[float | None]] = {}
    for i, run in enumerate(runs):
        for e in effects_for(user=user, run=run):
            by_school.setdefault(e.school.name, [None] * len(runs))[i] = round(e.effect, 2)
    return {"cohorts": [f"{r.entry_year}→{r.gaokao_year}" for r in runs], "series": [{"name": k, "data": v} for k, v in sorted(by_school.items())]}


def runnable_cohorts() -> list[int]:
    """Cohorts (entry years) with data for a run: an imported data set, or gaokao results of their students."""
    years = set(GaokaoResult.objects.values_list("student__entry_year", flat=True).distinct())
    years |= set(ValueAddedDataset.objects.values_list("entry_year", flat=True))
    return sorted(years)


def value_added_readiness(*, user) -> list[Missing]:
    """What the newest cohort's run lacks: the 高三 cohort of the current school year (entry year = start year − 2,
    gaokao the next June) needs every student's gaokao result and 中考 entry score, unless its data set was
    imported; the school profiles need this school year's outcomes of every senior school."""
    year = current_year()
    if year is None:
        return []
    out: list[Missing] = []
    cohort, gaokao_year = year.start_year - 2, year.start_year + 1
    if not ValueAddedDataset.objects.filter(entry_year=cohort).exists():
        students = visible(Student, user).filter(entry_year=cohort, school__level=School.Level.SENIOR,
                                                 status__in=(Student.Status.ENROLLED, Student.Status.GRADUATED))
        total = students.count()
        if total:
            have = GaokaoResult.objects.filter(student__in=students, year=gaokao_year).count()
            if have < total:
                what = "未导入" if have == 0 else f"尚缺 {total - have:,} 名学生"
                out.append(Missing(f"{gaokao_year} 年高考成绩{what} ({have:,} / {total:,} 名高三学生)", reverse("evaluation_import", args=["gaokao"])))
            no_entry = students.filter(entry_score__isnull=True).count()
            if no_entry:
                out.append(Missing(f"{no_entry:,} 名 {cohort} 级学生缺少中考成绩 ({total - no_entry:,} / {total:,})",
                                   reverse("import_upload", args=["students"])))
    seniors = set(visible(School, user).filter(level=School.Level.SENIOR).values_list("pk", flat=True))
    reported = set(SchoolOutcome.objects.filter(school_id__in=seniors, school_year=year).values_list("school_id", flat=True))
    if seniors - reported:
        out.append(Missing(f"{len(seniors - reported)} 所学校未上报 {year} 学年体质健康、近视率和学考合格率 ({len(reported)} / {len(seniors)})",
                           reverse("evaluation_import", args=["school_outcomes"])))
    return out


@dataclass
class Indicator:
    name: str
    value: str
    detail: str
    definition: str
    source: str
    status: str = ""  # "met", "not_met" or "" when the indicator has no target


def school_profile(*, user, school: School) -> list[Indicator]:
    """Several indicators side by side, each with its definition and source; no composite score (seed 004 §8)."""
    out: list[Indicator] = []
    effects = list(visible(SchoolEffect, user).filter(school=school).select_related("run").order_by("run__entry_year"))
    if effects:
        e = effects[-1]
        out.append(Indicator(
            "增值评价", f"{e.effect:+.1f} 分", f"95% 区间 [{e.ci_low:+.1f}, {e.ci_high:+.1f}]，{e.label_zh}；{e.run}；各届：" + "，".join(f"{x.run.entry_year}级 {x.effect:+.1f}" for x in effects),
            "高考总分中，中考成绩所不能解释、归于学校的部分（随机截距模型，REML 估计）。区间不含 0 才判定高于或低于预期。",
            "seed 003 §三(二)3：从高一年级起跟踪管理，使高考成绩与入学成绩呈正向发展"))
    else:
        out.append(Indicator("增值评价", "—", "尚无该校的增值计算结果", "高考总分中归于学校的部分。", "seed 003 §三(二)3"))
    outcomes = list(visible(SchoolOutcome, user).filter(school=school).select_related("school_year").order_by("school_year__start_year"))
    last = outcomes[-1] if outcomes else None
    prev = outcomes[-2] if len(outcomes) > 1 else None
    out.append(Indicator("学考合格率", f"{last.xuekao_pass_rate}%" if last and last.xuekao_pass_rate is not None else "—",
                         f"{last.school_year} 学年" if last else "未上报",
                         "参加普通高中学业水平合格性考试的学生中合格的比例（学校上报）。", "学校年度上报"))
    out.append(Indicator("体质健康达标优良率", f"{last.fitness_good_rate}%" if last and last.fitness_good_rate is not None else "—",
                         "目标约 25%", "《国家学生体质健康标准》测试成绩达到良好及以上的学生比例（学校上报）。", "seed 003 §三(一)7",
                         status=("met" if last and last.fitness_good_rate is not None and last.fitness_good_rate >= 25 else "not_met") if last else ""))
    if last and prev and last.myopia_rate is not None and prev.myopia_rate is not None:
        change = float(last.myopia_rate - prev.myopia_rate)
        out.append(Indicator("近视率变化", f"{change:+.1f} 个百分点", f"{prev.school_year} {prev.myopia_rate}% → {last.school_year} {last.myopia_rate}%；目标每年下降 1 个百分点以上",
                             "学生视力筛查中近视学生比例的年度变化（学校上报）。", "seed 003 §三(一)7", status="met" if change <= -1 else "not_met"))
    else:
        out.append(Indicator("近视率变化", "—", "需要连续两年的上报数据", "近视学生比例的年度变化。", "seed 003 §三(一)7"))
    # 班额 and 师生比 come from the facts layer: the same figures as 督导 and 教师队伍 (gaozhong.core.facts).
    year = current_year()
    f = school_facts_one(school.pk, year.start_year) if year is not None else None
    if f is not None and f.classes_total:
        out.append(Indicator("班额达标", f"{f.classes_ok}/{f.classes_total} 个班 ≤ {CLASS_MAX} 人", f"{year} 学年；最大班额 {f.max_class} 人",
                             f"本学年行政班中人数不超过 {CLASS_MAX} 人的班级数 / 行政班总数（平台数据计算）。", "002 §三(七)",
                             status="met" if f.classes_ok == f.classes_total else "not_met"))
    if f is not None and f.students:
        ratio = f.students_per_teacher
        out.append(Indicator("师生比", ratio_text(f), f"专任教师 {f.teachers_fulltime} 人，在籍学生 {f.students} 人；目标 1 : {float(STUDENTS_PER_TEACHER)}",
                             "在籍学生数 ÷ 专任教师数。专任教师指岗位为专任教师或心理教师、9 月 1 日在册的教师，不含校长、副校长、"
                             "教辅人员和教研员；在籍学生指编入本校本学年行政班的学生（平台数据计算）。", "002 §三(三)",
                             status="met" if ratio is not None and ratio <= STUDENTS_PER_TEACHER else "not_met"))
    return out
