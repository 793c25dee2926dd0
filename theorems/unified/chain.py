"""unified.dropout_chain: dropout -> product-of-weights -> nuclear norm -> certified optimum
-> capacity.

The verdict composes the linked theorems' verdicts (:mod:`theorems.unified.links`,
each verified once per call at the caller's seed and profile; links 1-9 serve the
seed slide's three links) with three checks of its own: the closed-form dropout
optimum is certified through the nuclear-norm dual bound, descent end points are
certified run by run, and the capacity of the dropout optimum is computed against
least squares' (:mod:`theorems.unified.capacity`: a bound, not an observed gap).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from numerics import dropout as nd
from numerics import factorization as nf
from numerics.descent import batched_descent
from numerics.instances import geometric_spectrum, with_singular_values
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.dropout import THETA
from theorems.unified import capacity
from theorems.unified.capacity import CapacityClaim
from theorems.unified.links import (
    HOWS,
    LINKED_IDS,
    LINKS,
    default_factory,
    link_evidence,
    link_name,
    unavailable_evidence,
)
from theorems.unified.references import DROPOUT_CHAIN as REFERENCES

__all__ = ["ChainClaim", "dropout_chain", "dropout_lambda", "VARIANTS"]

CLOSED_FORM_RTOL = 1e-8  # certificate of the closed form: round-off gaps ~1e-10 observed
DESCENT_RTOL = 1e-4  # descent end points: the gap bound is first order in the residual
SETTLED_GRAD = 1e-7  # a run counts as settled below this gradient norm, relative to 1 + ||X||_F^2
#                      (~1e-6 after 5000 steps) while the value is second order (~1e-12)
SOUND_RTOL = 1e-12  # a certified lower bound may exceed the optimum by round-off only

Factory = Callable[[], Theorem]


@dataclass(frozen=True)
class ChainClaim:
    """Which theorems back the links: ``overrides`` replaces some (id -> factory, or
    None for a theorem that is not available); the others are the families' own.
    ``capacity``: the constants the third link's own check claims."""

    overrides: tuple[tuple[str, Factory | None], ...] = ()
    capacity: CapacityClaim = CapacityClaim()

    def __post_init__(self) -> None:
        pairs = tuple(self.overrides.items() if isinstance(self.overrides, Mapping)
                      else self.overrides)
        for theorem_id, factory in pairs:
            if theorem_id not in LINKED_IDS:
                raise ValueError(f"overrides: {theorem_id!r} backs no link; the linked "
                                 f"theorems are {', '.join(LINKED_IDS)}")
            if factory is not None and not callable(factory):
                raise ValueError(f"overrides: the factory of {theorem_id!r} is not callable")
        object.__setattr__(self, "overrides", pairs)
        if not isinstance(self.capacity, CapacityClaim):
            raise ValueError(f"capacity: expected a CapacityClaim, got {self.capacity!r}")

    @property
    def is_default(self) -> bool:
        """The claim of the library (no overrides, the capacity claim's defaults)."""
        return not self.overrides and self.capacity == CapacityClaim()

    def factory(self, theorem_id: str) -> tuple[Factory | None, str | None]:
        """The factory backing ``theorem_id``, or (None, why it is not available)."""
        for key, factory in self.overrides:
            if key == theorem_id:
                return factory, (None if factory is not None else "removed by the overrides")
        return default_factory(theorem_id)


def dropout_lambda(theta: float) -> float:
    """lambda = (1 - theta)/theta, computed here rather than by the kernels under test."""
    return (1.0 - theta) / theta


def _dropout_instance(rng: np.random.Generator, max_side: int = 8) -> dict[str, Any]:
    mm, nn = (int(v) for v in rng.integers(3, max_side + 1, size=2))
    k = min(mm, nn)
    X = with_singular_values(mm, nn, geometric_spectrum(k, 10.0, 3.0), rng)
    theta = float(rng.uniform(0.3, 0.95))
    return {"X": X, "theta": theta, "lam": dropout_lambda(theta), "k": k}


# -- checks ----------------------------------------------------------------------------------


