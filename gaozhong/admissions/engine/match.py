"""Student-proposing deferred acceptance on arrays, in parallel rounds.

In every round each student without a seat proposes to the next acceptable program on their list. A program
keeps the applicants it ranks highest up to its capacity and rejects the rest; a rejected student proposes to
the next choice in the following round. When nobody is rejected any more the tentative admissions are final.
The result is the student-optimal stable matching: no student prefers a program that admitted someone it ranks
lower (no justified envy) and no program leaves a seat empty that an acceptable applicant asked for. When all
programs share one ranking it equals serial dictatorship in that ranking (平行志愿: 分数优先，遵循志愿).

Rule: seed 003 §三(二)3, 分批分层录取 (one run per batch; see :mod:`run`); seed 002 §三(一), no admission
beyond the plan.

>>> import numpy as np
>>> # two students, one seat; both list program 0 first; student 1 is ranked higher (key 0 < key 1)
>>> held = deferred_acceptance(np.array([0, 2, 3]), np.array([0, 1, 0]), np.array([1, 1, 0]), np.array([1, 1]))
>>> held.tolist()  # student 0 holds row 1 (program 1), student 1 holds row 2 (program 0)
[1, 2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["deferred_acceptance", "deferred_acceptance_common", "serial_dictatorship", "last_admitted"]

_INF = np.iinfo(np.int64).max
#: serial_dictatorship hands the remaining students to rounds of proposals after this many blocks if the
#: blocks have been short (fewer than 256 students each on average).
HAND_OVER_AFTER_BLOCKS = 200


def _group_order(prog: np.ndarray, key: np.ndarray, key_span: int, n_prog: int) -> np.ndarray:
    """Permutation sorting rows by (program, key)."""
    if key_span > 0 and n_prog * key_span < 2**62:
        return np.argsort(prog.astype(np.int64) * key_span + key, kind="stable")
    return np.lexsort((key, prog))


def deferred_acceptance(
    offsets: np.ndarray,
    row_prog: np.ndarray,
    row_key: np.ndarray,
    capacity: np.ndarray,
) -> np.ndarray:
    """Return, for each student, the row of the choice they are admitted through (-1 = none).

    Parameters
    ----------
    offsets : int array of length S + 1
        Student ``s``'s acceptable choices are rows ``offsets[s]:offsets[s + 1]``, most preferred first.
    row_prog : int array
        Program of each row, ``0 <= row_prog < P``.
    row_key : int64 array
        The program's priority of the row's student; lower is better, no two rows of one program equal.
    capacity : int array of length P
        Seats of each program.
    """
    n_students = len(offsets) - 1
    n_prog = len(capacity)
    held = np.full(n_students, -1, dtype=np.int64)
    if n_students == 0 or len(row_prog) == 0:
        return held
    row_prog = row_prog.astype(np.int64, copy=False)
    row_key = row_key.astype(np.int64, copy=False)
    capacity = capacity.astype(np.int64, copy=False)
    key_span = int(row_key.max()) + 1
    ptr = offsets[:-1].astype(np.int64).copy()
    end = offsets[1:].astype(np.int64)
    held_prog = np.full(n_students, n_prog, dtype=np.int64)  # n_prog = none
    held_key = np.zeros(n_students, dtype=np.int64)
    count = np.zeros(n_prog, dtype=np.int64)
    worst = np.full(n_prog, -1, dtype=np.int64)  # largest key held
    cutoff = np.where(capacity > 0, _INF, -1)  # a proposal gets in for now iff key < cutoff
    must_choose = np.zeros(n_prog + 1, dtype=bool)
    free = np.flatnonzero(ptr < end)
    while free.size:
        rows = ptr[free]
        ptr[free] += 1
        p = row_prog[rows]
        k = row_key[rows]
        ok = k < cutoff[p]
        rejected = free[~ok]
        s_in, r_in, p_in, k_in = free[ok], rows[ok], p[ok], k[ok]
        displaced = np.zeros(0, dtype=np.int64)
        if s_in.size:
            arriving = np.bincount(p_in, minlength=n_prog)
            over = count + arriving > capacity
            easy = ~over[p_in]
            if easy.any():
                se, pe, ke = s_in[easy], p_in[easy], k_in[easy]
                held[se] = r_in[easy]
                held_prog[se] = pe
                held_key[se] = ke
                count += np.bincount(pe, minlength=n_prog)
                np.maximum.at(worst, pe, ke)
            if over.any():
                hard = ~easy
                must_choose[:n_prog] = over
                incumbents = np.flatnonzero(must_choose[held_prog])
                cand_s = np.concatenate([incumbents, s_in[hard]])
                cand_r = np.concatenate([held[incumbents], r_in[hard]])
                cand_p = np.concatenate([held_prog[incumbents], p_in[hard]])
                cand_k = np.concatenate([held_key[incumbents], k_in[hard]])
                order = _group_order(cand_p, cand_k, key_span, n_prog)
                cand_s, cand_r, cand_p, cand_k = cand_s[order], cand_r[order], cand_p[order], cand_k[order]
                first = np.r_[0, np.flatnonzero(cand_p[1:] != cand_p[:-1]) + 1]
                sizes = np.diff(np.r_[first, cand_p.size])
                position = np.arange(cand_p.size) - np.repeat(first, sizes)
                keep = position < capacity[cand_p]
                ks, kp = cand_s[keep], cand_p[keep]
                held[ks] = cand_r[keep]
                held_prog[ks] = kp
                held_key[ks] = cand_k[keep]
                out = cand_s[~keep]
                held[out] = -1
                held_prog[out] = n_prog
                displaced = out
                last = first + np.minimum(sizes, capacity[cand_p[first]]) - 1
                groups = cand_p[first]
                count[groups] = np.minimum(sizes, capacity[groups])
                worst[groups] = np.where(last >= first, cand_k[np.maximum(last, 0)], -1)
                must_choose[:n_prog] = False
            full = count >= capacity
            cutoff = np.where(full, np.where(capacity > 0, worst, -1), _INF)
        free = np.concatenate([rejected, displaced])
        free = free[ptr[free] < end[free]]
    return held


def deferred_acceptance_common(
    starts: np.ndarray, ends: np.ndarray, row_prog: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """:func:`deferred_acceptance` when every program ranks the students in one order: student ``s`` is the
    ``s``-th in that order and lists rows ``starts[s]:ends[s]``, most preferred first.

    The same rounds run without sorting keys: the applicants of an over-full program are found in priority
    order by scanning the students, and a stable (radix) sort by program keeps that order within each program.
    """
    n_students = len(starts)
    n_prog = len(capacity)
    held = np.full(n_students, -1, dtype=np.int64)
    if n_students == 0 or len(row_prog) == 0:
        return held
    prog_dtype = np.uint16 if n_prog < 2**16 else np.int64
    row_prog = row_prog.astype(np.int64, copy=False)
    capacity = capacity.astype(np.int64, copy=False)
    ptr = starts.astype(np.int64).copy()
    end = ends.astype(np.int64)
    target = np.full(n_students, n_prog, dtype=np.int64)  # program applied to and not (yet) rejected by
    count = np.zeros(n_prog, dtype=np.int64)
    worst = np.full(n_prog, -1, dtype=np.int64)  # lowest-priority student held
    cutoff = np.where(capacity > 0, _INF, -1)
    contested = np.zeros(n_prog + 1, dtype=bool)
    free = np.flatnonzero(ptr < end)
    while free.size:
        rows = ptr[free]
        ptr[free] += 1
        p = row_prog[rows]
        ok = free < cutoff[p]
        rejected = free[~ok]
        s_in, p_in, r_in = free[ok], p[ok], rows[ok]
        displaced = np.zeros(0, dtype=np.int64)
        if s_in.size:
            target[s_in] = p_in
            held[s_in] = r_in
            arriving = np.bincount(p_in, minlength=n_prog)
            over = count + arriving > capacity
            easy = ~over[p_in]
            if easy.any():
                pe = p_in[easy]
                count += np.bincount(pe, minlength=n_prog)
                np.maximum.at(worst, pe, s_in[easy])
            if over.any():
                contested[:n_prog] = over
                cand = np.flatnonzero(contested[target])  # in priority order
                tp = target[cand]
                order = np.argsort(tp.astype(prog_dtype), kind="stable")
                cand, tp = cand[order], tp[order]
                first = np.r_[0, np.flatnonzero(tp[1:] != tp[:-1]) + 1]
                sizes = np.diff(np.r_[first, tp.size])
                position = np.arange(tp.size) - np.repeat(first, sizes)
                keep = position < capacity[tp]
                out = cand[~keep]
                target[out] = n_prog
                held[out] = -1
                displaced = out
                groups = tp[first]
                kept = np.minimum(sizes, capacity[groups])
                count[groups] = kept
                worst[groups] = np.where(kept > 0, cand[first + np.maximum(kept, 1) - 1], -1)
                contested[:n_prog] = False
            full = count >= capacity
            cutoff = np.where(full, np.where(capacity > 0, worst, -1), _INF)
        free = np.concatenate([rejected, displaced])
        free = free[ptr[free] < end[free]]
    return held


def serial_dictatorship(
    starts: np.ndarray, ends: np.ndarray, row_prog: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Students in priority order each take their first listed program with a seat left (平行志愿).

    With one common ranking this is the outcome of student-proposing deferred acceptance (the arguments and
    the result are those of :func:`deferred_acceptance_common`). It runs on blocks of students: every student
    of a block takes their first choice with seats left at the start of the block; up to the first student
    who would overfill a program those choices are final, and the next block starts at that student. The
    number of blocks is about the number of programs that fill, so this suits batches with few, large
    programs; when programs keep filling every few students it hands the rest of the students to
    :func:`deferred_acceptance_common`, which suits many small programs.
    """
    n_students = len(starts)
    n_prog = len(capacity)
    held = np.full(n_students, -1, dtype=np.int64)
    if n_students == 0 or len(row_prog) == 0:
        return held
    prog_dtype = np.uint16 if n_prog < 2**16 else np.int32  # uint16 sorts by radix
    lens = (ends - starts).astype(np.int64)
    offsets = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(lens, out=offsets[1:])
    rows = _concatenated_ranges(starts, ends, lens, offsets)  # rows in priority order of their students
    prog = row_prog.astype(prog_dtype)[rows]
    owner = np.repeat(np.arange(n_students, dtype=np.int32), lens)
    remaining = capacity.astype(np.int64).copy()
    pos, block, blocks = 0, 256, 0
    while pos < n_students:
        blocks += 1
        if blocks > HAND_OVER_AFTER_BLOCKS and pos < 256 * blocks:
            # Programs fill every few students: rounds of proposals do the rest faster. The students before
            # `pos` are final, so the rest is the same problem with the seats that are left.
            held[pos:] = deferred_acceptance_common(starts[pos:], ends[pos:], row_prog, remaining)
            break
        hi = min(pos + block, n_students)
        r0, r1 = offsets[pos], offsets[hi]
        p_blk = prog[r0:r1]
        avail = np.flatnonzero(remaining[p_blk] > 0)
        own = owner[r0:r1][avail]
        first = np.ones(own.size, dtype=bool)
        np.not_equal(own[1:], own[:-1], out=first[1:])
        at = avail[first]  # each student's first row with a seat left, in priority order
        who = own[first]
        want = p_blk[at]
        stop = hi
        if want.size:
            # The (remaining + 1)-th student of the block wanting a program is the first to find it full.
            order = np.argsort(want, kind="stable")
            sorted_want = want[order]
            bounds = np.flatnonzero(sorted_want[1:] != sorted_want[:-1]) + 1
            group_start = np.concatenate(([0], bounds))
            group_end = np.concatenate((bounds, [sorted_want.size]))
            cut = group_start + remaining[sorted_want[group_start]]
            full = cut < group_end
            take = want.size
            if full.any():
                take = int(order[cut[full]].min())
                stop = int(who[take])  # this student finds the program full: start the next block here
            held[who[:take]] = rows[r0 + at[:take]]
            remaining -= np.bincount(want[:take], minlength=n_prog)
        block = block * 2 if stop == hi else max(256, 2 * (stop - pos))
        block = min(block, 1 << 16)
        pos = stop
    return held


