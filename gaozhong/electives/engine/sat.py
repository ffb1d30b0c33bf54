"""One place that configures OR-Tools CP-SAT the same way for every stage: both cores, a fixed seed and
interleaved search so that a seed gives the same answer on every run, a time limit, and a stop event that
ends the search early (the web job's "stop" button)."""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

__all__ = ["run", "cp_model"]


def run(model: cp_model.CpModel, *, time_limit: float, seed: int, stop: threading.Event | None = None,
        workers: int = 2, wall_limit: float | None = None, gap: float | None = None) -> tuple[int, cp_model.CpSolver]:
    """Solve ``model`` and return (status, solver). Deterministic for a seed unless the time limit cuts it short.
    ``gap``: stop once the objective is within this much of the proven bound."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = workers
    p.random_seed = seed
    p.interleave_search = workers > 1
    # Deterministic time (a count of work done) decides when to stop, so a busy machine gives the same answer;
    # the wall-clock limit (the caller's remaining time, else twenty times as long) is only a backstop.
    p.max_deterministic_time = max(0.05, time_limit)
    p.max_time_in_seconds = max(0.1, time_limit * 20 if wall_limit is None else wall_limit)
    p.log_search_progress = False
    if gap is not None:
        p.absolute_gap_limit = gap
    if stop is None:
        return solver.solve(model), solver
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if stop.is_set():
                solver.stop_search()
                return

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        th.join()
    return status, solver