def check_compose(ctx: Context, claim: ChainClaim) -> list[Evidence]:
    """One evidence per link: its theorem's verdict (verified once per call), folded."""
    verdicts: dict[str, Any] = {}
    reasons: dict[str, str | None] = {}
    for theorem_id in LINKED_IDS:
        factory, reasons[theorem_id] = claim.factory(theorem_id)
        verdicts[theorem_id] = (None if factory is None
                                else factory().verify(seed=ctx.seed, profile=ctx.profile))
    return [unavailable_evidence(k, link, reasons[link.theorem] or "no factory")
            if verdicts[link.theorem] is None else link_evidence(k, link, verdicts[link.theorem])
            for k, link in enumerate(LINKS, start=1)]


def check_closed_form(ctx: Context, claim: ChainClaim) -> Evidence:
    """The closed-form dropout optimum (numerics.dropout.global_minimizer) is certified
    through the nuclear norm at tau = kappa ||M*||_* when rho <= d, and never when the
    width binds.  lambda is computed here, so a kernel with a wrong lambda is refuted."""
    rng = ctx.rng("closed-form")
    rows, free, binding = [], 0, 0
    for _ in range(ctx.profile.instances):
        inst = _dropout_instance(rng)
        X, theta, lam, k = inst["X"], inst["theta"], inst["lam"], inst["k"]
        sigma = np.linalg.svd(X, compute_uv=False)
        for d in (k + int(rng.integers(0, 3)), 1):
            rho_free, _ = nd.dropout_threshold(sigma, lam / d, None)
            if d == 1 and rho_free <= 1:
                continue  # no binding instance at this rate
            g = nd.global_minimizer(X, theta, d)
            cert = nf.certify_dropout(X, g.U, g.V, lam, rtol=CLOSED_FORM_RTOL)
            sound = cert.lower_bound <= g.value * (1 + SOUND_RTOL)
            if rho_free <= d:  # the convex problem has the same optimum: must certify
                free += 1
                measured = cert.gap_bound / g.value if sound else np.inf
            else:  # the width binds: min f > min h, so no certificate may pass
                binding += 1
                measured = 0.0 if (sound and not cert.optimal) else np.inf
            rows.append((measured, {
                "shape": list(X.shape), "theta": theta, "d": d,
                "regime": "free" if rho_free <= d else "width binds",
                "rho": g.rho, "tau": g.tau, "certificate_tau": cert.tau,
                "value": g.value, "lower_bound": cert.lower_bound,
                "gap_bound": cert.gap_bound, "certified": cert.optimal,
                "spectral_norm_of_X_minus_M": cert.nuclear.spectral_norm}))
    return worst_case(
        "numeric", "the dropout optimum is the nuclear-norm optimum at tau = kappa ||M*||_*: "
        "certified when rho <= d, never when the width binds [checked numerically]",
        rows, CLOSED_FORM_RTOL, ctx,
        {"measure": "relative certified gap (free regime); inf if a binding instance is "
                    "certified or a lower bound exceeds the optimum",
         "free_instances": free, "binding_instances": binding,
         "tolerance_reason": "float64 round-off of the dual bound"})


