"""Write a solved FET file: the input text unchanged plus, for every active activity, a locked
``ConstraintActivityPreferredStartingTime`` at 100 % and, where it has a room, a locked
``ConstraintActivityPreferredRoom`` at 100 % -- the shape of FET's own ``*_data_and_timetable.fet``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .model import FetFile, Placement

__all__ = ["locked_fet_text", "time_lock_xml", "room_lock_xml"]


def time_lock_xml(aid: int, day: str, hour: str) -> str:
    return ("<ConstraintActivityPreferredStartingTime>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
            f"\t<Activity_Id>{aid}</Activity_Id>\n\t<Preferred_Day>{escape(day)}</Preferred_Day>\n"
            f"\t<Preferred_Hour>{escape(hour)}</Preferred_Hour>\n\t<Permanently_Locked>true</Permanently_Locked>\n"
            "\t<Active>true</Active>\n\t<Comments></Comments>\n</ConstraintActivityPreferredStartingTime>\n")


def room_lock_xml(aid: int, room: str) -> str:
    return ("<ConstraintActivityPreferredRoom>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
            f"\t<Activity_Id>{aid}</Activity_Id>\n\t<Room>{escape(room)}</Room>\n"
            "\t<Permanently_Locked>true</Permanently_Locked>\n\t<Active>true</Active>\n\t<Comments></Comments>\n"
            "</ConstraintActivityPreferredRoom>\n")


def _insert(text: str, section: str, block: str) -> str:
    close = f"</{section}>"
    i = text.rfind(close)
    if i >= 0:
        return text[:i] + block + text[i:]
    empty = f"<{section}/>"
    j = text.rfind(empty)
    if j >= 0:
        return text[:j] + f"<{section}>\n{block}{close}" + text[j + len(empty):]
    k = text.rfind("</fet>")
    return text[:k] + f"<{section}>\n{block}{close}\n" + text[k:]


def locked_fet_text(F: FetFile, P: Placement) -> str:
    """IN.fet plus the locks. A lock the file already holds (same activity and place, 100 %, permanently
    locked, active) is not written twice: FET drops such a duplicate on reading, with a message."""
    H = len(F.hours)
    have_t = {(c.p["acts"][0], c.p["starts"][0]) for c in F.constraints
              if c.kind == "ConstraintActivityPreferredStartingTime" and c.hard and c.p["locked"]}
    have_r = {(c.p["act"], next(iter(c.p["rooms"]))) for c in F.constraints
              if c.kind == "ConstraintActivityPreferredRoom" and c.hard and c.p["locked"]}
    times = "".join(time_lock_xml(a.id, F.days[P.start[a.id] // H], F.hours[P.start[a.id] % H]) for a in F.activities
                    if (a.id, divmod(P.start[a.id], H)) not in have_t)
    rooms = "".join(room_lock_xml(a.id, P.room[a.id]) for a in F.activities
                    if a.id in P.room and (a.id, P.room[a.id]) not in have_r)
    text = _insert(F.text, "Time_Constraints_List", times)
    if rooms:
        text = _insert(text, "Space_Constraints_List", rooms)
    return text
