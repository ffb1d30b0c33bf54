"""Generate 3+1+2 school case directories for the timetable tests and benchmark.

Choices follow a province's first 3+1+2 cohorts: physics ≈ 60 %, 物化生 ≈ 27 % of all students, 史政地 the
largest history combination. Admin classes are formed by first subject (物理类 / 历史类), as most schools do
in 高二, otherwise at random. Teachers get realistic loads (about 10–14 periods a week) and some of them a few
unavailable slots. Everything is drawn from ``random.Random(seed)``, so a seed gives the same school.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

# (subject_id, name, track, periods, xuekao_periods, room_type, max_class_size)
CORE = [
    ("yw", "语文", "core", 5, "", "home", 55),
    ("sx", "数学", "core", 5, "", "home", 55),
    ("wy", "外语", "core", 5, "", "home", 55),
    ("ty", "体育", "core", 2, "", "field", 55),
    ("xx", "信息技术", "core", 1, "", "lab-it", 55),
]
ELECTIVES = [
    ("wl", "物理", "elective", 5, 1, "normal", 55),
    ("ls", "历史", "elective", 5, 1, "normal", 55),
    ("hx", "化学", "elective", 4, 1, "lab-chem", 55),
    ("sw", "生物", "elective", 4, 1, "normal", 55),
    ("zz", "政治", "elective", 4, 1, "normal", 55),
    ("dl", "地理", "elective", 4, 1, "normal", 55),
]
# Shares of the second-choice pairs within physics and within history students.
PHYSICS_PAIRS = {("hx", "sw"): 0.46, ("hx", "dl"): 0.12, ("sw", "dl"): 0.16, ("hx", "zz"): 0.08, ("sw", "zz"): 0.08, ("zz", "dl"): 0.10}
HISTORY_PAIRS = {("zz", "dl"): 0.50, ("sw", "dl"): 0.16, ("sw", "zz"): 0.12, ("hx", "sw"): 0.06, ("hx", "dl"): 0.08, ("hx", "zz"): 0.08}


@dataclass
class School:
    n_students: int
    seed: int = 1
    physics_share: float = 0.6
    admin_size: int = 50
    days: int = 5
    periods: int = 8
    blocked: list[str] = field(default_factory=lambda: ["3:7", "3:8"])
    max_per_day: int = 2
    unavailable_share: float = 0.2
    core: list = field(default_factory=lambda: list(CORE))
    electives: list = field(default_factory=lambda: list(ELECTIVES))
    target_load: int = 12
    chem_labs: int | None = None

    def write(self, out: Path) -> dict:
        """Write the six case files into ``out`` and return a few facts about the school."""
        rng = random.Random(self.seed)
        out.mkdir(parents=True, exist_ok=True)
        n = self.n_students
        students = []
        for i in range(n):
            first = "wl" if rng.random() < self.physics_share else "ls"
            table = PHYSICS_PAIRS if first == "wl" else HISTORY_PAIRS
            pair = rng.choices(list(table), weights=list(table.values()))[0]
            students.append([f"S{i + 1:05d}", first, pair])
        rng.shuffle(students)
        students.sort(key=lambda s: s[1] != "wl")
        k = max(1, math.ceil(n / self.admin_size))
        per = [n // k + (1 if q < n % k else 0) for q in range(k)]
        admin_ids = [f"A{q + 1:02d}" for q in range(k)]
        pos = 0
        rows = []
        for q, size in enumerate(per):
            for s in students[pos:pos + size]:
                rows.append((s[0], admin_ids[q], ";".join([s[1], *s[2]])))
            pos += size
        rows.sort()
        # Rooms: one home room per admin class, spare ordinary rooms for 走班, PE fields, computer rooms, labs.
        rooms = [(f"R{q + 1:03d}", "normal", 56 + rng.randrange(0, 5)) for q in range(k)]
        spare = max(2, math.ceil(k * 0.25))
        rooms += [(f"R{k + q + 1:03d}", "normal", 55) for q in range(spare)]
        fields = max(2, math.ceil(2 * k / 22))
        rooms += [(f"F{q + 1}", "field", 60) for q in range(fields)]
        labs_it = max(1, math.ceil(k / 24))
        rooms += [(f"IT{q + 1}", "lab-it", 56) for q in range(labs_it)]
        chem_labs = self.chem_labs if self.chem_labs is not None else max(2, math.ceil(n / 400))
        rooms += [(f"HX{q + 1}", "lab-chem", 55) for q in range(chem_labs)]
        # Teachers: enough for ~target_load periods each; core teachers take two admin classes where possible.
        subjects = self.core + self.electives
        teachers = []
        counts = {s[0]: 0 for s in subjects}
        for s in students:
            for e in (s[1], *s[2]):
                counts[e] += 1
        for sid, name, track, per_week, xk, rt, cap in subjects:
            if track == "core":
                need = k * per_week
            else:
                need = math.ceil(counts[sid] / cap) * per_week + math.ceil((n - counts[sid]) / cap) * int(xk or 0)
            nt = max(2, math.ceil(need / self.target_load))
            for q in range(nt):
                unav = []
                if rng.random() < self.unavailable_share:
                    for _ in range(rng.randint(2, 4)):
                        unav.append(f"{rng.randint(1, self.days)}:{rng.randint(1, self.periods)}")
                    unav = sorted(set(unav) - set(self.blocked))
                teachers.append((f"T{sid.upper()}{q + 1:02d}", sid, max(self.target_load + 4, math.ceil(need / nt) + 4), ";".join(unav)))
        (out / "calendar.toml").write_text(
            f"days = {self.days}\nperiods_per_day = {self.periods}\nblocked = [{', '.join(repr(b).replace(chr(39), chr(34)) for b in self.blocked)}]\n"
            f"max_lessons_per_class_per_day = {self.max_per_day}\n", encoding="utf-8")
        _csv(out / "subjects.csv", ["subject_id", "name", "track", "periods", "xuekao_periods", "room_type", "max_class_size"], subjects)
        _csv(out / "admin_classes.csv", ["admin_class_id", "home_room_id"], [(a, f"R{q + 1:03d}") for q, a in enumerate(admin_ids)])
        _csv(out / "students.csv", ["student_id", "admin_class_id", "electives"], rows)
        _csv(out / "teachers.csv", ["teacher_id", "subjects", "max_periods", "unavailable"], teachers)
        _csv(out / "rooms.csv", ["room_id", "room_type", "capacity"], rooms)
        return {"students": n, "admin_classes": k, "teachers": len(teachers), "rooms": len(rooms)}


def _csv(path: Path, header: list[str], rows) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
