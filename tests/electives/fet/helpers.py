"""Small FET files written by hand for the FET tests, and where Debian's fet-data examples live."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")
LISTED = [
    "Spain/3-school/primaria.fet", "Argentina/Horario_ISJ.fet", "anonymous/1/2008/anonymous-1-2008.fet",
    "Vietnam/2-secondary-school/VietNamHungYen.fet", "Greece/Didymoteicho/6th-Primary-School.fet",
    "Italy/2007/simple/simpler-Italian.fet", "Germany/DGS-Pro/dgspro200809.fet",
    "Spain/2-secondary-school/secondary-school.fet",
]


def example(rel: str) -> Path:
    p = EXAMPLES / rel
    if not p.exists():
        pytest.skip(f"fet-data example {rel} not installed")
    return p


def need_fet_cl() -> None:
    if shutil.which("fet-cl") is None:
        pytest.skip("fet-cl (Debian package fet) not installed")


def act(aid: int, teachers=(), students=(), subject="Math", duration=1, group=0, tags=(), active=True) -> str:
    t = "".join(f"<Teacher>{x}</Teacher>" for x in teachers)
    s = "".join(f"<Students>{x}</Students>" for x in students)
    g = "".join(f"<Activity_Tag>{x}</Activity_Tag>" for x in tags)
    return (f"<Activity>{t}<Subject>{subject}</Subject>{g}{s}<Duration>{duration}</Duration>"
            f"<Total_Duration>{duration}</Total_Duration><Id>{aid}</Id><Activity_Group_Id>{group}</Activity_Group_Id>"
            f"<Active>{'true' if active else 'false'}</Active><Comments></Comments></Activity>\n")


def fet(*, days=3, hours=4, teachers=("T1", "T2"), subjects=("Math", "Art"), tags=("Lab",), years="",
        activities="", time="", space="", rooms="") -> str:
    """A FET 6 file; ``years`` is raw Students_List content (default: one year Y1 without groups)."""
    years = years or "<Year><Name>Y1</Name><Number_of_Students>20</Number_of_Students></Year>"
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fet version=\"6.8.5\">\n<Mode>Official</Mode>\n"
            "<Institution_Name>t</Institution_Name>\n"
            f"<Days_List><Number_of_Days>{days}</Number_of_Days>"
            + "".join(f"<Day><Name>D{i + 1}</Name></Day>" for i in range(days)) + "</Days_List>\n"
            f"<Hours_List><Number_of_Hours>{hours}</Number_of_Hours>"
            + "".join(f"<Hour><Name>H{i + 1}</Name></Hour>" for i in range(hours)) + "</Hours_List>\n"
            "<Subjects_List>" + "".join(f"<Subject><Name>{s}</Name></Subject>" for s in subjects) + "</Subjects_List>\n"
            "<Activity_Tags_List>" + "".join(f"<Activity_Tag><Name>{s}</Name></Activity_Tag>" for s in tags)
            + "</Activity_Tags_List>\n"
            "<Teachers_List>" + "".join(f"<Teacher><Name>{t}</Name></Teacher>" for t in teachers) + "</Teachers_List>\n"
            f"<Students_List>{years}</Students_List>\n<Activities_List>\n{activities}</Activities_List>\n"
            f"<Buildings_List></Buildings_List>\n<Rooms_List>{rooms}</Rooms_List>\n"
            "<Time_Constraints_List>\n<ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage>"
            f"<Active>true</Active></ConstraintBasicCompulsoryTime>\n{time}</Time_Constraints_List>\n"
            "<Space_Constraints_List>\n<ConstraintBasicCompulsorySpace><Weight_Percentage>100</Weight_Percentage>"
            f"<Active>true</Active></ConstraintBasicCompulsorySpace>\n{space}</Space_Constraints_List>\n</fet>\n")


def room(name: str, cap: int = 40) -> str:
    return f"<Room><Name>{name}</Name><Building></Building><Capacity>{cap}</Capacity><Virtual>false</Virtual></Room>"


def c(kind: str, weight: float = 100, **fields) -> str:
    """A constraint element; list values repeat the element, tuple-pair lists become Day/Hour blocks."""
    body = f"<Weight_Percentage>{weight:g}</Weight_Percentage>"
    for k, v in fields.items():
        if isinstance(v, list):
            for x in v:
                if isinstance(x, tuple):
                    (tag, (dt, ht)), = [(k, ("Day", "Hour"))] if not k.startswith("Preferred") else [(k, _pref_tags(k))]
                    body += f"<{tag}><{dt}>{x[0]}</{dt}><{ht}>{x[1]}</{ht}></{tag}>"
                else:
                    body += f"<{k}>{x}</{k}>"
        else:
            body += f"<{k}>{v}</{k}>"
    return f"<{kind}>{body}<Active>true</Active></{kind}>\n"


def _pref_tags(k: str) -> tuple[str, str]:
    return ("Preferred_Starting_Day", "Preferred_Starting_Hour") if k == "Preferred_Starting_Time" else ("Preferred_Day", "Preferred_Hour")
