"""CVXPY solver policy: which solver, what tolerance, what counts as an answer.

Nuclear norms become (m+n) x (m+n) semidefinite cones; SCS handles them at the
sizes used here in about a second, where Clarabel takes minutes (DESIGN.md,
"Known traps").  Only the status "optimal" is an answer: "optimal_inaccurate"
and every failure make the calling check inconclusive, never passed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import cvxpy as cp

__all__ = ["ConvexResult", "solve", "SCS_EPS"]

# SCS's relative tolerance on residuals and duality gap; checks against a closed form
# use a relative tolerance a few times larger than this.
SCS_EPS = 1e-7


@dataclass
class ConvexResult:
    """What a solve produced.

    Attributes
    ----------
    status : str
        CVXPY's status string.
    value : float or None
        The optimal value when the status is "optimal".
    solver : str
    seconds : float
    variables : dict
        Values of the problem's variables by name (None when not optimal).
    """

    status: str
    value: float | None
    solver: str
    seconds: float
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        return self.status == cp.OPTIMAL


def solve(problem: cp.Problem, solver: str = "SCS", eps: float = SCS_EPS,
          max_iters: int = 200_000) -> ConvexResult:
    """Solve with a named solver and report the status honestly.

    Parameters
    ----------
    problem : cvxpy.Problem
    solver : str
        "SCS" by default (semidefinite cones); any installed CVXPY solver name.
    eps : float
        Relative and absolute tolerance passed to SCS.
    max_iters : int
        Iteration cap of SCS.

    Returns
    -------
    ConvexResult
        ``value`` and ``variables`` are None/empty unless the status is optimal.
    """
    if solver not in cp.installed_solvers():
        raise ValueError(f"solver: {solver!r} is not installed; have {cp.installed_solvers()}")
    options: dict[str, Any] = {}
    if solver == "SCS":
        options = {"eps_abs": eps, "eps_rel": eps, "max_iters": max_iters}
    start = time.perf_counter()
    try:
        problem.solve(solver=solver, **options)
        status = str(problem.status)
    except cp.error.SolverError as exc:
        status = f"solver_error: {exc}"
    seconds = time.perf_counter() - start
    if status != cp.OPTIMAL:
        return ConvexResult(status, None, solver, seconds)
    variables = {v.name(): v.value for v in problem.variables()}
    return ConvexResult(status, float(problem.value), solver, seconds, variables)
