"""The demo city's supervision: it adopts a coherent set of documents, and every verdict on its 推进不力 list is a
target of an adopted document that governs that unit."""

from __future__ import annotations

import pytest

from gaozhong.supervision import demo as sup_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The foundation's demo city with only supervision's demo data on top."""
    from django.db import transaction

    from gaozhong.core import demo as core_demo

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(core_demo, "_domain_demo_modules", lambda: iter([sup_demo]))
        with transaction.atomic():
            core_demo.build_demo(seed=2025)
            yield
            transaction.set_rollback(True)


def test_the_demo_adopts_one_coherent_set(demo):
    from gaozhong.supervision.models import Adoption

    adopted = {a.document.code: a for a in Adoption.objects.select_related("document", "county")}
    assert set(adopted) == {"000", "001", "002", "004"}  # one 十四五 plan (002), not 运城's as well
    county_doc = adopted["001"]
    assert county_doc.county.name == "白水县" and set(county_doc.schools) == {"阳城一中", "阳城二中", "西城高中"}


def test_every_laggard_verdict_is_a_governing_adopted_target(demo):
    from gaozhong.supervision.selectors import build_pack, latest_complete_year

    pack = build_pack()
    year = latest_complete_year()
    units = [*pack.counties, *pack.schools]
    laggards = pack.laggards(units, year)
    assert laggards, "the demo shows units falling behind"
    county_doc = pack.adoptions["001"]
    for lg in laggards:
        unit = lg["unit"]
        for ind in lg["missed"] + lg["at_risk"]:
            v = ind.version_for(year)
            assert v.document_code in pack.adoptions and pack.governs(v, unit), (unit.name, ind.code)
            if v.document_code == "001":
                assert unit.county_id == county_doc.county_id, (unit.name, ind.code)
            assert v.document_code != "003"
    print({lg["unit"].name: [i.code for i in lg["missed"] + lg["at_risk"]] for lg in laggards})


def test_late_ledger_tasks_carry_the_citys_reason(demo):
    from gaozhong.supervision.models import Task
    from gaozhong.supervision.services.ledger import clause_deadline

    for t in Task.objects.exclude(kind="rectification"):
        limit = clause_deadline(t.source_clause)
        assert (limit is not None and t.due_date > limit) == bool(t.late_reason), t.title
