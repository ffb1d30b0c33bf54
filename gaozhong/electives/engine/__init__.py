"""Course-selection and timetabling engine (选课走班排课), plain Python with no Django.

    >>> from gaozhong.electives.engine import read_case, solve   # doctest: +SKIP
    >>> result = solve(read_case("case/"), time_limit=120, seed=1)

Stages: :mod:`.reading` (validate the case directory), :mod:`.feasibility` (counting checks with a diagnosis),
:mod:`.formation` (teaching classes and 走班 blocks), :mod:`.teachers`, :mod:`.placement` (CP-SAT), :mod:`.rooms`,
:mod:`.output`, all run by :mod:`.pipeline`; :mod:`.moves` checks a manual move and re-solves with minimal change; :mod:`.formclasses`
forms admin classes around the choices (分班).
"""

from importlib import import_module

__all__ = ["read_case", "solve", "check_move", "resolve_unavailable", "Case", "ClassInfo", "Lesson", "Result",
           "Infeasible", "NoTimetableFound"]

# Loaded on first use, so that reading a case (and refusing bad input) does not pay for importing OR-Tools.
_WHERE = {"read_case": ".reading", "solve": ".pipeline", "check_move": ".moves", "resolve_unavailable": ".moves",
          "Case": ".types", "ClassInfo": ".types", "Lesson": ".types", "Result": ".types", "Infeasible": ".types",
          "NoTimetableFound": ".types"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(name)
