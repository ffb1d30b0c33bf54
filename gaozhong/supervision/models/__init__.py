"""Models of supervision (督导), one module per subject; import them from here."""

from .api import ApiCall, ApiToken
from .catalog import DataElement, Indicator, IndicatorVersion
from .intake import Submission, SubmissionValue
from .ledger import Evidence, Milestone, Task

__all__ = [
    "ApiCall", "ApiToken", "DataElement", "Evidence", "Indicator", "IndicatorVersion", "Milestone", "Submission",
    "SubmissionValue", "Task",
]
