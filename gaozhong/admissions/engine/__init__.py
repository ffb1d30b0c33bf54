"""The admission engine: plain Python, NumPy and Polars, no Django.

Public API (imported lazily, so ``split-quota`` does not load Polars):

- :func:`read_case`, :func:`case_from_tables` — validated :class:`AdmissionCase` from files or tables
- :func:`run_admission` — batches, eligibility, deferred acceptance, rollovers → :class:`AdmissionResult`
- :func:`run_supplementary` — a 补录 round after the published first round (issue 17)
- :func:`run_outputs`, :func:`publicity_outputs` — every output file of ``run`` / ``publicity`` for a case
  (普职比, 第一次录取完成率 and 公示 in :mod:`.stage`)
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
    "run_outputs": "output",
    "publicity_outputs": "output",
    "run_supplementary": "supplementary",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)
