"""统一招生录取 (unified senior-high admissions): batches, 指标到校 quotas, explained and reproducible results.

The matching engine lives in :mod:`gaozhong.admissions.engine` (no Django); ``gaozhong admissions`` is its
command line (:mod:`gaozhong.admissions.cli`).
"""
