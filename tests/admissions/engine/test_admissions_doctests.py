"""The runnable examples in the engine's module docstrings are correct."""

from __future__ import annotations

import doctest

import pytest

from gaozhong.admissions.engine import match, plan, quotas


@pytest.mark.parametrize("module", [match, plan, quotas], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
