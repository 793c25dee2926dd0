"""linear.degenerate_saddle: for H >= 2 hidden layers, W = 0 is a saddle with a zero Hessian.

Along the aligned direction W_l = t D_l, D_{H+1} ... D_1 = b a^T with (a, b) the top
singular pair of Y X^T,

    L(t) - L(0) = -sigma_1 t^(H+1) + (1/2) t^(2H+2) ||a^T X||^2,

so the origin is not a local minimum, while every derivative of order <= H of L at 0
vanishes: for H >= 2 the Hessian there is zero.  For H = 1 the Hessian at 0 has the
eigenvalues +-sigma_i(Y X^T) (a strict saddle).  The statement is the exact expansion
with both sides written out, so the general derivation binds to it (``proved``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Eq, IndexedBase, Product, Rational, Sum, Symbol, symbols

from numerics import linear as nl
from theorems.checks import worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.derivation import EXPAND, Derivation, Lemma, Step, Transform, run_derivation
from theorems.linear.common import (
    DECREASE_RTOL,
    EIG_RTOL,
    FD_STEP,
    HESSIAN_ZERO_RTOL,
    NOTE,
    ROUNDOFF,
    H,
)
from theorems.linear.references import REFERENCES
from theorems.symbolic.sums import canonical

__all__ = ["SaddleClaim", "degenerate_saddle", "saddle_derivation", "saddle_statement",
           "any_direction_derivation", "taylor_coefficient_at_zero", "check_expansion",
           "check_orders", "check_hessian_at_zero", "check_decrease"]

dy_, dx_, Ns_ = symbols("d_y d_x N", integer=True, positive=True)
i_, j_, k_, l_ = symbols("i j k l", integer=True, positive=True)
t_ = Symbol("t", positive=True)
s_ = Symbol("s")
SIGMA1 = Symbol("sigma_1", positive=True)
a_, b_, Q_ = IndexedBase("a"), IndexedBase("b"), IndexedBase("Q")
Xi_, Yi_ = IndexedBase("X"), IndexedBase("Y")
h_ = Symbol("h", integer=True, nonnegative=True)
DEPTHS = (1, 2, 3, 4, 5)  # numbers of hidden layers H of the numeric checks
FORM_PAIRS = 6  # random unit direction pairs per network (Hessian forms at 0)
TS = (0.4, 0.2, 0.1)  # steps t along the aligned direction
NEAR_MISS = Rational(1_000_001, 1_000_000)  # a leading coefficient the checks must refute


def _half_sq(direction_entry, scale):
    """(1/2) ||scale * D X - Y||^2 - (1/2) ||Y||^2 with D_{ik} = direction_entry(i, k)."""
    fit = Sum(direction_entry(i_, k_) * Xi_[k_, j_], (k_, 1, dx_))
    return (Rational(1, 2) * Sum((scale * fit - Yi_[i_, j_]) ** 2, (i_, 1, dy_), (j_, 1, Ns_))
            - Rational(1, 2) * Sum(Yi_[i_, j_] ** 2, (i_, 1, dy_), (j_, 1, Ns_)))


HOMOGENEITY = Transform(
    "homogeneity", lambda e: e.replace(lambda x: isinstance(x, Product), lambda x: x.doit()),
    "W_l = t D_l for each of the H + 1 layers: the product carries t^(H+1)")


def _aligned_sides(exponent: sympy.Expr, leading: sympy.Expr = sympy.S.One
                   ) -> tuple[sympy.Expr, sympy.Expr]:
    """(L(t) - L(0) along the aligned direction, its claimed closed form with ``exponent``
    and the coefficient ``leading`` of -sigma_1 t^e)."""
    start = _half_sq(lambda i, k: b_[i] * a_[k], Product(t_, (l_, 1, H + 1)))
    aX2 = Sum(Sum(a_[k_] * Xi_[k_, j_], (k_, 1, dx_)) ** 2, (j_, 1, Ns_))
    return start, (-leading * SIGMA1 * t_ ** exponent
                   + Rational(1, 2) * t_ ** (2 * exponent) * aX2)


def saddle_statement(exponent: sympy.Expr, leading: sympy.Expr = sympy.S.One) -> sympy.Eq:
    """L(t) - L(0) = -sigma_1 t^e + (1/2) t^(2e) ||a^T X||^2, both sides as expressions."""
    return Eq(*_aligned_sides(exponent, leading))


def _top_pair_lemma(exponent: sympy.Expr, bYXa, aX2, bb) -> Lemma:
    def pair_check(before, after, relation):
        # before - after must be the combination -t^e (b'YX'a - sigma_1)
        # + (1/2) t^(2e) (||b||^2 - 1) ||a'X||^2 of the two defining relations
        cert = (-t_ ** exponent * (bYXa - SIGMA1)
                + Rational(1, 2) * t_ ** (2 * exponent) * (bb - 1) * aX2)
        ok = (canonical(before - after - cert)).is_zero()
        return ok, "difference is in the ideal of the relations" if ok else \
            "difference is not the stated combination of the relations"

    return Lemma("top singular pair", pair_check,
                 "Y X^T a = sigma_1 b, ||b|| = 1, so b^T Y X^T a = sigma_1", constrained=True)


def saddle_derivation(exponent: sympy.Expr, leading: sympy.Expr = sympy.S.One) -> Derivation:
    """L(t) - L(0) along the aligned direction, for symbolic H, d_x, d_y, N."""
    start, final = _aligned_sides(exponent, leading)
    bYXa = Sum(b_[i_] * Yi_[i_, j_] * Xi_[k_, j_] * a_[k_], (i_, 1, dy_), (j_, 1, Ns_),
               (k_, 1, dx_))
    aX2 = Sum(Sum(a_[k_] * Xi_[k_, j_], (k_, 1, dx_)) ** 2, (j_, 1, Ns_))
    bb = Sum(b_[i_] ** 2, (i_, 1, dy_))
    step2 = (-t_ ** exponent * bYXa
             + Rational(1, 2) * t_ ** (2 * exponent)
             * Sum((b_[i_] * Sum(a_[k_] * Xi_[k_, j_], (k_, 1, dx_))) ** 2, (i_, 1, dy_),
                   (j_, 1, Ns_)))
    return Derivation(
        "L(t) - L(0) along W_l = t D_l, D_{H+1}...D_1 = b a^T (symbolic H, sizes)",
        start,
        [Step(start.replace(lambda x: isinstance(x, Product), lambda x: x.doit()),
              HOMOGENEITY),
         Step(step2, EXPAND, note="expand the square"),
         Step(final, _top_pair_lemma(exponent, bYXa, aX2, bb))],
        general=True,
        sizes={dy_: 2, dx_: 2, Ns_: 2},
        values={H: 2, t_: Rational(1, 2), SIGMA1: 1},
    )


def any_direction_derivation() -> Derivation:
    """L(s D) - L(0) = -s^(H+1) <Q, Y X^T> + (1/2) s^(2H+2) ||Q X||^2, Q = D_{H+1}...D_1."""
    prod = Product(s_, (l_, 1, H + 1))
    start = _half_sq(lambda i, k: Q_[i, k], prod)
    fitq = Sum(Q_[i_, k_] * Xi_[k_, j_], (k_, 1, dx_))
    final = (-s_ ** (H + 1) * Sum(Q_[i_, k_] * Xi_[k_, j_] * Yi_[i_, j_], (i_, 1, dy_),
                                 (j_, 1, Ns_), (k_, 1, dx_))
             + Rational(1, 2) * s_ ** (2 * H + 2) * Sum(fitq ** 2, (i_, 1, dy_), (j_, 1, Ns_)))
    return Derivation(
        "L(s D) - L(0) for any direction D (symbolic H, sizes)", start,
        [Step(start.replace(lambda x: isinstance(x, Product), lambda x: x.doit()),
              HOMOGENEITY),
         Step(final, EXPAND)],
        general=True, sizes={dy_: 2, dx_: 2, Ns_: 2}, values={H: 2, s_: Rational(1, 3)})


def _name_sums(expr: sympy.Expr, inner: Symbol, fit: Symbol) -> sympy.Expr:
    """Replace the data sums of L(s D) - L(0): the one containing Y by ``inner``
    (<Q, Y X^T>), the other by ``fit`` (||Q X||^2)."""
    out = sympy.S.Zero
    for term in sympy.Add.make_args(expr):
        factors = []
        for f in sympy.Mul.make_args(term):
            if isinstance(f, Sum):
                f = inner if f.has(Yi_) else fit
            factors.append(f)
        out += sympy.Mul(*factors)
    return out


def taylor_coefficient_at_zero(expr: sympy.Expr, var: Symbol, order: int) -> sympy.Expr | None:
    """order-th derivative at var = 0 of sum_k c_k var^(e_k), for symbolic exponents e_k.

    A monomial contributes order! c_k when e_k = order and 0 when e_k - order is
    positive (decided by SymPy's assumptions); None when neither can be decided.
    """
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coeff, exp = sympy.S.One, sympy.S.Zero
        for f in sympy.Mul.make_args(term):
            if f == var:
                exp += 1
            elif isinstance(f, sympy.Pow) and f.base == var:
                exp += f.exp
            else:
                coeff *= f
        if coeff.has(var):
            return None
        gap = sympy.simplify(exp - order)
        if gap.is_zero:
            total += math.factorial(order) * coeff
        elif not gap.is_positive:
            return None
    return total


@dataclass(frozen=True)
class SaddleClaim:
    """The claimed constants of linear.degenerate_saddle.

    Attributes
    ----------
    exponent : SymPy expression in H or None
        The claimed order of the leading term of L(t) - L(0); None means H + 1 (the
        theorem).
    strict : bool
        True claims (falsely) that the origin is a strict saddle for H >= 2.
    from_depth : {1, 2}
        The zero Hessian is claimed for H >= from_depth: 2 is the theorem.
    leading : SymPy rational
        The claimed coefficient c of -c sigma_1 t^e: 1 is the theorem; 1 + 1e-6 is the
        near miss that pins DECREASE_RTOL, -1 the wrong sign.
    """

    exponent: sympy.Expr | None = None
    strict: bool = False
    from_depth: int = 2
    leading: sympy.Expr = sympy.S.One

    def __post_init__(self) -> None:
        if self.from_depth not in (1, 2):
            raise ValueError(f"from_depth: expected 1 or 2 hidden layers, got "
                             f"{self.from_depth!r}")
        if self.exponent is not None:
            object.__setattr__(self, "exponent", sympy.sympify(self.exponent))
        object.__setattr__(self, "strict", bool(self.strict))
        leading = sympy.nsimplify(self.leading)
        if not (leading.is_Rational and leading != 0):
            raise ValueError(f"leading: expected a nonzero rational, got {self.leading!r}")
        object.__setattr__(self, "leading", leading)

    @property
    def e(self) -> sympy.Expr:
        """The claimed exponent (H + 1 unless given)."""
        return H + 1 if self.exponent is None else self.exponent

    @property
    def is_variant(self) -> bool:
        return (self.exponent is not None or self.strict or self.from_depth != 2
                or self.leading != 1)


def check_expansion(ctx: Context, claim: SaddleClaim) -> Evidence:
    """The general derivation of L(t) - L(0) along the aligned direction, bound to the
    statement (its first and last expressions are the statement's two sides)."""
    return run_derivation(saddle_derivation(claim.e, claim.leading),
                          "expansion along the aligned direction, symbolic H and sizes",
                          seed=ctx.seed, statement=saddle_statement(claim.e, claim.leading))


def check_orders(ctx: Context, claim: SaddleClaim) -> list[Evidence]:
    """From the derivation of L(s D) - L(0) for any D: zero first and second derivatives
    at 0 for every H >= from_depth (or, for the strict claim, not), the leading term
    -sigma_1 t^(H+1), and d^2/ds^2 = -2 <Q, Y X^T> for H = 1 (indefinite)."""
    der = any_direction_derivation()
    ev = run_derivation(der, "L(s D) - L(0) for any direction, symbolic H and sizes",
                        seed=ctx.seed)
    # the Taylor coefficients are read off the derivation's own (checked) last step,
    # with its two data sums named c_1 = <Q, Y X^T> and c_2 = ||Q X||^2
    c1, c2 = symbols("c_1 c_2")
    f = _name_sums(der.steps[-1].expr, c1, c2)
    deep = f.subs(H, h_ + claim.from_depth)  # every H >= from_depth
    d1 = taylor_coefficient_at_zero(deep, s_, 1)
    d2 = taylor_coefficient_at_zero(deep, s_, 2)
    shallow = taylor_coefficient_at_zero(f.subs(H, 1), s_, 2)
    lead = sympy.limit(saddle_derivation(H + 1).steps[-1].expr / t_ ** (H + 1), t_, 0, "+")
    zero_hessian = d1 == 0 and d2 == 0  # None (undecidable for symbolic h) is not a zero
    holds = (not zero_hessian) if claim.strict else zero_hessian
    lead_ok = (sympy.simplify(lead + claim.leading * SIGMA1) == 0
               and sympy.simplify(claim.e - (H + 1)) == 0)
    passed = bool(holds and lead_ok and shallow == -2 * c1 and ev.passed)
    details = {"L(s D) - L(0), from the derivation": str(f),
               f"d/ds at 0 (H = h + {claim.from_depth})": str(d1),
               f"d^2/ds^2 at 0 (H = h + {claim.from_depth})": str(d2),
               "d^2/ds^2 at 0 (H = 1)": str(shallow),
               "lim (L(t) - L(0)) / t^(H+1)": str(lead),
               "claimed exponent": str(claim.e), "claimed strict": claim.strict,
               "claimed zero Hessian from H =": claim.from_depth, "derivation": ev.details}
    out = Evidence("symbolic", f"H >= {claim.from_depth}: zero gradient and Hessian at 0 in "
                   "every direction; leading term -sigma_1 t^(H+1); H = 1: indefinite", passed,
                   measured=None, general=bool(passed and ev.general), details=details,
                   counterexample=None if passed else {
                       "H": f"any H >= {claim.from_depth}", "second derivative at 0": str(d2),
                       "claimed exponent": str(claim.e), "limit": str(lead)})
    return [ev, out]


def _sigma_data(ctx: Context, name: str, count: int):
    rng = ctx.rng(name)
    for _ in range(count):
        dy = int(rng.integers(1, 5))
        dx = int(rng.integers(dy, 6))
        X, Y = nl.regression_instance(dx, dy, dx + 8, rng)
        yield rng, dx, dy, X, Y


def _zero_rows(claim: SaddleClaim, depth_h, fd, Hm, mu, sig1, inst) -> list[tuple[float, dict]]:
    """The row of the claimed behaviour at 0 for one network (none when not claimed)."""
    if depth_h >= claim.from_depth and not claim.strict:
        worst = float(np.max(np.abs(fd)) / sig1)
        return [(worst, {**inst, "largest_form_over_sigma_1": worst})]
    if depth_h >= 2 and claim.strict:
        # claimed: a strictly negative eigenvalue (of the analytic Hessian, which the
        # kernel row ties to the loss)
        return [(0.0 if mu[0] < -EIG_RTOL * sig1 else 1.0,
                 {**inst, "min_eigenvalue": float(mu[0]),
                  "max_abs_entry": float(np.max(np.abs(Hm)))})]
    return []


def check_hessian_at_zero(ctx: Context, claim: SaddleClaim) -> list[Evidence]:
    """The Hessian at W = 0 from the loss itself (four-point central differences along
    random unit direction pairs), not from the analytic Hessian, which is zero at 0 for
    H >= 2 by the way it is built; the analytic one is tied to the same forms, and for
    H = 1 its spectrum is +-sigma_i(Y X^T)."""
    rows, kernel, shallow = [], [], []
    for rng, dx, dy, X, Y in _sigma_data(ctx, "hessian at zero",
                                         max(2, ctx.profile.instances // 2)):
        cov = nl.covariances(X, Y)
        sig = nl.singular_values(cov)
        for depth_h in DEPTHS:
            widths = [int(w) for w in rng.integers(1, 5, size=depth_h)]
            dims = [dx, *widths, dy]
            zeros = nl.zero_network(dims)
            D = nl.unit_directions(rng, dims, FORM_PAIRS)
            E = nl.unit_directions(rng, dims, FORM_PAIRS)
            fd = nl.fd_hessian_forms(zeros, D, E, X, Y, FD_STEP)
            Hm = nl.deep_hessian(zeros, cov)[0]
            analytic = nl.hessian_forms(Hm, D, E)
            inst = {"H": depth_h, "widths": widths, "dx": dx, "dy": dy,
                    "L(0) / sigma_1": float(cov.trace_yy / 2 / sig[0])}
            kernel.append((float(np.max(np.abs(analytic - fd)) / sig[0]), inst))
            mu = np.linalg.eigvalsh(Hm)
            rows += _zero_rows(claim, depth_h, fd, Hm, mu, sig[0], inst)
            if depth_h == 1:
                expect = nl.shallow_origin_spectrum(sig, widths[0], len(mu))
                err = float(np.max(np.abs(expect - mu)) / sig[0])
                shallow.append((err, {**inst, "min_eigenvalue": float(mu[0]),
                                      "sigma_1": float(sig[0])}))
    if claim.strict:
        zero = worst_case("numeric", "H >= 2: the Hessian at 0 has a negative eigenvalue "
                          "(claimed)", rows, 0.0, ctx, {"measure": "indicator"})
    else:
        zero = worst_case(
            "numeric", f"H >= {claim.from_depth}: the Hessian at 0 is zero (central "
            "differences of the loss along random direction pairs)", rows, HESSIAN_ZERO_RTOL,
            ctx, {"measure": "max |D' H E| / sigma_1(Y X^T) over unit directions D, E",
                  "pairs_per_network": FORM_PAIRS, "h": FD_STEP})
    out = [zero,
           worst_case("numeric", "analytic Hessian at 0 (deep_hessian) = central "
                      "differences of the loss, H = 1..5", kernel, HESSIAN_ZERO_RTOL, ctx,
                      {"measure": "max |D' (H_analytic - H_fd) E| / sigma_1",
                       "pairs_per_network": FORM_PAIRS, "h": FD_STEP})]
    if claim.from_depth >= 2:
        out.append(worst_case("numeric", "H = 1: Hessian eigenvalues at 0 are "
                              "+-sigma_i(Y X^T) (multiplicity d_1) and zeros", shallow,
                              ROUNDOFF, ctx, {"measure": "max eigenvalue error / sigma_1"}))
    return out


def check_decrease(ctx: Context, claim: SaddleClaim) -> Evidence:
    """L(t) - L(0) from the covariance kernel, along the aligned direction built from the
    SVD of Y X^T, against the claimed closed form with the claimed exponent (H = 1..5)."""
    rows = []
    ts = np.array(TS)
    for rng, _dx, _dy, X, Y in _sigma_data(ctx, "decrease", max(2, ctx.profile.instances // 2)):
        cov = nl.covariances(X, Y)
        for depth_h in DEPTHS:
            widths = [int(w) for w in rng.integers(1, 5, size=depth_h)]
            dirs, sig, a = nl.aligned_directions(X, Y, widths)
            ws = [np.stack([t * d for t in ts]) for d in dirs]
            L, _ = nl.deep_loss_and_gradient(ws, cov)
            L0 = cov.trace_yy / 2
            q = float(np.sum((a @ X) ** 2))
            ee = float(sympy.N(claim.e.subs(H, depth_h)))
            predicted = -(float(claim.leading) * sig[0]) * ts ** ee + 0.5 * ts ** (2 * ee) * q
            err = np.abs((L - L0) - predicted) / (sig[0] * ts ** (depth_h + 1))
            below = np.all(L < L0)
            rows.append((float(np.max(err)) if below else np.inf,
                         {"H": depth_h, "widths": widths, "t": ts,
                          "L(t) - L(0)": L - L0, "predicted": predicted}))
    return worst_case("numeric", "L(t) - L(0) = -sigma_1 t^e + (1/2) t^(2e) ||a^T X||^2 < 0 "
                      "along the aligned direction, H = 1..5", rows, DECREASE_RTOL, ctx,
                      {"measure": "error relative to sigma_1 t^(H+1); cancellation in "
                                  "L(t) - L(0) costs ~1e-16 L(0) / t^(H+1) <= 1e-10"})


HYPOTHESES = [
    "L(W) = (1/2) ||W_{H+1} ... W_1 X - Y||_F^2, one sample per column",
    "W_l = t D_l with D_{H+1} ... D_1 = b a^T, (a, b) a top singular pair of Y X^T",
    "H >= 2 hidden layers for the zero Hessian; H = 1 for the strict saddle",
]


def _variants() -> tuple[Variant, ...]:
    return (
        Variant("strict saddle", functools.partial(degenerate_saddle, strict=True),
                ("H >= 2: zero gradient and Hessian at 0 in every direction; leading term "
                 "-sigma_1 t^(H+1); H = 1: indefinite",),
                "the origin of a network with H >= 2 hidden layers is a strict saddle"),
        Variant("zero Hessian from H = 1", functools.partial(degenerate_saddle, from_depth=1),
                ("H >= 1: zero gradient and Hessian at 0 in every direction; leading term "
                 "-sigma_1 t^(H+1); H = 1: indefinite",),
                "the Hessian at 0 is zero for one hidden layer too"),
        Variant("exponent 2", functools.partial(degenerate_saddle, exponent=sympy.Integer(2)),
                ("expansion along the aligned direction, symbolic H and sizes",),
                "the loss decreases like t^2 whatever the depth"),
        Variant("leading term off by 1e-6",
                functools.partial(degenerate_saddle, leading=NEAR_MISS),
                ("expansion along the aligned direction, symbolic H and sizes",),
                "-(1 + 1e-6) sigma_1 t^(H+1): a near miss (the decrease check refutes it "
                "too, at 1e-6 against DECREASE_RTOL = 1e-8)"),
        Variant("wrong sign", functools.partial(degenerate_saddle, leading=-1),
                ("expansion along the aligned direction, symbolic H and sizes",),
                "+sigma_1 t^(H+1): the loss would rise along the aligned direction"),
    )


def degenerate_saddle(exponent: sympy.Expr | None = None, strict: bool | None = None,
                      from_depth: int = 2, leading: sympy.Expr = sympy.S.One) -> Theorem:
    """For H >= 2 hidden layers, W = 0 is a saddle with an exactly zero Hessian (MATH 6).

    Parameters
    ----------
    exponent : SymPy expression in H, default H + 1
        The claimed order of the leading term of L(t) - L(0) along the aligned direction.
    strict : bool, optional
        Claimed strictness of the saddle at 0 for H >= 2.  The theorem (None or False)
        says the Hessian there is zero; True states the false variant "the origin of a
        depth-3 (and deeper) network is a strict saddle".
    from_depth : int
        The zero Hessian is claimed for H >= from_depth hidden layers: 2 is the theorem,
        1 the false variant "the Hessian at 0 is zero for one hidden layer too".
    leading : SymPy rational, default 1
        The claimed coefficient c of the leading term -c sigma_1 t^(H+1) (1 + 1e-6: a
        near-miss variant).

    Examples
    --------
    >>> degenerate_saddle(strict=True).verify(seed=0, profile="quick").status.value
    'refuted'
    """
    claim = SaddleClaim(exponent, bool(strict), from_depth, leading)

    def check(name, kind, fn, backed_by):
        return Check(name, kind, functools.partial(fn, claim=claim), backed_by)

    return Theorem(
        id="linear.degenerate_saddle",
        title="Deep linear networks: the origin is a saddle with a zero Hessian (H >= 2)"
        + (" (variant)" if claim.is_variant else ""),
        statement=saddle_statement(claim.e, claim.leading),
        hypotheses=list(HYPOTHESES),
        references=list(REFERENCES["linear.degenerate_saddle"]),
        note=NOTE,
        checks=[
            check("expansion, symbolic H", "symbolic", check_expansion,
                  "theorems.symbolic.sums.canonical"),
            check("derivatives at 0, symbolic H", "symbolic", check_orders,
                  "theorems.linear.degenerate_saddle.taylor_coefficient_at_zero"),
            check("Hessian at 0", "numeric", check_hessian_at_zero,
                  "numerics.linear.deep_hessian, numerics.linear.fd_hessian_forms"),
            check("decrease along the aligned direction", "numeric", check_decrease,
                  "numerics.linear.deep_loss_and_gradient"),
        ],
        derivations={"aligned": functools.partial(saddle_derivation, claim.e, claim.leading),
                     "any direction": any_direction_derivation},
        expected=Status.PROVED,
        variants=() if claim.is_variant else _variants(),
    )
