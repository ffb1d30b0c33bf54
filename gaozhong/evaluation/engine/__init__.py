"""Value-added engine (增值评价), no Django: read students' scores, fit y = Xβ + u_school + e by exact REML, and
report each school's effect with its interval and label.

Example (the Exam data of the tests)::

    from gaozhong.evaluation.engine import read_value_added_csv, fit_value_added
    data = read_value_added_csv("exam-mlmrev.csv", outcome="normexam", group="school", covariates=["standLRT"])
    result = fit_value_added(data, min_group_size=10)
    round(result.fit.group_variance, 6), result.effects[0].label   # (0.093839, 'above')

Modules: ``types`` (inputs and results), ``reader`` (DATA.csv), ``reml`` (profiled REML), ``effects`` (EBLUPs,
intervals, labels), ``value_added`` (the fit).
"""

from .effects import DEFAULT_MIN_GROUP_SIZE, Z_95, effect_label
from .reader import read_value_added_csv
from .types import GroupEffect, RemlFit, ValueAddedData, ValueAddedResult
from .value_added import fit_value_added

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "Z_95",
    "GroupEffect",
    "RemlFit",
    "ValueAddedData",
    "ValueAddedResult",
    "effect_label",
    "fit_value_added",
    "read_value_added_csv",
]
