"""Engine and command tests for ``gaozhong timetable`` (no Django)."""
