"""Reads of supervision shared by pages, reports, the API and imports: element values per unit and year
(computed from the platform's records, or approved reports), indicator values, status and projection, leagues
and laggards.

Units are the senior high schools, the counties and the city. The computation itself does not depend on the
user; which units a user is shown does, and always goes through ``gaozhong.core.scoping.visible``
(:func:`visible_units`). A county's value of a school indicator sums its applicable schools (formula engine).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from gaozhong.admissions.models import Program, SchoolPlan
from gaozhong.admissions.selectors import county_general_vocational
from gaozhong.common.standards import RESEARCHER_MIN_HOURS
from gaozhong.core.facts import school_facts, staff_reference_day
from gaozhong.core.models import City, County, Role, School, SchoolYear, Teacher
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import STAFF
from gaozhong.people.models import Move, TrainingRecord
from gaozhong.people.selectors import county_rotation

from .engine.catalog import scope_level
from .engine.compliance import STATUS_LABELS, STATUS_ORDER, Assessment, Target, assess, judged_year, meets
from .engine.formula import Evaluation, evaluate
from .engine.league import UnitStatuses, laggards, overall, rank
from .models import Adoption, DataElement, Indicator, IndicatorVersion, PolicyDocument, Submission, SubmissionValue

SENIOR = School.Level.SENIOR


# ---------------------------------------------------------------------------------------------------------
# School years
# ---------------------------------------------------------------------------------------------------------

def years() -> list[int]:
    return list(SchoolYear.objects.order_by("start_year").values_list("start_year", flat=True))


def current_start() -> int | None:
    y = SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_year").first()
    return y.start_year if y else None


def latest_complete_year() -> int | None:
    """The latest school year that has ended: the one before the current year (the current one if it is the only one)."""
    cur = current_start()
    if cur is None:
        return None
    earlier = SchoolYear.objects.filter(start_year__lt=cur).order_by("-start_year").first()
    return earlier.start_year if earlier else cur


# ---------------------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    level: str  # school | county | city
    pk: int | None
    code: str
    name: str
    county_id: int | None = None
    quality: str = ""
    ownership: str = ""

    @property
    def key(self) -> str:
        return f"{self.level}:{self.pk or 0}"

    @property
    def level_label(self) -> str:
        return {"school": "学校", "county": "县(区)", "city": "市"}[self.level]


def school_unit(s: School) -> Unit:
    return Unit("school", s.pk, s.code, s.name, s.county_id, s.quality, s.ownership)


def county_unit(c: County) -> Unit:
    return Unit("county", c.pk, c.code, c.name, c.pk)


def city_unit() -> Unit:
    city = City.objects.order_by("pk").first()
    return Unit("city", None, city.code if city else "", city.name if city else "全市")


def visible_units(user) -> list[Unit]:
    """The units ``user`` may see: the city (city admin), visible counties, visible senior high schools."""
    scope = scope_of(user)
    if scope.role not in STAFF:
        return []
    out = [city_unit()] if scope.role == Role.CITY_ADMIN else []
    out += [county_unit(c) for c in visible(County, user).order_by("code")]
    out += [school_unit(s) for s in visible(School, user).filter(level=SENIOR).order_by("code")]
    return out


def top_unit(user) -> Unit | None:
    """The widest unit the user answers for: the city, their county, or their school."""
    units = visible_units(user)
    return units[0] if units else None


def applies(version: IndicatorVersion, unit: Unit) -> bool:
    """Whether a school falls under a school target's ``applies_to`` (Rule: 001 §二 targets are per school tier)."""
    a = version.applies_to
    if a == "all":
        return True
    if a == "quality":
        return unit.quality in (School.Quality.PROVINCIAL_MODEL, School.Quality.CITY_MODEL)
    if a == "provincial":
        return unit.quality == School.Quality.PROVINCIAL_MODEL
    if a == "city_model":
        return unit.quality == School.Quality.CITY_MODEL
    if a == "ordinary":
        return unit.quality == School.Quality.ORDINARY
    if a == "public":
        return unit.ownership == School.Ownership.PUBLIC
    if a == "private":
        return unit.ownership == School.Ownership.PRIVATE
    return False


