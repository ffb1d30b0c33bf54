"""Tests of the student-registry integrity check (gaozhong.registry)."""
