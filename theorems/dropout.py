"""Dropout is a product-of-weights regularizer (MATH.md sections 1 and 2).

Theorems
--------
dropout.matrix_factorization
    E_r ||X - (1/theta) U diag(r) V^T||_F^2 = ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2.
dropout.doubling
    Duplicating the columns keeps U V^T and halves the regularizer; theta(d)
    = p/(p + d(1 - p)) keeps lambda(d)/d fixed.
dropout.linear_regression
    Dropout on the inputs of least squares is ridge with weights diag(X^T X).
dropout.linear_network
    One hidden layer with data, linear or not: the regularizer is
    lambda sum_i ||u_i||^2 E_x[sigma(v_i^T x)^2].

Each factory takes the claimed constants as arguments (SymPy expressions in
:data:`THETA` or :data:`P`), so a deliberately wrong variant is built by the
same code as the theorem and must come out ``refuted``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy
from sympy import Eq, IndexedBase, Matrix, Rational, Sum, symbols

from numerics import dropout as nd
from numerics.instances import conditioned_matrix, random_factors
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Reference, Theorem
from theorems.derivation import EXPAND, Derivation, Step, Transform, run_derivation
from theorems.symbolic.expectation import Expectation, bernoulli_moments, linearity

__all__ = [
    "THETA",
    "P",
    "matrix_factorization",
    "doubling",
    "linear_regression",
    "linear_network",
    "THEOREMS",
]

THETA = sympy.Symbol("theta", positive=True)
P = sympy.Symbol("p", positive=True)
m, n, d, N, k = symbols("m n d N k", integer=True, positive=True)
a, b, i, j, t, l = symbols("a b i j t l", integer=True, positive=True)
X, U, V, r = IndexedBase("X"), IndexedBase("U"), IndexedBase("V"), IndexedBase("r")
y, w, R, Y, H = IndexedBase("y"), IndexedBase("w"), IndexedBase("R"), IndexedBase("Y"), \
    IndexedBase("H")

LAMBDA = (1 - THETA) / THETA
Z_SCORE = 5.0  # Monte Carlo checks: |mean - claim| <= 5 standard errors (two-sided p ~ 6e-7)
ROUNDOFF = 1e-10  # exact float64 checks: relative error, far above accumulated round-off
SMALL = {m: 2, n: 2, d: 2, N: 2, k: 2}  # sizes of the concrete counterexample search
AT = {THETA: Rational(1, 3), P: Rational(1, 3)}  # exact rate used in that search

CAVAZZA = Reference(
    "J. Cavazza, P. Morerio, B. Haeffele, C. Lane, V. Murino, R. Vidal",
    "Dropout as a Low-Rank Regularizer for Matrix Factorization",
    "AISTATS", 2018, arxiv="1710.05092",
)
SEED = Reference(
    "R. Vidal, J. Bruna, R. Giryes, S. Soatto", "Mathematics of Deep Learning",
    "CDC tutorial", 2017, arxiv="1712.04741", where="slide 'Toward a Unified Theory?'",
)
SRIVASTAVA = Reference(
    "N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov",
    "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
    "JMLR 15", 2014, where="section 9.1, linear regression",
)
WAGER = Reference("S. Wager, S. Wang, P. Liang", "Dropout Training as Adaptive Regularization",
                  "NeurIPS", 2013, arxiv="1307.1493")
MIANJY = Reference("P. Mianjy, R. Arora, R. Vidal", "On the Implicit Bias of Dropout",
                   "ICML", 2018, arxiv="1806.09777")
ARORA = Reference("R. Arora, P. Bartlett, P. Mianjy, N. Srebro",
                  "Dropout: Explicit Forms and Capacity Control", "ICML", 2021,
                  arxiv="2003.03397")


def _lam(expr: sympy.Expr):
    """A float function of theta (or p) from a SymPy expression."""
    fn = sympy.lambdify([THETA, P], expr, "math")
    return lambda value: float(fn(value, value))


def _fixed_size_expectation(loss: sympy.Expr, masks: list[sympy.Symbol],
                            keep: sympy.Expr) -> sympy.Expr:
    """E over independent Bernoulli(keep) masks of a polynomial, by multilinearity.

    Each monomial prod r_i^(k_i) has expectation keep^(number of i with k_i > 0),
    since r^k = r for a 0/1 variable and distinct masks are independent.
    """
    poly = sympy.Poly(sympy.expand(loss), *masks)
    out = sympy.S.Zero
    for exps, coeff in poly.terms():
        out += coeff * keep ** sum(1 for e in exps if e > 0)
    return out


def _symbolic_matrix(name: str, rows: int, cols: int) -> Matrix:
    return Matrix(rows, cols, lambda p_, q_: sympy.Symbol(f"{name}_{p_ + 1}{q_ + 1}"))


def _fixed_size_evidence(name: str, cases: list[tuple[dict, sympy.Expr, sympy.Expr]],
                         ctx: Context) -> Evidence:
    """Exact polynomial identity at fixed sizes; a nonzero difference is evaluated at
    seeded small integers and theta = 1/3 to give a concrete counterexample."""
    rng = ctx.rng(name)
    for sizes, lhs, rhs in cases:
        diff = sympy.expand(lhs - rhs)
        if diff != 0:
            values = {s: sympy.Integer(int(rng.integers(-3, 4))) for s in diff.free_symbols
                      if s not in (THETA, P)}
            values.update({THETA: Rational(1, 3), P: Rational(1, 3)})
            residue = sympy.nsimplify(diff.xreplace(values))
            cex = {"sizes": sizes, "theta": "1/3", "difference": str(residue),
                   "entries": {str(s): int(v) for s, v in values.items() if s not in AT}}
            passed = None if residue == 0 else False
            return Evidence("symbolic", name, passed, instances=len(cases),
                            details={"sizes": [c[0] for c in cases],
                                     "scope": "fixed sizes, every entry a symbol"},
                            counterexample=cex if passed is False else None)
    return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, instances=len(cases),
                    details={"sizes": [c[0] for c in cases],
                             "scope": "fixed sizes, every entry a symbol"})


# -- dropout.matrix_factorization ------------------------------------------------------


def _mf_sides(rescale: sympy.Expr, coefficient: sympy.Expr, power: sympy.Expr):
    inner = X[a, b] - rescale * Sum(U[a, i] * r[i] * V[b, i], (i, 1, d))
    lhs = Expectation(Sum(inner**2, (a, 1, m), (b, 1, n)))
    fit = Sum((X[a, b] - Sum(U[a, i] * V[b, i], (i, 1, d))) ** 2, (a, 1, m), (b, 1, n))
    half = sympy.sympify(power) / 2
    reg = Sum(Sum(U[a, i] ** 2, (a, 1, m)) ** half * Sum(V[b, i] ** 2, (b, 1, n)) ** half,
              (i, 1, d))
    return lhs, fit + coefficient * reg


def _mf_derivation(rescale: sympy.Expr, coefficient: sympy.Expr,
                   power: sympy.Expr) -> Derivation:
    """The proof of MATH 1.1 for symbolic m, n, d, written out step by step."""
    s = rescale
    lhs, rhs = _mf_sides(rescale, coefficient, power)
    xuv = X[a, b] * U[a, i] * V[b, i]
    uuvv = U[a, i] * U[a, j] * V[b, i] * V[b, j]
    sq = Sum(X[a, b] ** 2, (a, 1, m), (b, 1, n))
    cross = Sum(xuv * r[i], (i, 1, d), (a, 1, m), (b, 1, n))
    quad = Sum(uuvv * r[i] * r[j], (i, 1, d), (j, 1, d), (a, 1, m), (b, 1, n))
    step1 = Expectation(sq - 2 * s * cross + s**2 * quad)
    step2 = (sq - 2 * s * Sum(xuv * Expectation(r[i]), (i, 1, d), (a, 1, m), (b, 1, n))
             + s**2 * Sum(uuvv * Expectation(r[i] * r[j]), (i, 1, d), (j, 1, d),
                          (a, 1, m), (b, 1, n)))
    moment2 = THETA**2 + THETA * (1 - THETA) * sympy.KroneckerDelta(i, j)
    step3 = (sq - 2 * s * Sum(xuv * THETA, (i, 1, d), (a, 1, m), (b, 1, n))
             + s**2 * Sum(uuvv * moment2, (i, 1, d), (j, 1, d), (a, 1, m), (b, 1, n)))
    step4 = (sq - 2 * s * THETA * Sum(xuv, (i, 1, d), (a, 1, m), (b, 1, n))
             + s**2 * THETA**2 * Sum(uuvv, (i, 1, d), (j, 1, d), (a, 1, m), (b, 1, n))
             + s**2 * THETA * (1 - THETA)
             * Sum(U[a, i] ** 2 * V[b, i] ** 2, (i, 1, d), (a, 1, m), (b, 1, n)))
    return Derivation(
        "dropout in matrix factorization, symbolic m, n, d",
        lhs,
        [
            Step(step1, EXPAND, note="expand the square entrywise"),
            Step(step2, Transform("linearity of expectation",
                                  lambda e: linearity(e, {r}),
                                  "E is linear; X, U, V are deterministic")),
            Step(step3, Transform("Bernoulli moments",
                                  lambda e: bernoulli_moments(e, {r: THETA}),
                                  "E[r_i] = theta, E[r_i r_j] = theta^2 + theta(1-theta) delta_ij")),
            Step(step4, Transform("collapse Kronecker delta", lambda e: e,
                                  "sum_j f(j) delta_ij = f(i)")),
            Step(rhs, EXPAND, note="recognize ||X - U V^T||_F^2 and ||u_i||^2 ||v_i||^2"),
        ],
        general=True,
        sizes=SMALL,
        values=AT,
    )


def matrix_factorization(rescale: sympy.Expr | None = None,
                         coefficient: sympy.Expr | None = None,
                         power: int | sympy.Expr = 2) -> Theorem:
    """Dropout in matrix factorization equals a product-of-weights regularizer (MATH 1.1).

    Parameters
    ----------
    rescale : SymPy expression in THETA, default 1/theta
        The factor applied to kept units.
    coefficient : SymPy expression in THETA, default (1 - theta)/theta
        The claimed regularization constant lambda.
    power : default 2
        The claimed regularizer is sum_i (||u_i|| ||v_i||)^power.

    Any other choice states a false identity, which verification must refute.

    Examples
    --------
    >>> v = matrix_factorization(coefficient=1 - THETA).verify(seed=0, profile="quick")
    >>> v.status.value
    'refuted'
    """
    s = 1 / THETA if rescale is None else sympy.sympify(rescale)
    c = LAMBDA if coefficient is None else sympy.sympify(coefficient)
    p_ = sympy.sympify(power)
    variant = rescale is not None or coefficient is not None or p_ != 2
    lhs, rhs = _mf_sides(s, c, p_)
    s_of, c_of, p_val = _lam(s), _lam(c), float(p_)

    def claimed(Xm, Um, Vm, theta):
        fit = float(np.sum((Xm - Um @ Vm.T) ** 2))
        return fit + c_of(theta) * nd.product_regularizer(Um, Vm, power=p_val)

    def instances(ctx: Context, name: str, max_d: int):
        rng = ctx.rng(name)
        for shape in random_shapes(rng, ctx.profile.instances, max_d=max_d):
            mm, nn, dd = shape
            theta = float(rng.choice([1.0, rng.uniform(0.1, 0.95)], p=[0.1, 0.9]))
            Xm = conditioned_matrix(mm, nn, rng, condition=10.0)
            Um, Vm = random_factors(mm, nn, dd, rng, condition=10.0)
            yield shape, theta, Xm, Um, Vm

    def proof(ctx: Context) -> Evidence:
        return run_derivation(_mf_derivation(s, c, p_), "derivation for symbolic m, n, d",
                              seed=ctx.seed)

    def fixed_sizes(ctx: Context) -> Evidence:
        cases = []
        for mm, nn, dd in [(1, 1, 1), (2, 2, 2), (2, 3, 3), (3, 2, 4)]:
            Xs, Us, Vs = (_symbolic_matrix("x", mm, nn), _symbolic_matrix("u", mm, dd),
                          _symbolic_matrix("v", nn, dd))
            masks = list(symbols(f"r1:{dd + 1}"))
            resid = Xs - s * Us * sympy.diag(*masks) * Vs.T
            left = _fixed_size_expectation(sum(e**2 for e in resid), masks, THETA)
            fit = sum(e**2 for e in Xs - Us * Vs.T)
            reg = sum((sum(Us[q, c_] ** 2 for q in range(mm)) ** (p_ / 2))
                      * (sum(Vs[q, c_] ** 2 for q in range(nn)) ** (p_ / 2))
                      for c_ in range(dd))
            cases.append(({"m": mm, "n": nn, "d": dd}, left, fit + c * reg))
        return _fixed_size_evidence("identity at fixed sizes, symbolic entries", cases, ctx)

    def enumeration(ctx: Context) -> Evidence:
        rows = []
        for shape, theta, Xm, Um, Vm in instances(ctx, "enumeration", max_d=8):
            exact = nd.exact_expectation(Xm, Um, Vm, theta, scale=s_of(theta))
            claim = claimed(Xm, Um, Vm, theta)
            rows.append((relative_error(claim, exact, floor=1e-12),
                         {"m": shape[0], "n": shape[1], "d": shape[2], "theta": theta,
                          "exact": exact, "claimed": claim,
                          "X": Xm, "U": Um, "V": Vm}))
        return worst_case("numeric", "formula against the exact mean over all 2^d masks",
                          rows, ROUNDOFF, ctx, {"measure": "relative error",
                                                "tolerance_reason": "float64 round-off"})

    def monte_carlo(method: str, samples: int):
        def run(ctx: Context) -> Evidence:
            rows = []
            rng = ctx.rng(f"masks-{method}")
            for shape, theta, Xm, Um, Vm in instances(ctx, f"mc-{method}", max_d=10):
                mean, se = nd.monte_carlo(Xm, Um, Vm, theta, samples, rng, method=method,
                                          scale=s_of(theta))
                claim = claimed(Xm, Um, Vm, theta)
                # se == 0 only when theta = 1 (no randomness): then demand round-off equality
                z = abs(mean - claim) / se if se > 0 else (
                    0.0 if relative_error(mean, claim, 1e-12) <= ROUNDOFF else np.inf)
                rows.append((z, {"m": shape[0], "n": shape[1], "d": shape[2],
                                 "theta": theta, "mean": mean, "standard_error": se,
                                 "claimed": claim}))
            return worst_case("numeric", f"formula against {method} Monte Carlo "
                              f"({samples} masks)", rows, Z_SCORE, ctx,
                              {"measure": "|mean - claim| / standard error"})
        return run

    def mc_direct(ctx: Context) -> Evidence:
        return monte_carlo("direct", max(ctx.profile.samples // 20, 1000))(ctx)

    def mc_fast(ctx: Context) -> Evidence:
        return monte_carlo("fast", ctx.profile.samples)(ctx)

    statement = Eq(lhs, rhs)
    return Theorem(
        id="dropout.matrix_factorization",
        title="Dropout in matrix factorization is a product-of-weights regularizer"
        + (" (variant)" if variant else ""),
        statement=statement,
        hypotheses=[
            "X in R^{m x n}, U in R^{m x d}, V in R^{n x d}, any m, n, d >= 1",
            "r_1, ..., r_d independent Bernoulli(theta), theta in (0, 1]",
            "kept units are rescaled by 1/theta; lambda = (1 - theta)/theta",
        ],
        references=[CAVAZZA, SEED],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivation for symbolic m, n, d", "symbolic", proof,
                  "theorems.symbolic (canonicalizer, Bernoulli expectation)"),
            Check("identity at fixed sizes, symbolic entries", "symbolic", fixed_sizes,
                  "sympy.Poly, multilinearity"),
            Check("exact mean over all masks", "numeric", enumeration,
                  "numerics.dropout.exact_expectation"),
            Check("direct Monte Carlo", "numeric", mc_direct,
                  "numerics.dropout.mask_losses_direct"),
            Check("fast Monte Carlo", "numeric", mc_fast, "numerics.dropout.mask_losses_fast"),
        ],
        derivations={"general": lambda: _mf_derivation(s, c, p_)},
    )


THEOREMS = [matrix_factorization]
