"""SHA-256 of a case's canonical inputs, its policy and the engine version, to reproduce a recorded run.

The digest covers exactly what can change the output files: every program (in programs.csv order, which is
the order of cutoffs.csv), every student (in students.csv order, the order of results.csv) with the columns
the run uses, the preferences in (student, batch, rank) order, the policy and :data:`ENGINE_VERSION`.
It does not depend on the files' encoding, spacing, number spelling (``07`` = ``7.0``), ignored columns or the
row order of preferences.csv. Two cases with the same digest give byte-identical output files. The 高中阶段
inputs (schools.csv in school_id order, programs' major and special_type, the new policy settings, a 补录
round's files) are covered when the case has them; a case without them has the digest it had before them.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from .types import ENGINE_VERSION, AdmissionCase
from .values import format_number

__all__ = ["canonical_inputs_digest"]


def canonical_inputs_digest(case: AdmissionCase) -> str:
    """Hex SHA-256 over the canonical inputs, the policy and the engine version."""
    h = hashlib.sha256()

    def put(tag: str, data: bytes) -> None:
        h.update(tag.encode("ascii") + b"\0" + len(data).to_bytes(8, "little") + data)

    def put_array(tag: str, a: np.ndarray, dtype: str) -> None:
        put(tag, np.ascontiguousarray(a, dtype=dtype).tobytes())

    def put_json(tag: str, obj: object) -> None:
        put(tag, json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))

    pol = case.policy
    put("engine", ENGINE_VERSION.encode("utf-8"))
    put_json("policy", {
        "tiebreak": list(pol.tiebreak),
        "mechanism": pol.mechanism,
        "band_width": None if pol.band_width is None else str(pol.band_width),
    })
    prog = case.programs
    put_json("programs", [
        [
            prog.program_id[i],
            prog.school_id[i],
            int(prog.batch[i]),
            int(prog.capacity[i]),
            None if np.isnan(prog.min_score[i]) else format_number(prog.min_score[i]),
            None if prog.feeder[i] < 0 else case.junior_ids[prog.feeder[i]],
            list(prog.counties[i]),
            prog.rank_by[i],
            None if prog.rollover_to[i] < 0 else prog.program_id[prog.rollover_to[i]],
        ]
        for i in range(len(prog))
    ])
    st = case.students
    put("student_id", "\0".join(st.student_id.to_list()).encode("utf-8"))
    put_json("junior_ids", case.junior_ids)
    put_array("junior", st.junior, "<i4")
    put_json("county_names", case.county_names)
    put_array("county", st.county, "<i4")
    for column in sorted(st.values):
        v = st.values[column]
        canonical = np.where(np.isnan(v), np.nan, v + 0.0)  # one NaN, no -0.0
        put("value:" + column, canonical.astype("<f8").tobytes())
    put_array("lottery", st.lottery, "<i8")
    pr = case.preferences
    put_array("pref.student", pr.student, "<i4")
    put_array("pref.batch", pr.batch, "<i8")
    put_array("pref.rank", pr.rank, "<i8")
    put_array("pref.program", pr.program, "<i4")
    # The 高中阶段 parts (issue 17) enter only when the case has them, so that a case in the earlier format keeps
    # its digest (and a recorded run of an earlier year stays reproducible).
    extended = pol.extended()
    if extended:
        put_json("policy.extended", extended)
    if prog.major is not None or prog.special_type is not None:
        put_json("programs.extended", {"major": prog.major, "special_type": prog.special_type})
    if case.schools is not None:
        sc = case.schools
        put_json("schools", sorted(zip(sc.school_id, sc.county, sc.level)))
    supp = case.supplementary
    if supp is not None:
        put_array("supp.first_program", supp.first_program, "<i4")
        put_array("supp.first_rank", supp.first_rank, "<i8")
        put_array("supp.declined", supp.declined, "u1")
        put_array("supp.seats", supp.seats, "<i8")
        sp = supp.preferences
        put_array("supp.pref.student", sp.student, "<i4")
        put_array("supp.pref.batch", sp.batch, "<i8")
        put_array("supp.pref.rank", sp.rank, "<i8")
        put_array("supp.pref.program", sp.program, "<i4")
    return h.hexdigest()
