"""Stage 4: give every lesson a room, slot by slot.

Home lessons go to the admin class's home room (rule 7). The other lessons of a slot are matched to free rooms
of their subject's room type that hold the class (rule 4): largest class first, keeping the room the class had
before when it is free and large enough, else the smallest room that fits. Because the rooms a class can use
are nested by size, this greedy order finds a matching whenever one exists, and the placement stage has
already made sure one does (Hall's condition).
"""

from __future__ import annotations

from collections import defaultdict

from .types import Case

__all__ = ["assign_rooms", "RoomShortage"]


class RoomShortage(Exception):
    pass


def assign_rooms(case: Case, lessons: list[tuple[str, int, str, int, str | None]]) -> dict[tuple[str, int], str]:
    """``lessons`` are (class id, slot, room type, size, fixed room or None); returns (class id, slot) → room id."""
    rooms_by_type: dict[str, list] = defaultdict(list)
    for r in case.rooms:
        rooms_by_type[r.type].append(r)
    for rs in rooms_by_type.values():
        rs.sort(key=lambda r: (r.capacity, r.id))
    by_slot: dict[int, list] = defaultdict(list)
    for les in lessons:
        by_slot[les[1]].append(les)
    out: dict[tuple[str, int], str] = {}
    last: dict[str, str] = {}
    for t in sorted(by_slot):
        taken: set[str] = set()
        rows = by_slot[t]
        for cid, _, _, _, fixed in rows:
            if fixed is not None:
                if fixed in taken:
                    raise RoomShortage(f"room {fixed} twice at slot {t}")
                taken.add(fixed)
                out[cid, t] = fixed
        flexible = sorted((r for r in rows if r[4] is None), key=lambda r: (-r[3], r[0]))
        for cid, _, rtype, size, _ in flexible:
            pool = [r for r in rooms_by_type[rtype] if r.id not in taken and r.capacity >= size]
            if not pool:
                raise RoomShortage(f"no free {rtype} room for {cid} ({size}) at slot {t}")
            pick = next((r for r in pool if r.id == last.get(cid)), pool[0])
            taken.add(pick.id)
            out[cid, t] = pick.id
            last[cid] = pick.id
    return out
