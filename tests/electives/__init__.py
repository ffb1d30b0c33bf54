"""Tests of the course-selection and timetabling engine (issue 7): checker, generator and contract tests."""
