"""Tests of the Django-free Excel/CSV importer (gaozhong.importer)."""
