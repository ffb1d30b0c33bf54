"""选课走班与排课 (course selection and timetabling): teaching classes and a clash-free timetable for 3+1+2 schools.

The solver lives in :mod:`gaozhong.electives.engine` (no Django); the command ``gaozhong timetable`` is
:mod:`gaozhong.electives.cli`.
"""
