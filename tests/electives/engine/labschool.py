"""Generate 3+1+2 schools whose physics, chemistry and biology are taught in scarce labs (issue 19 §1).

The shape follows the two cases in ``shared/data/timetable-labs``: 8 periods a day over 5 days with 3:7 and 3:8
blocked (38 teachable slots), every subject 5 periods (学考 2), so a student is busy in every slot; classes of
at most 50; physics in ``lab-phy``, chemistry in ``lab-che``, biology in ``lab-bio`` (labs of 50), PE on
fields, the other subjects in ordinary rooms; admin classes of 40–54 ordered from physics-heavy to
history-heavy (so a school falls into two 走班 groups of admin classes); about one lab per three 选考 classes of
the subject, give or take one; 语数外 teachers with two admin classes (11–12 periods), others at 11–17 periods
with a few part-timers, some individual unavailable slots, a weekly 教研 slot for three or four of 语数外体 and
two geography teachers who also teach history. Everything is drawn from ``random.Random(seed)``.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LabSchool", "SUBJECTS"]

# (subject_id, name, track, periods, xuekao_periods, room_type, max_class_size)
SUBJECTS = [
    ("chinese", "语文", "core", 5, "", "home", 55),
    ("math", "数学", "core", 5, "", "home", 55),
    ("english", "外语", "core", 5, "", "home", 55),
    ("pe", "体育", "core", 2, "", "field", 55),
    ("physics", "物理", "elective", 5, 2, "lab-phy", 50),
    ("history", "历史", "elective", 5, 2, "normal", 50),
    ("chemistry", "化学", "elective", 5, 2, "lab-che", 50),
    ("biology", "生物", "elective", 5, 2, "lab-bio", 50),
    ("politics", "思想政治", "elective", 5, 2, "normal", 50),
    ("geography", "地理", "elective", 5, 2, "normal", 50),
]
LABS = {"physics": ("lab-phy", "LP"), "chemistry": ("lab-che", "LC"), "biology": ("lab-bio", "LB")}
# Combination weights close to a province's 3+1+2 cohorts (物化生 the largest, 史政地 the largest history one).
COMBOS = {
    ("physics", "chemistry", "biology"): 0.26, ("physics", "biology", "geography"): 0.12,
    ("physics", "chemistry", "geography"): 0.09, ("physics", "chemistry", "politics"): 0.05,
    ("physics", "biology", "politics"): 0.04, ("physics", "politics", "geography"): 0.04,
    ("history", "politics", "geography"): 0.16, ("history", "biology", "geography"): 0.08,
    ("history", "biology", "politics"): 0.07, ("history", "chemistry", "biology"): 0.035,
    ("history", "chemistry", "politics"): 0.025, ("history", "chemistry", "geography"): 0.02,
}
DAYS, PERIODS, BLOCKED = 5, 8, ("3:7", "3:8")


@dataclass
class LabSchool:
    n_students: int
    seed: int = 1
    admin_size: int = 48
    lab_slack: tuple[int, int] = (-1, 1)

    def write(self, out: Path) -> dict:
        """Write the six case files into ``out``; return facts about the school (labs per subject …)."""
        rng = random.Random(self.seed)
        out.mkdir(parents=True, exist_ok=True)
        n = self.n_students
        combos = list(COMBOS)
        picks = rng.choices(combos, weights=[w * rng.uniform(0.75, 1.25) for w in COMBOS.values()], k=n)
        # Order students from physics-heavy to history-heavy with noise, then cut into admin classes of 40–54.
        order = {c: i for i, c in enumerate(combos)}
        keyed = sorted(((order[c] + rng.gauss(0, 2.5), c) for c in picks), key=lambda x: x[0])
        k = max(2, round(n / self.admin_size))
        sizes = [rng.randint(42, 54) for _ in range(k)]
        while sum(sizes) != n:
            q = rng.randrange(k)
            if sum(sizes) > n and sizes[q] > 40:
                sizes[q] -= 1
            elif sum(sizes) < n and sizes[q] < 54:
                sizes[q] += 1
        admin_ids = [f"A{q + 1:02d}" for q in range(k)]
        rows, pos = [], 0
        for q, size in enumerate(sizes):
            for _, c in keyed[pos:pos + size]:
                pos += 1
                rows.append((f"S{pos:05d}", admin_ids[q], ";".join(c)))
        choosers = {s[0]: 0 for s in SUBJECTS}
        for _, _, el in rows:
            for e in el.split(";"):
                choosers[e] += 1
        # Rooms: home rooms, one spare ordinary room, PE fields, scarce labs.
        rooms = [(f"R{q + 1:03d}", "normal", rng.choice((54, 56, 60))) for q in range(k)]
        rooms.append(("R999", "normal", 40))
        rooms += [(f"F{q + 1}", "field", 60) for q in range(max(2, round(k / 8)))]
        labs = {}
        for sid, (rt, prefix) in LABS.items():
            xuanke = math.ceil(choosers[sid] / 50)
            labs[sid] = max(2, round(xuanke / 3) + rng.randint(*self.lab_slack))
            rooms += [(f"{prefix}{q + 1}", rt, 50) for q in range(labs[sid])]
        # Teachers: the periods each subject needs at the bound, plus 15–25 % slack.
        teachers, tid = [], 0
        # A weekly 教研 slot for three or four of 语数外体, two slots shared among them (as in the given cases).
        core = [s[0] for s in SUBJECTS if s[2] == "core"]
        meeting_slots = [f"{rng.randint(1, DAYS)}:{rng.randint(1, 6)}" for _ in range(2)]
        meeting = {sid: rng.choice(meeting_slots) for sid in rng.sample(core, rng.choice((3, 4)))}
        for sid, name, track, per, xk, rt, cap in SUBJECTS:
            if track == "core":
                need = k * per
            else:
                need = math.ceil(choosers[sid] / cap) * per + math.ceil((n - choosers[sid]) / cap) * int(xk)
            supply = need * rng.uniform(1.15, 1.25)
            loads = []
            # and for 语数外体 enough whole classes: a teacher of c periods takes c // per admin classes
            while sum(loads) < supply or (track == "core" and sum(q // per for q in loads) < k):
                if track == "core" and sid != "pe":  # 语数外: two admin classes each, a few with one
                    loads.append(6 if rng.random() < 0.05 else rng.choice((11, 12)))
                elif sid == "pe":
                    loads.append(rng.choice((5, 8)) if rng.random() < 0.2 else rng.randint(17, 19))
                else:
                    loads.append(rng.choice((3, 6, 8)) if rng.random() < 0.08 else rng.randint(11, 17))
            for load in loads:
                tid += 1
                unav = set()
                r = rng.random()
                if r < 0.15:
                    d, half = rng.randint(1, DAYS), rng.choice((0, 4))
                    unav |= {f"{d}:{p + half + 1}" for p in range(4)}
                elif r < 0.7:
                    unav |= {f"{rng.randint(1, DAYS)}:{rng.randint(1, PERIODS)}" for _ in range(rng.randint(1, 3))}
                if sid in meeting:
                    unav.add(meeting[sid])
                unav -= set(BLOCKED)
                teachers.append([f"T{tid:03d}", sid, load, ";".join(sorted(unav))])
        # Two geography teachers also teach history.
        for row in rng.sample([row for row in teachers if row[1] == "geography"], 2):
            row[1] = "geography;history"
        (out / "calendar.toml").write_text(
            f"# 高二 3+1+2 school of {n} students, scarce labs\ndays = {DAYS}\nperiods_per_day = {PERIODS}\n"
            f"blocked = [{', '.join(chr(34) + b + chr(34) for b in BLOCKED)}]\nmax_lessons_per_class_per_day = 2\n", encoding="utf-8")
        _csv(out / "subjects.csv", ["subject_id", "name", "track", "periods", "xuekao_periods", "room_type", "max_class_size"], SUBJECTS)
        _csv(out / "admin_classes.csv", ["admin_class_id", "home_room_id"], [(a, f"R{q + 1:03d}") for q, a in enumerate(admin_ids)])
        _csv(out / "students.csv", ["student_id", "admin_class_id", "electives"], rows)
        _csv(out / "teachers.csv", ["teacher_id", "subjects", "max_periods", "unavailable"], teachers)
        _csv(out / "rooms.csv", ["room_id", "room_type", "capacity"], rooms)
        return {"students": n, "admin_classes": k, "teachers": len(teachers), "rooms": len(rooms),
                "labs": "/".join(str(labs[s]) for s in LABS)}


def _csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
