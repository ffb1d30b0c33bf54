"""Models of the foundation, one module per subject; import them from here."""

from .access import Membership, Role
from .audit import AuditEvent
from .jobs import Job
from .mfa import TotpDevice
from .people import Candidate, Enrollment, Student, Subject, Teacher, TeachingAssignment
from .places import AdminClass, City, County, School, SchoolYear

__all__ = [
    "AdminClass", "AuditEvent", "Candidate", "City", "County", "Enrollment", "Job", "Membership", "Role", "School",
    "SchoolYear", "Student", "Subject", "Teacher", "TeachingAssignment", "TotpDevice",
]
