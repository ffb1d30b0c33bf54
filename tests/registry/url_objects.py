"""Registry URLs that take an id, for the foundation's scoping walker."""

from __future__ import annotations


def _anomaly(world, place):
    from gaozhong.registry.models import RegistryAnomaly, RegistryCheck

    check = RegistryCheck.objects.create(created_by=world.city_user, current_term="2025-2", terms=["2025-1", "2025-2"], bulk_threshold=10, bulk_window_days=30)
    return RegistryAnomaly.objects.create(check_run=check, kind="ghost_registration", student=place.student, student_no=place.student.student_no,
                                          school=place.school, evidence="test")


def _check(world, place):
    return _anomaly(world, place).check_run


OBJECT_URLS = {"registry_anomaly": _anomaly, "registry_check_export": _check}  # the export is the city bureau's only
