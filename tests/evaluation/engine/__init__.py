"""Tests of the value-added engine and its command; none needs Django."""
