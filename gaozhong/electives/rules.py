"""The 3+1+2 choice rule (seed 000 §二 and 001 §二, the new gaokao): one first subject of 物理/历史 and two
of 化学/生物/政治/地理. Plain Python, shared by the student's form, the staff import and the tests.
"""

from __future__ import annotations

__all__ = ["FIRST", "SECOND", "check_combination", "canonical", "COMBINATIONS"]

FIRST = ("WL", "LS")  # 物理, 历史
SECOND = ("HX", "SW", "ZZ", "DL")  # 化学, 生物, 政治, 地理
NAMES = {"WL": "物理", "LS": "历史", "HX": "化学", "SW": "生物", "ZZ": "政治", "DL": "地理"}


def canonical(codes) -> list[str]:
    """The codes in the usual order: the first subject, then the two others as in SECOND."""
    order = {c: i for i, c in enumerate(FIRST + SECOND)}
    return sorted(codes, key=lambda c: order.get(c, 99))


def check_combination(codes: list[str]) -> list[str]:
    """Why ``codes`` is not a 3+1+2 choice (empty when it is)."""
    problems = []
    unknown = [c for c in codes if c not in NAMES]
    if unknown:
        problems.append(f"未知科目 {'、'.join(unknown)} (unknown subject)")
    if len(set(codes)) != len(codes):
        problems.append("同一科目选了两次 (a subject chosen twice)")
    first = [c for c in codes if c in FIRST]
    second = [c for c in set(codes) if c in SECOND]
    if len(first) != 1:
        problems.append("物理、历史须选且只选一门 (choose exactly one of physics and history)")
    if len(second) != 2:
        problems.append("化学、生物、政治、地理须选两门 (choose exactly two of chemistry, biology, politics and geography)")
    return problems


COMBINATIONS = [[f, a, b] for f in FIRST for i, a in enumerate(SECOND) for b in SECOND[i + 1:]]

#: the Chinese name of each room type a school's rooms file and plan use (a type not listed is shown as typed)
ROOM_TYPE_NAMES = {
    "normal": "普通教室", "home": "本班教室", "field": "操场", "lab-phy": "物理实验室", "lab-chem": "化学实验室",
    "lab-bio": "生物实验室", "lab-it": "信息技术教室", "gym": "体育馆",
}
