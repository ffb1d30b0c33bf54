"""Generated registry cases and an independent, row-by-row oracle of the five rules of issue 10 §2.

Nothing here imports the engine: the oracle reads the written files with the ``csv`` module and applies each
rule as the issue states it, one student or transfer at a time, so that it can disagree with the columnar
engine. Bulk transfers are checked by brute force over date windows anchored at each transfer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

KIND_ORDER = (
    "duplicate_registration",
    "ghost_registration",
    "registry_attendance_mismatch",
    "bulk_transfer",
    "invalid_id_number",
)
HEADER = ["kind", "student_id", "id_number", "school_id", "evidence"]

# GB 11643 written out as the standard's table, not computed.
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3", 10: "2"}


def check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def make_id(region: str = "110105", birth: str = "20080101", seq: str = "123") -> str:
    body = region + birth + seq
    return body + check_char(body)


def oracle_id_valid(value: str, today: dt.date | None = None) -> bool:
    """GB 11643 as docs/registry.md states it: 17 digits and 0–9 or a capital X; an address code not starting
    with 0; a birth date on the calendar and not after ``today``; the check character."""
    if len(value) != 18 or any(c not in "0123456789" for c in value[:17]) or value[17] not in "0123456789X":
        return False
    if value[0] == "0":
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born > (today or dt.date.today()):
        return False
    return check_char(value[:17]) == value[17]


@dataclass
class Case:
    """One input directory's content, written by :meth:`write` in a chosen encoding."""

    registry: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    attendance: list[tuple[str, str, str, int | str]] = field(default_factory=list)
    exams: list[tuple[str, str, str, str]] = field(default_factory=list)
    transfers: list[tuple[str, str, str, str]] = field(default_factory=list)
    current: str = "2025-2"
    terms: tuple[str, ...] = ("2025-1", "2025-2")

    def student(self, sid: str, school: str, status: str = "在籍", id_number: str | None = None, name: str = "王小明") -> str:
        if id_number is None:
            n = len(self.registry)
            id_number = make_id(region=f"{110000 + n // 1000:06d}", seq=f"{n % 1000:03d}")
        self.registry.append((sid, id_number, name, school, "高一", status))
        return sid

    def write(self, directory: Path, encoding: str = "utf-8", newline: str = "\n") -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        tables = {
            "registry.csv": (["student_id", "id_number", "name", "school_id", "grade", "status"], self.registry),
            "attendance.csv": (["student_id", "school_id", "term", "days_present"], self.attendance),
            "exams.csv": (["student_id", "school_id", "exam_id", "term"], self.exams),
            "transfers.csv": (["student_id", "from_school_id", "to_school_id", "date"], self.transfers),
        }
        for name, (header, rows) in tables.items():
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, lineterminator=newline)
            writer.writerow(header)
            writer.writerows(rows)
            (directory / name).write_bytes(buffer.getvalue().encode(encoding))
        terms = ", ".join(f'"{t}"' for t in self.terms)
        (directory / "terms.toml").write_text(f'current = "{self.current}"\nterms = [{terms}]\n', encoding="utf-8")
        return directory


def read_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Expected:
    """One expected output row, with the facts its evidence must state."""

    kind: str
    student_id: str
    id_number: str
    school_id: str
    facts: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.student_id, self.id_number, self.school_id)


