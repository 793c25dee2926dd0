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

import numpy as np
import sympy
from sympy import Eq, IndexedBase, Matrix, Rational, Sum, symbols

from numerics import dropout as nd
from numerics.instances import conditioned_matrix, random_factors
from theorems.checks import random_shapes, relative_error, worst_case
from theorems.core import Check, Context, Evidence, Theorem
from theorems.derivation import EXPAND, Derivation, Step, Transform, run_derivation
from theorems.references import ARORA, CAVAZZA, MIANJY, SEED, SRIVASTAVA, WAGER
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
a, b, i, j, t = symbols("a b i j t", integer=True, positive=True)
X, U, V, r = IndexedBase("X"), IndexedBase("U"), IndexedBase("V"), IndexedBase("r")
y, w, R, Y, H = IndexedBase("y"), IndexedBase("w"), IndexedBase("R"), IndexedBase("Y"), \
    IndexedBase("H")

LAMBDA = (1 - THETA) / THETA
Z_SCORE = 5.0  # Monte Carlo checks: |mean - claim| <= 5 standard errors (two-sided p ~ 6e-7)
ROUNDOFF = 1e-10  # exact float64 checks: relative error, far above accumulated round-off
SMALL = 2  # size given to every size symbol in the concrete counterexample search
AT = {THETA: Rational(1, 3), P: Rational(1, 3)}  # exact rate used in that search



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
                                  "E[r_i] = theta, "
                                  "E[r_i r_j] = theta^2 + theta(1-theta) delta_ij")),
            Step(step4, Transform("collapse Kronecker delta", lambda e: e,
                                  "sum_j f(j) delta_ij = f(i)")),
            Step(rhs, EXPAND, note="recognize ||X - U V^T||_F^2 and ||u_i||^2 ||v_i||^2"),
        ],
        general=True,
        sizes={m: SMALL, n: SMALL, d: SMALL},
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
                              statement=statement,
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
                # with theta = 1 every mask is the same and se is round-off (~1e-17):
                # floor it at float64 round-off of the mean, relative 1e-12
                z = abs(mean - claim) / max(se, 1e-12 * max(abs(claim), 1e-12))
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

    def mc_figure(ctx: Context):
        from theorems.figures import running_mean_figure

        rng = ctx.rng("figure")
        Xm = conditioned_matrix(20, 20, rng)
        Um, Vm = random_factors(20, 20, 10, rng)
        theta = 0.5
        masks = nd.sample_masks(ctx.profile.samples, 10, theta, rng)
        losses = nd.mask_losses_fast(Xm, Um, Vm, theta, masks, scale=s_of(theta))
        return running_mean_figure(losses, claimed(Xm, Um, Vm, theta),
                                   "X 20 x 20, d = 10, theta = 0.5")

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
        figures={"Monte Carlo estimate with a standard-error band against the number of masks":
                 mc_figure},
    )




def _generated_steps(start: sympy.Expr, random: dict, claim: sympy.Expr) -> list[Step]:
    """Steps produced by the rules themselves, then the claim.

    The intermediate expressions are what linearity and the Bernoulli moments
    give (so those steps display the computation); the last step, the claim,
    is where a wrong statement fails.
    """
    lin = Transform("linearity of expectation", lambda e: linearity(e, set(random)),
                    "E is linear; everything but the masks is deterministic")
    mom = Transform("Bernoulli moments", lambda e: bernoulli_moments(e, random),
                    "moment-cumulant formula for independent Bernoulli masks")
    after_lin = lin.apply(start)
    after_mom = mom.apply(after_lin)
    return [Step(after_lin, lin), Step(after_mom, mom),
            Step(claim, EXPAND, note="collapse deltas, recognize the claimed form")]


# -- dropout.doubling ------------------------------------------------------------------

Up, Vp = IndexedBase("U'"), IndexedBase("V'")


def _unfold_doubling(expr: sympy.Expr) -> sympy.Expr:
    """Definition of ([U U]/sqrt 2, [V V]/sqrt 2): a sum over the 2d columns splits into
    the two blocks, and column i of either block is (u_i/sqrt 2, v_i/sqrt 2)."""

    def split(s: Sum) -> sympy.Expr:
        (var, lo, hi), = s.limits
        if (lo, hi) != (1, 2 * d) or not s.function.has(Up, Vp):
            return s
        body = s.function.replace(
            lambda e: isinstance(e, sympy.Indexed) and e.base in (Up, Vp),
            lambda e: (U if e.base == Up else V)[e.indices[0], e.indices[1]] / sympy.sqrt(2))
        return 2 * Sum(body, (var, 1, d))  # both blocks give the same terms

    return expr.replace(lambda e: isinstance(e, Sum) and len(e.limits) == 1, split)