# ---------------------------------------------------------------------------------------------------------
# Element values
# ---------------------------------------------------------------------------------------------------------

def computed_school_elements(year_list: list[int], school_ids: list[int] | None = None) -> dict[tuple[int, int], dict[str, float]]:
    """Computed school elements per (school id, year) for schools with classes that year, read from the facts
    layer (``gaozhong.core.facts``: 班额 bands, students, 专任教师 and 师生比 are defined there, once)."""
    info = {s.pk: s for s in School.objects.filter(level=SENIOR)}
    out: dict[tuple[int, int], dict[str, float]] = {}
    for (sid, y), f in school_facts(year_list, school_ids).items():
        s = info[sid]
        n = float(f.students)
        quality = s.quality in (School.Quality.PROVINCIAL_MODEL, School.Quality.CITY_MODEL)
        public = s.ownership == School.Ownership.PUBLIC
        out[(sid, y)] = {
            "classes_total": float(f.classes_total), "students_enrolled": n, "classes_le55": float(f.classes_ok),
            "classes_56_65": float(f.classes_large), "classes_ge66": float(f.classes_huge),
            "g1_classes_total": float(f.g1_classes_total), "g1_classes_le55": float(f.g1_classes_ok),
            "school_unit": 1.0, "schools_ge5000": float(f.large_school), "new_school_unit": float(f.new_school),
            "new_schools_gt3000": float(f.new_school_too_large), "teachers_fulltime": float(f.teachers_fulltime),
            "teachers_bianzhi": float(f.teachers_bianzhi), "teachers_and_principals": float(f.teachers_and_principals),
            "psych_teacher_present": float(f.psych_present), "quality_students": n if quality else 0.0,
            "public_school_unit": 1.0 if public else 0.0, "public_students": n if public else 0.0,
            "private_students": 0.0 if public else n, "quality_public_unit": 1.0 if quality and public else 0.0,
        }
    return out


def _static_flags(u: Unit) -> dict[str, float]:
    quality = u.quality in (School.Quality.PROVINCIAL_MODEL, School.Quality.CITY_MODEL)
    public = u.ownership == School.Ownership.PUBLIC
    return {"school_unit": 1.0, "public_school_unit": 1.0 if public else 0.0, "quality_public_unit": 1.0 if quality and public else 0.0}


def computed_county_elements(year_list: list[int]) -> dict[tuple[int, int], dict[str, float]]:
    """County-only computed elements per (county id, year): the county itself, its 教研员 (Rule: 002 §三(二)), and
    普职比 of its schools' admissions (Rule: 003 §三(二)3) from the admission year whose intake enters in September
    of the school year (its published result: ``admissions.selectors.county_general_vocational``)."""
    out: dict[tuple[int, int], dict[str, float]] = {}
    researchers = list(Teacher.objects.filter(post=Teacher.Post.RESEARCHER).values_list("county_id", "hire_date"))
    stage = county_general_vocational(year_list)
    for c in County.objects.all():
        for y in year_list:
            out[(c.pk, y)] = {
                "county_unit": 1.0,
                "researchers_total": float(sum(1 for cid, h in researchers if cid == c.pk and h <= staff_reference_day(y))),
            }
            if (c.code, y) in stage:
                general, vocational = stage[(c.code, y)]
                out[(c.pk, y)].update({"stage_general_admitted": float(general), "stage_admitted_total": float(general + vocational)})
    return out


def platform_school_elements(year_list: list[int]) -> dict[tuple[int, int], dict[str, float]]:
    """School elements another domain of the platform holds, per (school id, year); they replace reported values.

    招生计划数 and 指标到校计划数 (Rule: seed 002 §三(一), 指标到校 ≥ 50%) come from the admission year whose intake
    enters in September of the school year: its approved plans and its 指标到校 programs.
    """
    out: dict[tuple[int, int], dict[str, float]] = {}
    for sid, y, seats in SchoolPlan.objects.filter(year__year__in=year_list, approved=True).values_list("school_id", "year__year", "seats"):
        out[(sid, y)] = {"plan_total": float(seats), "plan_quota": 0.0}
    quota = Program.objects.filter(year__year__in=year_list, kind=Program.Kind.QUOTA).values_list("school_id", "year__year", "capacity")
    for sid, y, cap in quota:
        if (sid, y) in out:
            out[(sid, y)]["plan_quota"] += float(cap)
    return out


