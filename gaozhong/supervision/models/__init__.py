"""Models of supervision (督导), one module per subject; import them from here."""

from .api import ApiCall, ApiToken
from .catalog import Adoption, DataElement, Indicator, IndicatorVersion, PolicyDocument
from .intake import Submission, SubmissionValue
from .ledger import Evidence, Milestone, Task

__all__ = [
    "Adoption", "ApiCall", "ApiToken", "DataElement", "Evidence", "Indicator", "IndicatorVersion", "Milestone", "PolicyDocument", "Submission",
    "SubmissionValue", "Task",
]