def _doubling_derivations(ratio: sympy.Expr) -> dict[str, Derivation]:
    unfold = Transform("definition of the doubled factors", _unfold_doubling,
                       "columns of [U U]/sqrt2 are u_i/sqrt2, twice each")
    product = Derivation(
        "the product U'V'^T equals U V^T (entry a, b; symbolic m, n, d)",
        Sum(Up[a, i] * Vp[b, i], (i, 1, 2 * d)),
        [Step(2 * Sum(U[a, i] * V[b, i] / 2, (i, 1, d)), unfold),
         Step(Sum(U[a, i] * V[b, i], (i, 1, d)), EXPAND)],
        sizes={m: SMALL, n: SMALL, d: SMALL}, values=AT,
    )
    reg = lambda A, B: Sum(Sum(A[a, i] ** 2, (a, 1, m)) * Sum(B[b, i] ** 2, (b, 1, n)),  # noqa: E731
                           (i, 1, d))
    regularizer = Derivation(
        "the regularizer of the doubled factors (symbolic m, n, d)",
        Sum(Sum(Up[a, i] ** 2, (a, 1, m)) * Sum(Vp[b, i] ** 2, (b, 1, n)), (i, 1, 2 * d)),
        [Step(2 * Sum(Sum(U[a, i] ** 2 / 2, (a, 1, m)) * Sum(V[b, i] ** 2 / 2, (b, 1, n)),
                      (i, 1, d)), unfold),
         Step(ratio * reg(U, V), EXPAND, note="the claimed ratio")],
        sizes={m: SMALL, n: SMALL, d: SMALL}, values=AT,
    )
    return {"product": product, "regularizer": regularizer}


HALF = Rational(1, 2)