def platform_county_elements(year_list: list[int]) -> dict[tuple[int, int], dict[str, float]]:
    """County elements the people records hold, per (county id, year of the school year's start); they replace
    reported values for years the records cover (any record dated in that calendar year).

    - 交流轮岗人数 and its denominator 专任教师和校级领导人数 (Rule: seed 003 §三(五), > 15% a year): the people
      app's one computation (``people.selectors.county_rotation``): principals and teachers who left one of the
      county's schools on a 交流轮岗 move in the calendar year, over the county's principals and teachers on
      1 January of that year. The same figure as the 教师队伍 page.
    - 培训满 72 课时的教研员人数 (Rule: seed 002 §三(二)): 教研员 of the county with ≥ 72 hours completed that year.
    """
    out: dict[tuple[int, int], dict[str, float]] = {}
    counties = list(County.objects.values_list("pk", flat=True))
    move_years = set(Move.objects.filter(kind=Move.Kind.ROTATION, moved_on__year__in=year_list).values_list("moved_on__year", flat=True))
    rotation = county_rotation(sorted(move_years)) if move_years else {}
    hours: dict[tuple[int, int, int], float] = defaultdict(float)
    for tid, cid, y, h in TrainingRecord.objects.filter(completed_on__year__in=year_list, teacher__post=Teacher.Post.RESEARCHER).values_list(
            "teacher_id", "teacher__county_id", "completed_on__year", "hours"):
        hours[(tid, cid, y)] += float(h)
    train_years = set(TrainingRecord.objects.filter(completed_on__year__in=year_list).values_list("completed_on__year", flat=True))
    for y in year_list:
        for c in counties:
            row: dict[str, float] = {}
            if y in move_years:
                r = rotation.get((c, y))
                row["rotated_staff"] = float(r.movers if r else 0)
                row["teachers_and_principals"] = float(r.headcount if r else 0)
            if y in train_years:
                row["researchers_trained_72"] = float(sum(1 for (t, cid, yy), h in hours.items() if cid == c and yy == y and h >= RESEARCHER_MIN_HOURS))
            if row:
                out[(c, y)] = row
    return out


def approved_values(year_list: list[int]) -> dict[tuple[str, int, int], dict[str, float]]:
    """Approved reported values per (level, unit id (0 for the city), year): the latest approved term of the year."""
    subs = (Submission.objects.filter(status=Submission.Status.APPROVED, school_year__start_year__in=year_list)
            .order_by("school_year__start_year", "term", "approved_at", "pk")
            .values_list("pk", "level", "school_id", "county_id", "school_year__start_year"))
    latest: dict[tuple[str, int, int], int] = {}
    for pk, level, sid, cid, y in subs:
        unit = sid if level == "school" else cid if level == "county" else 0
        latest[(level, unit or 0, y)] = pk  # later terms and approvals overwrite earlier ones
    by_sub: dict[int, dict[str, float]] = defaultdict(dict)
    for sub_id, code, value in SubmissionValue.objects.filter(submission_id__in=list(latest.values())).values_list("submission_id", "element__code", "value"):
        by_sub[sub_id][code] = float(value)
    return {key: by_sub.get(pk, {}) for key, pk in latest.items()}


# ---------------------------------------------------------------------------------------------------------
# The compliance pack: every indicator for every unit and year, computed once per request
# ---------------------------------------------------------------------------------------------------------

@dataclass
class IndicatorRow:
    indicator: Indicator
    version: IndicatorVersion
    evaluation: Evaluation | None
    assessment: Assessment
    series: dict[int, float | None] = field(default_factory=dict)
    target: Target | None = None
    by_units: bool = False  # judged as the share of the units below that meet the target themselves

    @property
    def status(self) -> str:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def unit(self) -> str:
        return "%" if self.by_units else self.version.unit

    @property
    def target_text(self) -> str:
        if self.by_units:
            level = "学校" if scope_level(self.version.scope) == "school" else "县(区)"
            return f"{level}全部达标（单项 {self.version.target_text}）"
        return self.version.target_text

    @property
    def name(self) -> str:
        if self.by_units:
            return f"{self.version.name_zh}·达标单位比例"
        return self.version.name_zh


