"""Tests of the registry engine and its command, on generated cases checked by an independent oracle."""