def doubling(ratio: sympy.Expr = HALF, rate: sympy.Expr | None = None) -> Theorem:
    """Doubling the width halves dropout's regularizer; theta(d) = p/(p + d(1-p))
    keeps lambda(d)/d = (1-p)/p fixed (MATH 1.2).

    Parameters
    ----------
    ratio : claimed regularizer(doubled) / regularizer(original), default 1/2.
    rate : claimed adaptive keep probability as a SymPy expression in P and the width
        symbol ``d`` of this module, default p/(p + d(1 - p)).

    Examples
    --------
    >>> doubling(ratio=Rational(1, 4)).verify(profile="quick").status.value
    'refuted'
    """
    ratio = sympy.sympify(ratio)
    rate_expr = P / (P + d * (1 - P)) if rate is None else sympy.sympify(rate)
    variant = ratio != Rational(1, 2) or rate is not None
    lam_d = (1 - rate_expr) / rate_expr
    rate_fn = sympy.lambdify([P, d], rate_expr, "math")

    derivations = _doubling_derivations(ratio)
    # the second conjunct: with theta(d) = rate, lambda(theta(d))/d keeps its width-1 value
    rate_conjunct = Eq((1 - rate_expr) / (d * rate_expr), (1 - P) / P, evaluate=False)
    statement = sympy.And(
        Eq(Sum(Sum(Up[a, i] ** 2, (a, 1, m)) * Sum(Vp[b, i] ** 2, (b, 1, n)), (i, 1, 2 * d)),
           ratio * Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(V[b, i] ** 2, (b, 1, n)),
                       (i, 1, d))),
        rate_conjunct)

    def proofs(ctx: Context) -> list[Evidence]:
        return [run_derivation(derivations[key], derivations[key].title, seed=ctx.seed,
                               statement=statement)
                for key in ("product", "regularizer")]

    def rate_proof(ctx: Context) -> Evidence:
        # lambda(d)/d is constant in d iff its derivative in d vanishes identically; the
        # statement's second conjunct is lambda(theta(d))/d = (1 - p)/p, decided on its sides
        slope = sympy.simplify(sympy.diff(lam_d / d, d))
        details = {"lambda(d)/d": str(sympy.simplify(lam_d / d)), "d/dd": str(slope)}
        k = statement.args.index(rate_conjunct)  # And sorts its arguments
        if slope == 0 and sympy.simplify(rate_conjunct.lhs - rate_conjunct.rhs) == 0:
            details["proves"] = [k]
            return Evidence("symbolic", "lambda(theta(d))/d is independent of d", True,
                            general=True, details=details)
        # exact values at p = 1/2, d = 1, 2 against the width-1 value (1 - p)/p = 1
        values = [sympy.nsimplify((lam_d / d).subs({P: Rational(1, 2), d: dd}))
                  for dd in (1, 2)]
        passed = None if values == [1, 1] else False
        if passed is None:
            return Evidence.inconclusive(
                "symbolic", "lambda(theta(d))/d is independent of d",
                "SymPy could not simplify lambda(theta(d))/d - (1 - p)/p to 0, and the exact "
                "values at p = 1/2, d = 1, 2 agree with it", **details)
        return Evidence("symbolic", "lambda(theta(d))/d is independent of d", passed,
                        details=details,
                        counterexample={"p": "1/2", "(1 - p)/p": "1",
                                        "lambda(1)/1": str(values[0]),
                                        "lambda(2)/2": str(values[1])})

    def numeric(ctx: Context) -> list[Evidence]:
        rng = ctx.rng("doubling")
        product_rows, ratio_rows, objective_rows = [], [], []
        for mm, nn, dd in random_shapes(rng, ctx.profile.instances, max_d=6):
            Xm = conditioned_matrix(mm, nn, rng)
            Um, Vm = random_factors(mm, nn, dd, rng)
            U2, V2 = nd.double_columns(Um, Vm)
            inst = {"m": mm, "n": nn, "d": dd}
            product_rows.append((float(np.linalg.norm(U2 @ V2.T - Um @ Vm.T)
                                       / np.linalg.norm(Um @ Vm.T)), inst))
            reg, reg2 = nd.product_regularizer(Um, Vm), nd.product_regularizer(U2, V2)
            ratio_rows.append((relative_error(reg2, float(ratio) * reg, 1e-12),
                               {**inst, "regularizer": reg, "doubled": reg2}))
            p_ = float(rng.uniform(0.3, 0.95))
            th1, th2 = float(rate_fn(p_, dd)), float(rate_fn(p_, 2 * dd))
            if not (0 < th1 <= 1 and 0 < th2 <= 1):
                objective_rows.append((np.inf, {**inst, "p": p_, "theta(d)": th1,
                                                "theta(2d)": th2}))
                continue
            e1 = nd.exact_expectation(Xm, Um, Vm, th1)
            e2 = nd.exact_expectation(Xm, U2, V2, th2)
            objective_rows.append((relative_error(e2, e1, 1e-12),
                                   {**inst, "p": p_, "width d": e1, "width 2d": e2}))
        tol = {"measure": "relative error", "tolerance_reason": "float64 round-off"}
        return [
            worst_case("numeric", "U'V'^T = U V^T", product_rows, ROUNDOFF, ctx, tol),
            worst_case("numeric", "regularizer ratio", ratio_rows, ROUNDOFF, ctx, tol),
            worst_case("numeric", "adaptive rate: exact dropout objective unchanged by doubling",
                       objective_rows, ROUNDOFF, ctx, tol),
        ]

    return Theorem(
        id="dropout.doubling",
        title="Doubling the width halves the dropout regularizer; the adaptive rate "
              "compensates" + (" (variant)" if variant else ""),
        statement=statement,
        hypotheses=["U' = [U U]/sqrt(2), V' = [V V]/sqrt(2), so U'V'^T = UV^T",
                    "p in (0, 1] is the keep probability at width 1"],
        references=[CAVAZZA, MIANJY],
        note="proofs_notes/dropout.md",
        checks=[
            Check("doubling derivations", "symbolic", proofs, "theorems.symbolic.sums"),
            Check("adaptive rate", "symbolic", rate_proof, "sympy.simplify"),
            Check("doubling numerics", "numeric", numeric,
                  "numerics.dropout.double_columns, exact_expectation"),
        ],
        derivations={k: (lambda k=k: derivations[k]) for k in derivations},
    )


# -- dropout.linear_regression ---------------------------------------------------------


