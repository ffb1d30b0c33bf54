"""Evaluation (增值评价): value-added models of student progress per school, and school profiles beyond one score.

The engine in :mod:`gaozhong.evaluation.engine` has no Django import; the command ``gaozhong evaluation`` in
:mod:`gaozhong.evaluation.cli` runs it on a CSV file.
"""