def target_of(version: IndicatorVersion) -> Target:
    """The engine's target of a version: its "到 YYYY 年" deadline becomes the school year judged (YYYY−1)."""
    return Target(version.direction, None if version.target is None else float(version.target), judged_year(version.deadline),
                  percent=version.unit == "%", kind=version.kind)


class Pack:
    """Element rows and indicator values for all units and years. Build with :func:`build_pack`."""

    def __init__(self, year_list: list[int]):
        self.years = year_list
        self.indicators: list[Indicator] = list(Indicator.objects.prefetch_related("versions__numerator", "versions__denominator").order_by("order", "code"))
        self.elements = {e.code: e for e in DataElement.objects.all()}
        self.schools = [school_unit(s) for s in School.objects.filter(level=SENIOR).order_by("code")]
        self.counties = [county_unit(c) for c in County.objects.order_by("code")]
        self.city = city_unit()
        self.documents = {d.code: d for d in PolicyDocument.objects.all()}
        self.adoptions = {a.document.code: a for a in Adoption.objects.select_related("document", "county")}
        school_rows = computed_school_elements(year_list)
        county_rows = computed_county_elements(year_list)
        approved = approved_values(year_list)
        platform_school = platform_school_elements(year_list)
        platform_county = platform_county_elements(year_list)
        computed_school = {e.code for e in self.elements.values() if e.source == "computed" and e.level == "school"}
        self.rows: dict[tuple[str, int, int], dict[str, float]] = {}
        for u in self.schools:
            for y in year_list:
                row = dict(school_rows.get((u.pk, y), {}))
                row.update(approved.get(("school", u.pk, y), {}))
                row.update(platform_school.get((u.pk, y), {}))  # what the platform holds wins over a reported figure
                if row:
                    row.update(_static_flags(u))  # a school that reported exists that year, classes or not
                    self.rows[("school", u.pk, y)] = row
        for c in self.counties:
            for y in year_list:
                row = dict(county_rows.get((c.pk, y), {}))
                for s in self.schools:
                    if s.county_id == c.pk:
                        for k, v in self.rows.get(("school", s.pk, y), {}).items():
                            if k in computed_school:
                                row[k] = row.get(k, 0.0) + v
                row.update(approved.get(("county", c.pk, y), {}))
                row.update(platform_county.get((c.pk, y), {}))  # what the platform holds wins over a reported figure
                self.rows[("county", c.pk, y)] = row
        computed_county = computed_school | {e.code for e in self.elements.values() if e.source == "computed" and e.level == "county"}
        for y in year_list:
            row: dict[str, float] = {}
            for c in self.counties:
                for k, v in self.rows.get(("county", c.pk, y), {}).items():
                    if k in computed_county:
                        row[k] = row.get(k, 0.0) + v
            row.update(approved.get(("city", 0, y), {}))
            self.rows[("city", 0, y)] = row
        self._cache: dict[tuple, IndicatorRow | None] = {}

    # -- jurisdiction ------------------------------------------------------------------------------------
    def governs(self, version: IndicatorVersion, unit: Unit) -> bool:
        """Whether ``version``'s document is adopted and governs ``unit``: a city document every unit; a county
        document its county and that county's schools; a target the document sets for a named school only the
        school the adoption binds it to."""
        a = self.adoptions.get(version.document_code)
        if a is None:
            return False
        if version.named_school:
            return unit.level == "school" and unit.code == a.schools.get(version.named_school)
        if a.county_id is None:
            return True
        return unit.level != "city" and unit.county_id == a.county_id

    def adopted(self, indicator: Indicator, year: int) -> bool:
        v = indicator.version_for(year)
        return v is not None and v.document_code in self.adoptions

    # -- evaluation --------------------------------------------------------------------------------------
    def row(self, unit: Unit, year: int) -> dict[str, float] | None:
        return self.rows.get((unit.level, unit.pk or 0, year))

    def base_rows(self, version: IndicatorVersion, unit: Unit, year: int) -> list[dict[str, float]] | None:
        """The rows the indicator sums for ``unit``: the unit itself at the indicator's level, or its units of that
        level below it; None when the indicator does not apply to the unit."""
        level = scope_level(version.scope)
        rank_of = {"school": 0, "county": 1, "city": 2}
        if rank_of[unit.level] < rank_of[level] or not self.governs(version, unit):
            return None
        if unit.level == level:
            if level == "school" and not applies(version, unit):
                return None
            r = self.row(unit, year)
            return [r] if r is not None else []
        members = self.members(version, unit)
        if not members:
            return None
        return [r for m in members if (r := self.row(m, year)) is not None]

    def by_units(self, version: IndicatorVersion, unit: Unit) -> bool:
        return version.aggregate == "units" and unit.level != scope_level(version.scope)

    def members(self, version: IndicatorVersion, unit: Unit) -> list[Unit]:
        level = scope_level(version.scope)
        if level == "school":
            return [s for s in self.schools if applies(version, s) and self.governs(version, s) and (unit.level == "city" or s.county_id == unit.pk)]
        return [c for c in self.counties if self.governs(version, c)]

    def evaluate(self, version: IndicatorVersion, unit: Unit, year: int) -> Evaluation | None:
        """The indicator's value for ``unit``: its formula over the rows below, or for ``aggregate = units`` above
        the base level, the share (%) of the units below whose own value meets the target."""
        if self.by_units(version, unit):
            rank_of = {"school": 0, "county": 1, "city": 2}
            if rank_of[unit.level] < rank_of[scope_level(version.scope)] or not self.governs(version, unit):
                return None
            members = self.members(version, unit)
            if not members:
                return None
            target = target_of(version)
            met = judged = 0
            for m in members:
                ev = self.evaluate(version, m, year)
                if ev is None or ev.value is None or target.value is None:
                    continue
                judged += 1
                met += bool(meets(target.direction, ev.value, target.value))
            if judged == 0:
                return Evaluation(None, None, None, 0, len(members))
            return Evaluation(100.0 * met / judged, float(met), float(judged), judged, len(members))
        rows = self.base_rows(version, unit, year)
        if rows is None:
            return None
        return evaluate(version.numerator.code, version.denominator.code if version.denominator_id else None, float(version.factor), rows)

    def series(self, indicator: Indicator, unit: Unit) -> dict[int, float | None] | None:
        out: dict[int, float | None] = {}
        applicable = False
        for y in self.years:
            v = indicator.version_for(y)
            if v is None:
                continue
            ev = self.evaluate(v, unit, y)
            if ev is not None:
                applicable = True
                out[y] = ev.value
        return out if applicable else None

    def indicator_row(self, indicator: Indicator, unit: Unit, year: int) -> IndicatorRow | None:
        """Value, status and projection of one indicator for one unit and year; None if it does not apply."""
        key = (indicator.pk, unit.key, year)
        if key in self._cache:
            return self._cache[key]
        version = indicator.version_for(year)
        result = None
        if version is not None:
            ev = self.evaluate(version, unit, year)
            if ev is not None:
                series = self.series(indicator, unit) or {}
                by_units = self.by_units(version, unit)
                target = Target("ge", 100.0, judged_year(version.deadline), percent=True) if by_units else target_of(version)
                result = IndicatorRow(indicator, version, ev, assess(series, year, target), series, target, by_units)
        self._cache[key] = result
        return result

    def unit_rows(self, unit: Unit, year: int) -> list[IndicatorRow]:
        return [r for ind in self.indicators if (r := self.indicator_row(ind, unit, year)) is not None]

    @staticmethod
    def figure_groups(rows: list[IndicatorRow]) -> list[list[IndicatorRow]]:
        """Rows grouped by the figure they judge (same formula, same roll-up): two adopted documents that set a
        target on one figure give one group, shown as one figure with each target and its document."""
        groups: dict[tuple, list[IndicatorRow]] = {}
        for r in rows:
            v = r.version
            key = (v.numerator_id, v.denominator_id, float(v.factor), v.scope, r.by_units, v.named_school, v.applies_to)
            groups.setdefault(key, []).append(r)
        return list(groups.values())

    # -- summaries ---------------------------------------------------------------------------------------
    def status_counts(self, rows: list[IndicatorRow]) -> dict[str, int]:
        counts = {s: 0 for s in STATUS_ORDER}
        for r in rows:
            counts[r.status] += 1
        return counts

    def statuses(self, units: list[Unit], year: int) -> list[UnitStatuses]:
        out = []
        for u in units:
            us = UnitStatuses(u.key, u.name)
            for r in self.unit_rows(u, year):
                us.statuses[r.indicator.code] = r.status
            out.append(us)
        return out

    def league(self, indicator: Indicator, units: list[Unit], year: int) -> list[tuple[int, Unit, IndicatorRow]]:
        rows = {u.key: (u, r) for u in units if (r := self.indicator_row(indicator, u, year)) is not None}
        version = indicator.version_for(year)
        ranked = rank({k: r.evaluation.value for k, (u, r) in rows.items()}, version.direction,
                      None if version.target is None else float(version.target))
        return [(x.rank, rows[x.key][0], rows[x.key][1]) for x in ranked]

    def overall(self, units: list[Unit], year: int):
        by_key = {u.key: u for u in units}
        return [(row, by_key[row.key]) for row in overall(self.statuses(units, year))]

    def laggards(self, units: list[Unit], year: int):
        by_key = {u.key: u for u in units}
        codes = {i.code: i for i in self.indicators}
        out = []
        for lg in laggards(self.statuses(units, year)):
            out.append({"unit": by_key[lg.key], "missed": [codes[c] for c in lg.missed], "at_risk": [codes[c] for c in lg.at_risk]})
        return out

    @cached_property
    def indicator_by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}


