"""MATH 4 on singular values: tau and the rule for rho from the KKT conditions, rho symbolic."""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, IndexedBase, Rational, Sum

from theorems.dropout.spectral import KAPPA, RHO, S_RHO, TRUE_THRESHOLD, i

__all__ = ["stationarity"]


# -- section 4: stationarity on the singular values -------------------------------------------


def stationarity(threshold: sympy.Expr = TRUE_THRESHOLD) -> dict[str, Any]:
    """Derive tau and the rule for rho from the KKT conditions, rho symbolic (MATH 4).

    On singular values (von Neumann) the problem is
    min_{mu >= 0} sum_i (sigma_i - mu_i)^2 + kappa (sum_i mu_i)^2 with mu_i = 0 for
    i > d.  On an active set {1..rho}: d/dmu_k = 0 gives mu_k = sigma_k - kappa T,
    T = sum mu; summing over k solves for T, and tau = kappa T.  An inactive
    i needs d/dmu_i >= 0 at mu_i = 0, i.e. sigma_i <= tau.

    Returns
    -------
    dict
        ``steps`` (name, ok, detail), ``tau`` (derived), ``ok`` (bool), and
        ``counterexample`` (exact values where the claimed threshold differs).
    """
    thr = sympy.sympify(threshold)
    sig, mu = IndexedBase("sigma", real=True), IndexedBase("mu", real=True)
    T = sympy.Symbol("T", nonnegative=True)
    kk = sympy.Symbol("k", integer=True, positive=True)
    objective = (Sum((sig[i] - mu[i]) ** 2, (i, 1, RHO))
                 + KAPPA * Sum(mu[i], (i, 1, RHO)) ** 2)
    steps: list[dict[str, Any]] = []
    grad = sympy.diff(objective, mu[kk]).doit()
    # 1 <= k <= rho: take the branch of each Piecewise whose condition is k <= rho
    pieces = list(grad.atoms(sympy.Piecewise))
    ok_branch = all(p.args[0][1] == (kk <= RHO) for p in pieces)
    active = grad.replace(lambda t: isinstance(t, sympy.Piecewise), lambda t: t.args[0][0])
    active = active.subs(Sum(mu[i], (i, 1, RHO)), T)
    solved = sympy.solve(sympy.Eq(active, 0), mu[kk])
    steps.append({"name": "d/dmu_k = 0 on the active set", "ok": ok_branch and len(solved) == 1,
                  "detail": f"gradient {active}; solution mu_k = {solved}"})
    mu_k = solved[0] if solved else sympy.nan
    shift = sympy.simplify(sig[kk] - mu_k)
    steps.append({"name": "every active value shrinks by the same amount", "ok":
                  shift.free_symbols <= {KAPPA, T}, "detail": f"sigma_k - mu_k = {shift}"})
    # linearity of the finite sum, term by term (Sum.doit keeps an Add with an unknown part)
    total = Add(*[Sum(term, (kk, 1, RHO)).doit() for term in Add.make_args(sympy.expand(mu_k))])
    S = Sum(sig[kk], (kk, 1, RHO))
    t_solved = sympy.solve(sympy.Eq(T, sympy.expand(total)), T)
    steps.append({"name": "T = sum_k mu_k solved for T", "ok": len(t_solved) == 1,
                  "detail": f"T = {t_solved}"})
    tau = sympy.simplify(shift.subs(T, t_solved[0])) if t_solved else sympy.nan
    claimed = thr.subs(S_RHO, S)
    agree = sympy.simplify(claimed - tau) == 0
    steps.append({"name": "derived tau equals the claimed threshold", "ok": bool(agree),
                  "detail": f"derived tau = {tau}; claimed {thr}"})
    # inactive unit k > rho at mu_k = 0 with T fixed: d/dmu_k = 2 (kappa T - sigma_k)
    inactive = sympy.diff((sig[kk] - mu[kk]) ** 2 + KAPPA * (T + mu[kk]) ** 2, mu[kk])
    inactive = inactive.subs(mu[kk], 0)
    kkt_ok = sympy.simplify(inactive - 2 * (KAPPA * T - sig[kk])) == 0
    steps.append({"name": "KKT for an inactive unit: sigma_k <= tau", "ok": bool(kkt_ok),
                  "detail": f"d/dmu_k at mu_k = 0 is {inactive} = 2 (tau - sigma_k)"})
    # the rule: j qualifies iff sigma_j > tau_{j-1} (one more active unit stays positive);
    # with S_j = S_{j-1} + sigma_j this is (1 + kappa j)(sigma_j - thr(j)) =
    # (1 + kappa (j - 1))(sigma_j - thr(j - 1)) for the true threshold
    jj, sj, sprev = sympy.symbols("j sigma_j S_prev", positive=True)
    at = lambda count, partial: thr.subs({RHO: count, S_RHO: partial})  # noqa: E731
    rule = sympy.simplify((1 + KAPPA * jj) * (sj - at(jj, sprev + sj))
                          - (1 + KAPPA * (jj - 1)) * (sj - at(jj - 1, sprev)))
    steps.append({"name": "rule for rho: sigma_j > thr(j) iff sigma_j > thr(j - 1)",
                  "ok": rule == 0,
                  "detail": f"difference of the two scaled margins: {rule}. Hence the valid j "
                            "form a prefix (sigma_j >= sigma_(j+1) > thr(j)), and j = rho + 1 "
                            "failing is exactly the inactive KKT condition sigma <= tau"})
    ok = all(st["ok"] for st in steps)
    counterexample = None
    if not ok:
        values = {KAPPA: Rational(1, 2), RHO: 2, S_RHO: 3}
        counterexample = {"values": {str(kx): str(v) for kx, v in values.items()},
                          "derived_tau": str(tau.subs(S, S_RHO).subs(values)),
                          "claimed_tau": str(thr.subs(values)),
                          "rule_margin_difference": str(rule.subs({KAPPA: Rational(1, 2),
                                                                   jj: 2, sj: 1, sprev: 2}))}
    return {"steps": steps, "tau": tau, "ok": ok, "counterexample": counterexample}