def oracle(directory: Path, k: int = 10, d: int = 30, encoding: str = "utf-8") -> list[Expected]:
    """The rows the check must output for the case in ``directory``, each rule applied row by row."""
    import tomllib

    registry = read_rows(directory / "registry.csv", encoding)
    attendance = read_rows(directory / "attendance.csv", encoding)
    exams = read_rows(directory / "exams.csv", encoding)
    transfers = read_rows(directory / "transfers.csv", encoding)
    terms_doc = tomllib.loads((directory / "terms.toml").read_text(encoding="utf-8"))
    examined, current = set(terms_doc["terms"]), terms_doc["current"]
    id_of = {r["student_id"]: r["id_number"] for r in registry}
    out: list[Expected] = []

    # duplicate_registration
    holders: dict[str, list[dict[str, str]]] = {}
    for r in registry:
        if r["status"] == "在籍" and r["id_number"]:
            holders.setdefault(r["id_number"], []).append(r)
    for number, rows in holders.items():
        if len(rows) >= 2:
            for r in rows:
                facts = (number, *[o["student_id"] for o in rows])
                out.append(Expected("duplicate_registration", r["student_id"], number, r["school_id"], facts))

    for r in registry:
        if r["status"] != "在籍":
            continue
        sid, home = r["student_id"], r["school_id"]
        # ghost_registration
        days = sum(int(a["days_present"]) for a in attendance if a["student_id"] == sid and a["term"] in examined)
        sat = any(e["student_id"] == sid and e["term"] in examined for e in exams)
        if days == 0 and not sat:
            out.append(Expected("ghost_registration", sid, r["id_number"], home, (home,)))
        # registry_attendance_mismatch
        per_school: dict[str, int] = {}
        for a in attendance:
            if a["student_id"] == sid and a["term"] == current:
                per_school[a["school_id"]] = per_school.get(a["school_id"], 0) + int(a["days_present"])
        total = sum(per_school.values())
        facts: list[str] = []
        for school, n in per_school.items():
            if school != home and 2 * n > total:
                facts += [school, f"出勤 {n} 天", f"在籍学校 {home} 出勤 {per_school.get(home, 0)} 天"]
        for e in exams:
            if e["student_id"] == sid and e["term"] == current and e["school_id"] != home:
                facts += [e["school_id"], e["exam_id"]]
        if facts:
            out.append(Expected("registry_attendance_mismatch", sid, r["id_number"], home, tuple(facts)))

    # bulk_transfer: brute force over windows [anchor, anchor + d - 1] anchored at each transfer's date.
    pairs: dict[tuple[str, str], list[dict[str, str]]] = {}
    for t in transfers:
        pairs.setdefault((t["from_school_id"], t["to_school_id"]), []).append(t)
    for (src, dst), group in pairs.items():
        dates = [dt.date.fromisoformat(t["date"]) for t in group]
        flagged = []
        for t, when in zip(group, dates):
            for anchor in dates:
                if anchor <= when < anchor + dt.timedelta(days=d):
                    inside = sum(1 for x in dates if anchor <= x < anchor + dt.timedelta(days=d))
                    if inside >= k:
                        flagged.append((t, when))
                        break
        batches = bulk_batches(sorted(dates), k, d)
        for t, when in flagged:
            first, last, size = next(b for b in batches if b[0] <= when <= b[1])
            facts = (src, dst, first.isoformat(), last.isoformat(), f"{size} 人次", f"本次转学日期 {when.isoformat()}")
            out.append(Expected("bulk_transfer", t["student_id"], id_of.get(t["student_id"], ""), src, facts))

    # invalid_id_number
    for r in registry:
        if not oracle_id_valid(r["id_number"]):
            out.append(Expected("invalid_id_number", r["student_id"], r["id_number"], r["school_id"], ()))
    return out


def bulk_batches(dates: list[dt.date], k: int, d: int) -> list[tuple[dt.date, dt.date, int]]:
    """Batches as (first date, last date, size): qualifying windows of k consecutive dates (span < d) joined
    by union-find whenever they share a transfer."""
    n = len(dates)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    member = [False] * n
    for start in range(n - k + 1):
        if (dates[start + k - 1] - dates[start]).days < d:
            for i in range(start, start + k):
                member[i] = True
                parent[find(i)] = find(start)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        if member[i]:
            groups.setdefault(find(i), []).append(i)
    return [(dates[min(g)], dates[max(g)], len(g)) for g in groups.values()]


