"""Models of the people app, one module per subject; import them from here."""

from .ethics import BannedPerson, EthicsRecord, Nomination
from .profile import HireCheck, Move, PostRecord, Qualification
from .training import Course, TrainingRecord

__all__ = ["BannedPerson", "Course", "EthicsRecord", "HireCheck", "Move", "Nomination", "PostRecord", "Qualification", "TrainingRecord"]