def _regression_sides(scale: sympy.Expr, coefficient: sympy.Expr):
    start = Expectation(Sum((y[t] - Sum(R[t, j] * X[t, j] * w[j], (j, 1, k))) ** 2, (t, 1, N)))
    claim = (Sum((y[t] - scale * Sum(X[t, j] * w[j], (j, 1, k))) ** 2, (t, 1, N))
             + coefficient * Sum(Sum(X[t, j] ** 2, (t, 1, N)) * w[j] ** 2, (j, 1, k)))
    return start, claim


def linear_regression(scale: sympy.Expr | None = None, coefficient: sympy.Expr | None = None,
                      ridge: sympy.Expr | None = None) -> Theorem:
    """Dropout on the inputs of least squares is a data-dependent ridge (MATH 2.1).

    E_R ||y - (R o X) w||^2 = ||y - p X w||^2 + p(1-p) ||Gamma w||^2, Gamma = diag(X^T X)^(1/2),
    so p w minimizes ||y - X w~||^2 + ((1-p)/p) ||Gamma w~||^2.

    Parameters
    ----------
    scale : claimed factor of X w in the fit term (default p).
    coefficient : claimed regularization constant (default p(1 - p)).
    ridge : claimed ridge weight of the minimizer (default (1 - p)/p).
    """
    sc = P if scale is None else sympy.sympify(scale)
    co = P * (1 - P) if coefficient is None else sympy.sympify(coefficient)
    rg = (1 - P) / P if ridge is None else sympy.sympify(ridge)
    variant = any(v is not None for v in (scale, coefficient, ridge))
    start, claim = _regression_sides(sc, co)
    sc_of, co_of, rg_of = _lam(sc), _lam(co), _lam(rg)

    def derivation() -> Derivation:
        return Derivation("input dropout in least squares, symbolic N, k", start,
                          _generated_steps(start, {R: P}, claim),
                          sizes={N: SMALL, k: SMALL}, values=AT)

    def proof(ctx: Context) -> Evidence:
        return run_derivation(derivation(), "derivation for symbolic N, k", seed=ctx.seed,
                              statement=Eq(start, claim))

    def numeric(ctx: Context) -> list[Evidence]:
        rng = ctx.rng("regression")
        value_rows, argmin_rows = [], []
        for nn, kk, _ in random_shapes(rng, ctx.profile.instances, max_m=12, max_n=8):
            nn = max(nn, kk)  # least squares needs N >= k for a unique minimizer
            Xm = conditioned_matrix(nn, kk, rng, condition=10.0)
            yv = rng.standard_normal(nn)
            wv = rng.standard_normal(kk)
            p_ = float(rng.uniform(0.1, 1.0))
            exact = nd.input_dropout_exact(Xm, yv, wv, p_)
            gamma2 = np.sum(Xm * Xm, axis=0)
            claimed = float(np.sum((yv - sc_of(p_) * Xm @ wv) ** 2)
                            + co_of(p_) * np.sum(gamma2 * wv * wv))
            inst = {"N": nn, "k": kk, "p": p_, "X": Xm, "y": yv, "w": wv}
            value_rows.append((relative_error(claimed, exact, 1e-12),
                               {**inst, "exact": exact, "claimed": claimed}))
            w_exact = nd.input_dropout_minimizer_exact(Xm, yv, p_)
            gram = Xm.T @ Xm
            w_tilde = np.linalg.solve(gram + rg_of(p_) * np.diag(np.diag(gram)), Xm.T @ yv)
            err = float(np.linalg.norm(p_ * w_exact - w_tilde) / max(np.linalg.norm(w_tilde),
                                                                        1e-12))
            argmin_rows.append((err, {**inst, "p_w_exact": p_ * w_exact, "ridge": w_tilde}))
        return [
            worst_case("numeric", "formula against the exact mean over all masks",
                       value_rows, ROUNDOFF, ctx, {"measure": "relative error"}),
            # the normal equations have condition number <= ~10^2 by construction:
            # 1e-8 leaves six orders of magnitude above float64 round-off
            worst_case("numeric", "ridge minimizer against the enumerated objective's minimizer",
                       argmin_rows, 1e-8, ctx, {"measure": "relative error of p w"}),
        ]

    return Theorem(
        id="dropout.linear_regression",
        title="Input dropout in least squares is ridge regression with weights diag(X^T X)"
              + (" (variant)" if variant else ""),
        statement=Eq(start, claim),
        hypotheses=["X in R^{N x k}, y in R^N, w in R^k",
                    "R_tj independent Bernoulli(p), p in (0, 1]; no rescaling of kept inputs",
                    "for the minimizer: X^T X invertible"],
        references=[SRIVASTAVA, WAGER],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivation for symbolic N, k", "symbolic", proof, "theorems.symbolic"),
            Check("enumerated expectation and minimizer", "numeric", numeric,
                  "numerics.dropout.input_dropout_exact, input_dropout_minimizer_exact"),
        ],
        derivations={"general": derivation},
    )