def random_case(seed: int, students: int = 240) -> Case:
    """A case with every kind planted at random, near-misses among them, and data of a term not examined."""
    rng = random.Random(seed)
    case = Case()
    schools = [f"S{i:02d}" for i in range(1, 7)]
    statuses = ["在籍"] * 12 + ["休学", "转出", "毕业"]
    numbers: list[str] = []
    for i in range(students):
        sid = f"G{seed:02d}{i:04d}"
        home = rng.choice(schools)
        roll = rng.random()
        if roll < 0.06 and numbers:
            number = rng.choice(numbers)  # shared number (duplicate when both 在籍)
        elif roll < 0.09:
            number = make_id(birth=rng.choice(["19000229", "20230230", "20081301"]), seq=f"{i % 1000:03d}")
        elif roll < 0.11:
            good = make_id(seq=f"{i % 1000:03d}", birth="20070615")
            number = rng.choice([good[:17], good + "1", good[:17] + "x", good[:17] + ("0" if good[17] != "0" else "1")])
        else:
            birth = rng.choice(["20000229", "20080101", "20071231"])
            number = make_id(region=f"{110100 + i // 1000:06d}", birth=birth, seq=f"{i % 1000:03d}")
        numbers.append(number)
        status = rng.choice(statuses)
        case.student(sid, home, status, number)
        pattern = rng.random()
        for term in ("2024-2", "2025-1", "2025-2"):
            if pattern < 0.08:
                continue  # no attendance at all
            if pattern < 0.12:
                case.attendance.append((sid, home, term, 0))
                continue
            if term == "2025-2" and pattern < 0.30:
                other = rng.choice([s for s in schools if s != home])
                home_days = rng.randint(0, 40)
                other_days = rng.choice([home_days, home_days + 1, max(0, home_days - 1), rng.randint(0, 80)])
                case.attendance.append((sid, home, term, home_days))
                case.attendance.append((sid, other, term, other_days))
                if rng.random() < 0.3:
                    third = rng.choice([s for s in schools if s not in (home, other)])
                    case.attendance.append((sid, third, term, rng.randint(0, 30)))
            else:
                case.attendance.append((sid, home, term, rng.randint(1, 90)))
        for term in ("2024-2", "2025-1", "2025-2"):
            if rng.random() < 0.5:
                where = home if rng.random() < 0.85 else rng.choice(schools)
                case.exams.append((sid, where, f"{term}-期末", term))
    # Transfers: scattered, plus dense runs around the threshold.
    ids = [r[0] for r in case.registry]
    base = dt.date(2024, 9, 1)
    for _ in range(60):
        src, dst = rng.sample(schools, 2)
        case.transfers.append((rng.choice(ids), src, dst, (base + dt.timedelta(days=rng.randint(0, 300))).isoformat()))
    for _ in range(6):
        src, dst = rng.sample(schools, 2)
        size = rng.choice([9, 10, 11, 14])
        spread = rng.choice([5, 29, 30, 45])
        start = rng.randint(0, 200)
        for j in range(size):
            when = base + dt.timedelta(days=start + (spread * j) // max(1, size - 1))
            case.transfers.append((rng.choice(ids), src, dst, when.isoformat()))
    case.transfers = sorted(set(case.transfers), key=lambda t: (t[3], t[0]))
    rng.shuffle(case.transfers)
    return case


def planted_case() -> Case:
    """Each kind once, and each near-miss the issue names next to it."""
    c = Case()
    # duplicate_registration: two 在籍 under one number; a 转出 copy of another number is not a duplicate.
    shared = make_id(seq="501")
    c.student("D1", "S01", id_number=shared)
    c.student("D2", "S02", id_number=shared)
    history = make_id(seq="502")
    c.student("D3", "S01", id_number=history)
    c.student("D4", "S03", status="转出", id_number=history)
    # ghost_registration: 在籍 with nothing; 休学/转出/毕业 with nothing are not ghosts.
    c.student("H1", "S01")
    c.student("H2", "S01", status="休学")
    c.student("H3", "S02", status="转出")
    c.student("H4", "S02", status="毕业")
    # Zero days only → ghost; attendance only in a term not examined → ghost; an exam alone → not a ghost.
    c.student("H5", "S03")
    c.attendance += [("H5", "S03", "2025-1", 0), ("H5", "S03", "2025-2", 0)]
    c.student("H6", "S03")
    c.attendance.append(("H6", "S03", "2024-2", 80))
    c.exams.append(("H6", "S03", "2024-2-期末", "2024-2"))
    c.student("H7", "S03")
    c.exams.append(("H7", "S03", "2025-1-期末", "2025-1"))
    # registry_attendance_mismatch: the example; exactly half elsewhere is not flagged.
    c.student("M1", "S03")
    c.attendance += [("M1", "S07", "2025-2", 61), ("M1", "S03", "2025-1", 70)]
    c.student("M2", "S03")
    c.attendance += [("M2", "S03", "2025-2", 40), ("M2", "S07", "2025-2", 40)]
    c.student("M3", "S03")
    c.attendance += [("M3", "S03", "2025-2", 40), ("M3", "S07", "2025-2", 41)]
    # A current-term exam elsewhere, attendance at home.
    c.student("M4", "S04")
    c.attendance.append(("M4", "S04", "2025-2", 90))
    c.exams.append(("M4", "S05", "2025-2-期末", "2025-2"))
    # Elsewhere only in the previous term: not flagged.
    c.student("M5", "S04")
    c.attendance += [("M5", "S05", "2025-1", 90), ("M5", "S04", "2025-2", 90)]
    c.exams.append(("M5", "S05", "2025-1-期末", "2025-1"))
    # Three schools, none more than half.
    c.student("M6", "S04")
    c.attendance += [("M6", "S04", "2025-2", 30), ("M6", "S05", "2025-2", 30), ("M6", "S06", "2025-2", 30)]
    # invalid_id_number: 19000229 is not a date; 20000229 is; a valid X check digit; lower-case x.
    c.student("I1", "S05", id_number=make_id(birth="19000229", seq="601"))
    leap = make_id(birth="20000229", seq="602")
    c.student("I2", "S05", id_number=leap)
    with_x = next(make_id(seq=f"{s:03d}") for s in range(1000) if make_id(seq=f"{s:03d}").endswith("X"))
    c.student("I3", "S05", id_number=with_x)
    c.student("I4", "S05", status="毕业", id_number=with_x[:17] + "x")
    c.student("I5", "S05", id_number="")
    c.student("I6", "S05", id_number=with_x[:17] + "1")
    # The same rule as every import: an address code starting with 0, a birth date not yet come.
    c.student("I7", "S05", id_number=make_id(region="010105", seq="603"))
    c.student("I8", "S05", id_number=make_id(birth="20991231", seq="604"))
    # Everyone above who should attend does, except the planted ghosts.
    for row in c.registry:
        sid, school = row[0], row[3]
        if sid in {"D1", "D2", "D3", "I1", "I2", "I3", "I5", "I6", "I7", "I8"}:
            c.attendance.append((sid, school, "2025-2", 85))
    # bulk_transfer (K = 10, D = 30): 10 within 29 days flagged; 9 within 3 days not; 10 spanning exactly 30
    # days not; two bursts far apart are two batches; a chain of overlapping windows is one batch.
    base = dt.date(2025, 3, 1)

    def burst(prefix: str, src: str, dst: str, offsets: list[int]) -> None:
        for j, off in enumerate(offsets):
            sid = c.student(f"{prefix}{j:02d}", src)
            c.attendance.append((sid, src, "2025-2", 80))
            c.transfers.append((sid, src, dst, (base + dt.timedelta(days=off)).isoformat()))

    burst("BA", "S01", "S09", [0, 3, 5, 8, 10, 12, 15, 20, 25, 29])
    burst("BB", "S01", "S08", [0, 0, 1, 1, 2, 2, 3, 3, 3])
    burst("BC", "S02", "S09", [0, 2, 4, 6, 8, 10, 12, 14, 16, 30])
    burst("BD", "S03", "S09", [0] * 10 + [200] * 10)
    burst("BE", "S04", "S09", list(range(0, 40, 2)))
    return c
