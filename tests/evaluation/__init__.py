"""Tests of the evaluation domain (增值评价)."""