def _concatenated_ranges(starts: np.ndarray, ends: np.ndarray, lens: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """``starts[0]:ends[0]``, then ``starts[1]:ends[1]``, … as one array (``offsets`` = running sum of ``lens``):
    a running sum of steps of 1 that jumps at the start of every non-empty range."""
    total = int(offsets[-1])
    dtype = np.intp  # an index array (NumPy converts any other one before gathering)
    if total == 0:
        return np.zeros(0, dtype=dtype)
    nonempty = np.flatnonzero(lens > 0)
    step = np.ones(total, dtype=dtype)
    first = nonempty[0]
    step[0] = starts[first]
    later = nonempty[1:]
    step[offsets[later]] = starts[later] - ends[nonempty[:-1]] + 1
    return np.cumsum(step, dtype=dtype)


def last_admitted(held_rows: np.ndarray, row_prog: np.ndarray, row_key: np.ndarray, n_prog: int) -> np.ndarray:
    """For each program, the admitted row it ranks lowest (largest key), -1 if it admitted nobody."""
    out = np.full(n_prog, -1, dtype=np.int64)
    if held_rows.size == 0:
        return out
    p = row_prog[held_rows].astype(np.int64)
    k = row_key[held_rows].astype(np.int64)
    order = _group_order(p, k, int(k.max()) + 1, n_prog)
    p_sorted = p[order]
    is_last = np.r_[p_sorted[1:] != p_sorted[:-1], True]
    out[p_sorted[is_last]] = held_rows[order[is_last]]
    return out