def build_pack(year_list: list[int] | None = None) -> Pack:
    return Pack(year_list if year_list is not None else years())


# ---------------------------------------------------------------------------------------------------------
# Elements of one unit for an import's validation rules
# ---------------------------------------------------------------------------------------------------------

def county_computed_elements(year: int) -> dict[int, dict[str, float]]:
    """Each county's computed elements in school year ``year`` exactly as the compliance pack's county rows
    (the 督导 pages) have them: its senior schools' figures from the facts layer summed, its own computed
    elements, and — replacing a sum — the figures the people records hold (:func:`platform_county_elements`).

    So the 交流轮岗 denominator 专任教师和校级领导人数 is, wherever it appears, the people app's one computation
    (``people.selectors.county_rotation``: the county's principals and teachers on 1 January,
    ``standards.ROTATION_REFERENCE``) for a year with rotation records, and the sum of the schools' facts
    otherwise, on the page and in an import's rule R11 alike.
    """
    out: dict[int, dict[str, float]] = defaultdict(dict)
    school_county = dict(School.objects.filter(level=SENIOR).values_list("pk", "county_id"))
    for (sid, _y), row in computed_school_elements([year]).items():
        cid = school_county.get(sid)
        if cid is None:
            continue
        for k, v in row.items():
            out[cid][k] = out[cid].get(k, 0.0) + v
    for (cid, _y), row in computed_county_elements([year]).items():
        for k, v in row.items():
            out[cid][k] = out[cid].get(k, 0.0) + v
    for (cid, _y), row in platform_county_elements([year]).items():
        for k, v in row.items():
            if k in out[cid]:  # a computed figure the records hold better; reported ones stay the form's
                out[cid][k] = v
    return dict(out)


def computed_for(level: str, unit_pk: int | None, year: int) -> dict[str, float]:
    """The computed elements of one unit in one year (what an import's validation rules compare against): the
    same figures the unit's row on the 督导 pages shows (a county's from :func:`county_computed_elements`, the
    city's the sum of its counties')."""
    if level == "school":
        return computed_school_elements([year], [unit_pk]).get((unit_pk, year), {})
    counties = county_computed_elements(year)
    if level == "county":
        return dict(counties.get(unit_pk, {}))
    pack_rows: dict[str, float] = {}
    for row in counties.values():
        for k, v in row.items():
            pack_rows[k] = pack_rows.get(k, 0.0) + v
    return pack_rows
