"""dropout.linear_network: hidden-layer dropout with data, any activation (MATH 2.2).

E_{x,r} ||y - (1/theta) U diag(r) sigma(V^T x)||^2
    = E ||y - U sigma(V^T x)||^2 + lambda sum_i ||u_i||^2 E_x[sigma(v_i^T x)^2];
for sigma the identity the regularizer is lambda sum_i ||u_i||^2 v_i^T C v_i, C = E[x x^T].
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, Sum

from numerics import dropout as nd
from numerics.instances import random_factors
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import Derivation, run_derivation
from theorems.dropout.common import (
    AT,
    LAMBDA,
    ROUNDOFF,
    SMALL,
    THETA,
    H,
    N,
    U,
    V,
    X,
    Y,
    a,
    b,
    check_rate,
    d,
    generated_steps,
    i,
    lam,
    m,
    n,
    r,
    t,
)
from theorems.dropout.references import ARORA, MIANJY
from theorems.symbolic.expectation import Expectation

__all__ = ["NetworkClaim", "linear_network", "network_derivation", "DERIVATIONS",
           "check_network_derivations", "check_network_numerics", "ACTIVATIONS", "VARIANTS"]

ACTIVATIONS = ("linear", "relu", "tanh")
DERIVATIONS = ("any activation", "linear")
SIZES = {m: SMALL, n: SMALL, d: SMALL, N: SMALL}


@dataclass(frozen=True)
class NetworkClaim:
    """Claimed constant, rescale of kept units, and whether the data's covariance weighs v_i.

    >>> NetworkClaim(covariance=False).variant
    True
    """

    coefficient: sympy.Expr = LAMBDA
    rescale: sympy.Expr = 1 / THETA
    covariance: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "coefficient",
                           check_rate("coefficient", self.coefficient, {THETA}))
        object.__setattr__(self, "rescale", check_rate("rescale", self.rescale, {THETA}))
        if not isinstance(self.covariance, bool):
            raise ValueError(f"covariance: expected True or False, got {self.covariance!r}")

    @property
    def variant(self) -> bool:
        return self != NetworkClaim()

    def sides(self, hidden: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
        """Sum over samples t (N of them) and outputs a; ``hidden`` is h_it."""
        s, co = self.rescale, self.coefficient
        start = Expectation(Sum((Y[a, t] - s * Sum(U[a, i] * r[i] * hidden, (i, 1, d))) ** 2,
                                (a, 1, m), (t, 1, N)))
        fit = Sum((Y[a, t] - Sum(U[a, i] * hidden, (i, 1, d))) ** 2, (a, 1, m), (t, 1, N))
        reg = Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(hidden**2, (t, 1, N)), (i, 1, d))
        return start, fit + co * reg

    def linear_sides(self) -> tuple[sympy.Expr, sympy.Expr]:
        """The sides for h_it = v_i^T x_t (with ||v_i||^2 in place of v_i^T C v_i when
        ``covariance`` is False)."""
        linear_hidden = Sum(V[b, i] * X[b, t], (b, 1, n))
        start, claim = self.sides(linear_hidden)
        if not self.covariance:
            co = self.coefficient
            fit = claim - co * Sum(Sum(U[a, i] ** 2, (a, 1, m))
                                   * Sum(linear_hidden**2, (t, 1, N)), (i, 1, d))
            claim = fit + co * N * Sum(Sum(U[a, i] ** 2, (a, 1, m))
                                       * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, d))
        return start, claim

    def statement(self) -> sympy.Expr:
        return Eq(*self.sides(H[i, t]))


def network_derivation(claim: NetworkClaim, which: str) -> Derivation:
    """The derivation for ``which`` in :data:`DERIVATIONS` (symbolic sizes)."""
    if which == "any activation":
        start, rhs = claim.sides(H[i, t])
        title = "hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N"
    elif which == "linear":
        start, rhs = claim.linear_sides()
        title = "hidden dropout, linear activation, symbolic m, n, d, N"
    else:
        raise ValueError(f"which: expected one of {', '.join(DERIVATIONS)}, got {which!r}")
    return Derivation(title, start, generated_steps(start, {r: THETA}, rhs), sizes=SIZES,
                      values=AT)


def check_network_derivations(ctx: Context, claim: NetworkClaim) -> list[Evidence]:
    """Both derivations; the general one (any activation) is bound to the statement."""
    out = []
    for which in DERIVATIONS:
        der = network_derivation(claim, which)
        out.append(run_derivation(der, der.title, seed=ctx.seed, statement=claim.statement()))
    return out


def check_network_numerics(ctx: Context, claim: NetworkClaim) -> list[Evidence]:
    """The claimed right side against the exact mean over all 2^d masks, per activation."""
    co_of, s_of = lam(claim.coefficient), lam(claim.rescale)
    out = []
    for activation in ACTIVATIONS:
        rng = ctx.rng(f"network-{activation}")
        rows = []
        for mm, nx, dd in random_shapes(rng, ctx.profile.instances, max_d=8):
            samples = int(rng.integers(1, 30))
            Xm = rng.standard_normal((nx, samples))
            Ym = rng.standard_normal((mm, samples))
            Um, Vm = random_factors(mm, nx, dd, rng)
            theta = float(rng.uniform(0.1, 1.0))
            exact = nd.hidden_dropout_exact(Xm, Ym, Um, Vm, theta, activation,
                                            scale=s_of(theta))
            Hm = nd.ACTIVATIONS[activation](Vm.T @ Xm)
            fit = float(np.mean(np.sum((Ym - Um @ Hm) ** 2, axis=0)))
            second = np.mean(Hm * Hm, axis=1) if claim.covariance else np.sum(Vm * Vm, axis=0)
            claimed = fit + co_of(theta) * float(np.sum(np.sum(Um * Um, axis=0) * second))
            rows.append((relative_error(claimed, exact, 1e-12),
                         {"activation": activation, "outputs": mm, "inputs": nx,
                          "d": dd, "N": samples, "theta": theta,
                          "exact": exact, "claimed": claimed}))
        out.append(worst_case("numeric", f"{activation}: formula against the exact mean "
                              "over all 2^d masks", rows, ROUNDOFF, ctx,
                              {"measure": "relative error",
                               "tolerance_reason": "float64 round-off"}))
    return out


def linear_network(coefficient: sympy.Expr | None = None, rescale: sympy.Expr | None = None,
                   covariance: bool = True) -> Theorem:
    """Dropout on the hidden layer of a one-hidden-layer network with data (MATH 2.2).

    E_{x,r} ||y - (1/theta) U diag(r) sigma(V^T x)||^2
        = E ||y - U sigma(V^T x)||^2 + lambda sum_i ||u_i||^2 E_x[sigma(v_i^T x)^2];
    for sigma the identity the regularizer is lambda sum_i ||u_i||^2 v_i^T C v_i, C = E[x x^T].

    Parameters
    ----------
    coefficient : claimed constant (default (1 - theta)/theta).
    rescale : factor on kept units (default 1/theta).
    covariance : when False, claim the regularizer ||u_i||^2 ||v_i||^2 (data ignored),
        which is false unless C = I.

    Examples
    --------
    >>> thm = linear_network()
    >>> sorted(thm.derivations)
    ['any activation', 'linear']
    >>> thm.derivations["linear"]().title
    'hidden dropout, linear activation, symbolic m, n, d, N'
    """
    given = {"coefficient": coefficient, "rescale": rescale}
    claim = NetworkClaim(**{key: v for key, v in given.items() if v is not None},
                         covariance=covariance)
    bind = functools.partial
    return Theorem(
        id="dropout.linear_network",
        title="Hidden-layer dropout with data: the regularizer weighs ||u_i||^2 by the "
              "hidden unit's second moment" + (" (variant)" if claim.variant else ""),
        statement=claim.statement(),
        hypotheses=["samples x_t (columns of X, n x N), targets y_t (columns of Y, m x N);"
                    " E_x is the mean over the N samples",
                    "r_i independent Bernoulli(theta), kept units rescaled by 1/theta",
                    "sigma any activation (the identity gives v_i^T C v_i, C = X X^T / N)"],
        references=[MIANJY, ARORA],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivations for symbolic sizes", "symbolic",
                  bind(check_network_derivations, claim=claim),
                  "theorems.symbolic.expectation.bernoulli_moments"),
            Check("exact mean over all masks", "numeric",
                  bind(check_network_numerics, claim=claim),
                  "numerics.dropout.hidden_dropout_exact"),
        ],
        # zero-argument callables, as Theorem.derivations requires (they were Derivation
        # objects, which the report could not call: the page showed no derivation)
        derivations={which: bind(network_derivation, claim, which) for which in DERIVATIONS},
        expected=Status.PROVED,
        variants=() if claim.variant else VARIANTS,
    )


VARIANTS: tuple[Variant, ...] = (
    Variant("data ignored", lambda: linear_network(covariance=False),
            ("hidden dropout, linear activation, symbolic m, n, d, N",),
            "the regularizer weighs ||v_i||^2 by the data: v_i^T C v_i, not ||v_i||^2"),
    Variant("lambda = 1 - theta", lambda: linear_network(coefficient=1 - THETA),
            ("hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N",),
            "the coefficient forgets the 1/theta"),
    Variant("lambda off by 1e-6", lambda: linear_network(
        coefficient=LAMBDA * sympy.Rational(1000001, 1000000)),
        ("hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N",),
        "a near miss: lambda (1 + 10^-6)"),
)