def check_descent(ctx: Context, claim: ChainClaim) -> Evidence:
    """Settled descent end points on the dropout objective are certified global optima.

    Only settled runs (small gradient) test the landscape: a run still moving when
    the budget ends (slow, quartic directions when d > rank) is no evidence either
    way, whereas a settled run with a large certified gap would be a spurious
    stationary point.  Most runs unsettled: inconclusive.
    """
    rng = ctx.rng("descent")
    runs = max(4, ctx.profile.starts // 16)
    rows, unsettled = [], 0
    for _ in range(ctx.profile.instances):
        inst = _dropout_instance(rng)
        X, theta, lam, k = inst["X"], inst["theta"], inst["lam"], inst["k"]
        d = k + int(rng.integers(0, 3))  # rho <= k <= d: the convex bound is tight
        g = nd.global_minimizer(X, theta, d)
        scale = 0.5 * np.sqrt(np.linalg.norm(X, 2) / d)
        init = [rng.standard_normal((runs, X.shape[0], d)) * scale,
                rng.standard_normal((runs, X.shape[1], d)) * scale]
        res = batched_descent(nd.factorized_objective(X, lam), init, step=0.05,
                              iterations=5000, grad_tol=1e-10)
        settled = res.grad_norms <= SETTLED_GRAD * (1.0 + np.sum(X * X))
        unsettled += int(np.sum(~settled))
        for Uf, Vf in zip(res.params[0][settled], res.params[1][settled], strict=True):
            cert = nf.certify_dropout(X, Uf, Vf, lam, rtol=DESCENT_RTOL)
            rows.append((cert.gap_bound / cert.objective, {
                "shape": list(X.shape), "theta": theta, "d": d, "certified": cert.optimal,
                "value": cert.objective, "closed_form": g.value,
                "gap_bound": cert.gap_bound, "equalization_gap": cert.equalization_gap}))
    name = ("descent end points on the dropout objective are certified global optima by "
            "the nuclear-norm dual bound [observed per run, not proved]")
    details = {"measure": "relative certified gap of each settled end point",
               "runs_per_instance": runs, "unsettled_runs": unsettled,
               "settled_gradient": f"<= {SETTLED_GRAD:g} (1 + ||X||_F^2)",
               "tolerance_reason": "the dual gap is first order in the residual of the "
                                   "descent"}
    total = runs * ctx.profile.instances
    if 2 * unsettled > total:  # most runs still moving: nothing was observed
        ev = Evidence.inconclusive("landscape", name, f"{unsettled} of {total} runs did not "
                                   "settle within the iteration budget", **details)
        ev.instances = total
        return ev
    return worst_case("landscape", name, rows, DESCENT_RTOL, ctx, details)


def check_capacity(ctx: Context, claim: ChainClaim) -> Evidence:
    """The third link's own check: capacity of the closed-form dropout optimum against
    least squares' on the chain's instances (:func:`theorems.unified.capacity.check_capacity`)."""
    return capacity.check_capacity(ctx, claim.capacity, _dropout_instance)


# -- the theorem -----------------------------------------------------------------------------


def dropout_chain(overrides: Mapping[str, Callable[[], Theorem] | None] | None = None,
                  capacity_claim: CapacityClaim | None = None) -> Theorem:
    """Dropout -> product-of-weights -> nuclear norm -> global optimum, as one verdict.

    Parameters
    ----------
    overrides : mapping from theorem id to a factory (or None), optional
        Replace a linked theorem (e.g. by a deliberately wrong variant, which must
        make the chain ``refuted``), or remove it (None: the link is unchecked and
        the chain ``inconclusive``).  By default each link is the factory of its
        family (``theorems.dropout``, ``theorems.factorization``,
        ``theorems.generalization``).
    capacity_claim : CapacityClaim, optional
        The constants of the capacity check (default: the true ones); a wrong one
        must make the chain ``refuted``.

    Examples
    --------
    >>> from theorems.dropout import THETA, matrix_factorization
    >>> bad = {"dropout.matrix_factorization": lambda: matrix_factorization(coefficient=THETA)}
    >>> dropout_chain(overrides=bad).verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = ChainClaim(dict(overrides or {}), capacity_claim or CapacityClaim())
    X_, M_, d_, lam_ = sympy.symbols("X M d lambda", positive=True)
    nuclear = sympy.Function("nuclear_norm")
    statement = sympy.Eq(
        sympy.Function("min_UV_dropout_objective")(X_, d_),
        sympy.Function("min_M")(sympy.Function("frobenius_norm")(X_ - M_) ** 2
                                + lam_ / d_ * nuclear(M_) ** 2))

    def wire(fn, kind: str, name: str, backed_by: str) -> Check:
        return Check(name, kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="unified.dropout_chain",
        title="Dropout -> product-of-weights regularizer -> nuclear norm -> certified global "
              "optimum -> capacity" + ("" if claim.is_default else " (variant)"),
        statement=statement,
        hypotheses=[
            "X in R^{m x n}; dropout keeps each of the d hidden units with probability "
            "theta in (0, 1), lambda = (1 - theta)/theta, kappa = lambda/d",
            "the seed's three links: (1) dropout is a product-of-weights regularizer, "
            "(2) such regularizers have no spurious local minima, (3) they generalize well; "
            "links 1-9 are theorems of this library serving them (their own verdicts say "
            "whether each is proved symbolically or checked numerically)",
            "'generalize well' is read as a computed bound: the capacity (path norm, "
            "Lipschitz constant, exact Rademacher complexity) of the dropout optimum is at "
            "most least squares', and the margin bound holds; no generalization gap of a "
            "trained network is observed",
            "'descent reaches the global optimum' is observed on random instances and "
            "certified run by run, not proved: Haeffele-Vidal needs equal degrees of "
            "homogeneity, and dropout's regularizer has degree 4 against degree 2",
        ],
        references=list(REFERENCES),
        note="proofs_notes/unified.md",
        checks=[
            wire(check_compose, "numeric", "compose the linked verdicts",
                 "theorems.unified.links.link_evidence"),
            wire(check_closed_form, "numeric", "dropout optimum certified through the "
                 "nuclear norm",
                 "numerics.factorization.certify_dropout, numerics.dropout.global_minimizer"),
            wire(check_descent, "landscape", "descent end points certified",
                 "numerics.descent.batched_descent, numerics.factorization.certify_dropout"),
            wire(check_capacity, "numeric", "capacity of the dropout optimum against least "
                 "squares", "numerics.generalization.chain_capacity, "
                 "numerics.generalization.rademacher_linear, "
                 "numerics.generalization.linear_margin, numerics.dropout.global_minimizer"),
        ],
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


def _broken(theorem_id: str, **wrong: Any) -> Factory:
    """The family's factory of ``theorem_id`` called with wrong constants."""
    factory, why = default_factory(theorem_id)
    if factory is None:
        raise ValueError(f"{theorem_id}: {why}")
    return functools.partial(factory, **wrong)


def _broken_matrix_factorization() -> Theorem:
    return dropout_chain({"dropout.matrix_factorization":
                          _broken("dropout.matrix_factorization", coefficient=THETA)})


def _broken_certificate() -> Theorem:
    return dropout_chain({"factorization.certificate":
                          _broken("factorization.certificate", threshold=sympy.Rational(1, 2))})


def _caught_by_link(index: int, theorem_id: str) -> tuple[str, ...]:
    """The names link ``index`` has when ``theorem_id``'s verdict is refuted."""
    link = LINKS[index - 1]
    return tuple(f"{link_name(index, link)} [{how}; {theorem_id}: refuted]"
                 for how in HOWS[:3])


def _wrong_capacity(**wrong: Any) -> Factory:
    return functools.partial(dropout_chain, capacity_claim=CapacityClaim(**wrong))


CAPACITY_NAME = capacity.NAME

VARIANTS: tuple[Variant, ...] = (
    Variant("dropout link with lambda -> theta", _broken_matrix_factorization,
            _caught_by_link(1, "dropout.matrix_factorization"),
            "a wrong regularizer weight breaks link 1"),
    Variant("certificate at half the threshold", _broken_certificate,
            _caught_by_link(5, "factorization.certificate"),
            "a wrong certificate threshold breaks link 5"),
    Variant("path norm squared = ||M||_*^2 (no 1/d)", _wrong_capacity(path_norm_d_power=0.0),
            (CAPACITY_NAME,), "the Frobenius product of a balanced optimum taken for the "
            "path norm: off by d whenever d > 1"),
    Variant("path norm squared = ||M||_*^2 / d^1.01", _wrong_capacity(path_norm_d_power=1.01),
            (CAPACITY_NAME,), "a near-miss exponent of the width: off by d^0.01"),
    Variant("dropout's capacity at least least squares'", _wrong_capacity(dropout_smaller=False),
            (CAPACITY_NAME,), "the wrong side: shrinking singular values lowers every norm"),
    Variant("margin bound o(x) / L (no sqrt2)", _wrong_capacity(margin_constant=1.0),
            (CAPACITY_NAME,), "||w_y - w_j||_2 <= sqrt2 ||W||_2 is attained up to a factor "
            "that exceeds 1 / sqrt2 on generic instances"),
)
"""Broken links and wrong capacity constants the chain must refute, with the evidence
that fails first."""
