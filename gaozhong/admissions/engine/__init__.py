"""The admission engine: plain Python, NumPy and Polars, no Django.

Public API (imported lazily, so ``split-quota`` does not load Polars):

- :func:`read_case`, :func:`case_from_tables` — validated :class:`AdmissionCase` from files or tables
- :func:`run_admission` — batches, eligibility, deferred acceptance, rollovers → :class:`AdmissionResult`
- :func:`canonical_inputs_digest` — SHA-256 of canonical inputs + policy + engine version
- :func:`allocate_quotas` — 指标到校 split (seed 002 §三(一))
- verifiers in :mod:`.verify` (``is_within_capacity``, ``has_no_justified_envy``, …)
- plan proposals and county retention in :mod:`.plan` (seed 003 §三(二)3, seed 002 §二)
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "read_case": "readcase",
    "case_from_tables": "readcase",
    "run_admission": "run",
    "canonical_inputs_digest": "digest",
    "allocate_quotas": "quotas",
    "AdmissionCase": "types",
    "AdmissionResult": "types",
    "Policy": "types",
    "ENGINE_VERSION": "types",
    "results_csv": "output",
    "cutoffs_csv": "output",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)