# -- dropout.linear_network ------------------------------------------------------------


def _network_sides(hidden: sympy.Expr, coefficient: sympy.Expr, rescale: sympy.Expr):
    """Sum over samples t (N of them) and outputs a; ``hidden`` is h_it."""
    start = Expectation(Sum((Y[a, t] - rescale * Sum(U[a, i] * r[i] * hidden, (i, 1, d))) ** 2,
                            (a, 1, m), (t, 1, N)))
    fit = Sum((Y[a, t] - Sum(U[a, i] * hidden, (i, 1, d))) ** 2, (a, 1, m), (t, 1, N))
    reg = Sum(Sum(U[a, i] ** 2, (a, 1, m)) * Sum(hidden**2, (t, 1, N)), (i, 1, d))
    return start, fit + coefficient * reg


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
    """
    co = LAMBDA if coefficient is None else sympy.sympify(coefficient)
    s = 1 / THETA if rescale is None else sympy.sympify(rescale)
    variant = coefficient is not None or rescale is not None or not covariance
    linear_hidden = Sum(V[b, i] * X[b, t], (b, 1, n))  # h_it = v_i^T x_t
    start_any, claim_any = _network_sides(H[i, t], co, s)
    start_lin, claim_lin = _network_sides(linear_hidden, co, s)
    if not covariance:
        fit = claim_lin - co * Sum(Sum(U[a, i] ** 2, (a, 1, m))
                                   * Sum(linear_hidden**2, (t, 1, N)), (i, 1, d))
        claim_lin = fit + co * N * Sum(Sum(U[a, i] ** 2, (a, 1, m))
                                       * Sum(V[b, i] ** 2, (b, 1, n)), (i, 1, d))
    co_of, s_of = _lam(co), _lam(s)
    sizes = {m: SMALL, n: SMALL, d: SMALL, N: SMALL}

    def derivations() -> dict[str, Derivation]:
        return {
            "any activation": Derivation(
                "hidden dropout, any activation (h_it = sigma(v_i^T x_t)), symbolic m, d, N",
                start_any, _generated_steps(start_any, {r: THETA}, claim_any),
                sizes=sizes, values=AT),
            "linear": Derivation(
                "hidden dropout, linear activation, symbolic m, n, d, N",
                start_lin, _generated_steps(start_lin, {r: THETA}, claim_lin),
                sizes=sizes, values=AT),
        }

    def proof(ctx: Context) -> list[Evidence]:
        return [run_derivation(der, der.title, seed=ctx.seed, statement=Eq(start_any, claim_any))
                for der in derivations().values()]

    def numeric(ctx: Context) -> list[Evidence]:
        out = []
        for activation in ("linear", "relu", "tanh"):
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
                if covariance:
                    second = np.mean(Hm * Hm, axis=1)
                else:
                    second = np.sum(Vm * Vm, axis=0)
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

    return Theorem(
        id="dropout.linear_network",
        title="Hidden-layer dropout with data: the regularizer weighs ||u_i||^2 by the "
              "hidden unit's second moment" + (" (variant)" if variant else ""),
        statement=Eq(start_any, claim_any),
        hypotheses=["samples x_t (columns of X, n x N), targets y_t (columns of Y, m x N);"
                    " E_x is the mean over the N samples",
                    "r_i independent Bernoulli(theta), kept units rescaled by 1/theta",
                    "sigma any activation (the identity gives v_i^T C v_i, C = X X^T / N)"],
        references=[MIANJY, ARORA],
        note="proofs_notes/dropout.md",
        checks=[
            Check("derivations for symbolic sizes", "symbolic", proof, "theorems.symbolic"),
            Check("exact mean over all masks", "numeric", numeric,
                  "numerics.dropout.hidden_dropout_exact"),
        ],
        derivations=derivations(),
    )


from theorems.dropout import optimum  # noqa: E402 - the family's second module

THEOREMS = [matrix_factorization, doubling, linear_regression, linear_network,
            *optimum.THEOREMS]
