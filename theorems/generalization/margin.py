"""generalization.jacobian_margin: input margin from output margin and Jacobian (MATH 10.2).

For f: R^n -> R^K classifying x as y with output margin o(x) = f_y(x) - max_{j != y} f_j(x),
if ||J(z)||_2 <= L for almost all z in the ball B(x, r) then

    gamma_in(x) >= min(r, o(x) / (sqrt2 L)),

because each g_j = f_y - f_j is sqrt2 L-Lipschitz on the ball.  For a ReLU network
J = W_L D_{L-1} W_{L-1} ... D_1 W_1 with 0/1 diagonals, so L <= prod_l ||W_l||_2.

The input margin is computed exactly (:func:`numerics.generalization.input_margin`: one
convex QP per activation pattern and class); the sup of ||J|| over the ball is the
largest ||J||_2 over the pattern regions that meet it.  The linear case has a closed
form, checked symbolically and against the QPs.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Le, Min, sqrt

from numerics import generalization as ng
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.generalization.references import SOKOLIC_TSP, XU_MANNOR
from theorems.references import SEED

__all__ = ["MarginClaim", "jacobian_margin", "VARIANTS", "QP_RTOL", "R_SLACK", "ROUNDOFF",
           "built_networks"]

QP_RTOL = 1e-6  # Clarabel (tolerance 1e-8 on row-normalized constraints) against closed forms
R_SLACK = 1e-4  # the ball radius r = gamma (1 + R_SLACK) just above the margin (< ng.REACH)
BOUND_RTOL = 2 * R_SLACK  # min(r, .) may exceed gamma by R_SLACK; plus the QP error
ROUNDOFF = 1e-12  # closed forms in float64 (linear classifiers)
PROBES = 4000  # random points inside the margin ball, per margin
INSIDE = 1 - 1e-4  # probes are drawn within gamma * INSIDE of x

GAMMA, O_X, L_SYM, R_SYM = sympy.symbols("gamma_in o(x) L r", positive=True)


@dataclass(frozen=True)
class MarginClaim:
    """The claimed bound gamma_in >= min(r, o(x)/(constant L)) (the variant knobs).

    Attributes
    ----------
    constant : SymPy number
        sqrt 2 (the claim includes that it is attained by linear classifiers).
    lipschitz : {"ball", "point"}
        L bounds ||J|| over the ball B(x, r) ("ball"), or only at x ("point": then the
        claim is gamma_in >= o(x)/(constant ||J(x)||), the missing hypothesis).
    product : {"spectral", "max"}
        The claimed bound on ||J||_2 of a ReLU network: prod_l ||W_l||_2, or max_l.
    """

    constant: sympy.Expr = sqrt(2)
    lipschitz: str = "ball"
    product: str = "spectral"

    def __post_init__(self) -> None:
        value = sympy.nsimplify(self.constant)
        if not (value.is_number and value.is_positive):
            raise ValueError(f"constant: expected a positive number, got {value!r}")
        object.__setattr__(self, "constant", value)
        if self.lipschitz not in ("ball", "point"):
            raise ValueError(f"lipschitz: expected 'ball' or 'point', got {self.lipschitz!r}")
        if self.product not in ("spectral", "max"):
            raise ValueError(f"product: expected 'spectral' or 'max', got {self.product!r}")

    @property
    def is_default(self) -> bool:
        return self == MarginClaim()

    def lipschitz_bound(self, weights) -> float:
        norms = [float(np.linalg.norm(np.asarray(w), 2)) for w in weights]
        return float(np.prod(norms)) if self.product == "spectral" else max(norms)


def statement(claim: MarginClaim) -> sympy.Expr:
    """gamma_in >= min(r, o(x)/(c L)) (L bounding ||J||_2 on B(x, r))."""
    return Le(Min(R_SYM, O_X / (claim.constant * L_SYM)), GAMMA)


# -- instances -------------------------------------------------------------------------


def _tight_linear(rng: np.random.Generator, n: int, classes: int):
    """W whose top left singular vector is (e_0 - e_1)/sqrt2 (singular value 2), biases that
    put classes 2.. far below, and x = 0.7 v_1 + noise orthogonal to v_1: then class 1 is
    both the runner-up and the nearest, and gamma_in = o(x)/(sqrt2 ||W||_2) exactly."""
    u = np.zeros(classes)
    u[0], u[1] = 1 / math.sqrt(2), -1 / math.sqrt(2)
    q, _ = np.linalg.qr(np.column_stack([u, rng.standard_normal((classes, classes - 1))]))
    left = q[:, :min(classes, n)] * np.sign(q[:, :1].T @ u)[0]
    right = np.linalg.qr(rng.standard_normal((n, min(classes, n))))[0]
    spectrum = np.concatenate([[2.0], rng.uniform(0.2, 0.6, size=min(classes, n) - 1)])
    W = (left * spectrum) @ right.T
    noise = 0.05 * rng.standard_normal(n)
    x = 0.7 * right[:, 0] + noise - (noise @ right[:, 0]) * right[:, 0]
    b = np.zeros(classes)
    b[2:] = -10.0
    return W, b, x


def _linear_instances(ctx: Context, rng: np.random.Generator):
    """(W, b, x, why): the 2 x 2 example of MATH 10.2, built tight ones, random ones."""
    out = [(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.zeros(2), np.array([1.0, 0.0]),
            "W = [[1,0],[-1,0]], x = e_1")]
    for _ in range(max(ctx.profile.instances // 2, 2)):
        n, k = int(rng.integers(2, 5)), int(rng.integers(2, 5))
        W, b, x = _tight_linear(rng, n, k)
        out.append((W, b, x, f"built tight, n = {n}, K = {k}"))
    for _ in range(ctx.profile.instances):
        n, k = int(rng.integers(1, 5)), int(rng.integers(2, 5))
        out.append((rng.standard_normal((k, n)), rng.standard_normal(k), rng.standard_normal(n),
                    f"random n={n} K={k}"))
    return out


def built_networks() -> list[tuple[list, list, np.ndarray, str]]:
    """Networks built on purpose: (weights, biases, x, why).

    * f_1 = 1 - 10 relu(z_1 - 1/2), f_2 = 0 at x = 0: J(x) = 0 but gamma_in = 0.6 (the
      Jacobian at x alone bounds nothing);
    * W_1 = W_2 = 2 I: ||J|| = 4 > max_l ||W_l||_2 = 2 on the all-active region.
    """
    kink = ([np.array([[1.0, 0.0]]), np.array([[-10.0], [0.0]])],
            [np.array([-0.5]), np.array([1.0, 0.0])], np.zeros(2), "J(x) = 0, gamma = 0.6")
    double = ([2.0 * np.eye(2), 2.0 * np.eye(2)], [np.zeros(2), np.zeros(2)],
              np.array([1.0, 0.2]), "W_1 = W_2 = 2 I")
    return [kink, double]


def _relu_instances(ctx: Context, rng: np.random.Generator):
    """Small random ReLU networks (2 inputs, 3 classes) and points classified with a
    clear output margin; one two-hidden-layer network beyond the quick profile."""
    shapes = [(2, 5, 3), (2, 6, 3)]
    if ctx.profile.name != "quick":
        shapes += [(2, 3, 3, 3), (3, 6, 3)]
    points = max(ctx.profile.instances // len(shapes), 2)
    out = []
    for shape in shapes:
        ws = [rng.standard_normal((shape[k + 1], shape[k])) for k in range(len(shape) - 1)]
        bs = [0.5 * rng.standard_normal(w.shape[0]) for w in ws]
        found = 0
        while found < points:
            x = rng.standard_normal(shape[0])
            f = ng.forward(ws, x, bs)
            y = int(np.argmax(f))
            if ng.output_margin(ws, x, y, bs) >= 0.05 * np.max(np.abs(f)):
                out.append((ws, bs, x, y, "-".join(map(str, shape))))
                found += 1
    for ws, bs, x, why in built_networks():
        out.append((ws, bs, x, int(np.argmax(ng.forward(ws, x, bs))), why))
    return out


@functools.lru_cache(maxsize=8)
def _relu_margins(ctx: Context):
    """Exact margins of the ReLU instances of one (seed, profile), shared by the checks
    (and by the variants, which change the claim, never the instances)."""
    rows = []
    for ws, bs, x, y, why in _relu_instances(ctx, ctx.rng("relu networks")):
        rows.append((ws, bs, x, y, why, ng.input_margin(ws, x, y, bs)))
    return rows


def _margins(ctx: Context):
    """The finite exact margins (a point no other class reaches anywhere has gamma = inf,
    where every bound holds trivially) and the count of unresolved QPs."""
    rows = _relu_margins(ctx)
    unresolved = sum(res.unresolved for *_, res in rows)
    return [row for row in rows if math.isfinite(row[-1].margin)], unresolved


# -- checks ----------------------------------------------------------------------------


def check_linear_qp(ctx: Context, claim: MarginClaim) -> Evidence:
    """The QP margin (pattern enumeration with no hidden layer) against the closed form
    min_j g_j(x)/||w_y - w_j|| on linear classifiers."""
    rows = []
    for W, b, x, why in _linear_instances(ctx, ctx.rng("linear")):
        y = int(np.argmax(W @ x + b))
        res = ng.input_margin([W], x, y, [b])
        if res.unresolved:
            return Evidence.inconclusive("convex", "linear: QP margin against the closed form",
                                         f"{res.unresolved} QP(s) without an answer")
        closed = ng.linear_margin(W, x, y, b)
        rows.append((relative_error(res.margin, closed, 1e-12),
                     {"instance": why, "qp": res.margin, "closed": closed}))
    return worst_case("convex", "linear: QP margin against the closed form", rows, QP_RTOL, ctx,
                      {"solver": ng.QP_SOLVER, "solver_tolerance": ng.QP_EPS})


def check_linear_bound(ctx: Context, claim: MarginClaim) -> list[Evidence]:
    """On f = W z: gamma_in >= o(x)/(c ||W||_2) (J = W everywhere, r = inf), and on the
    built instances ((e_0 - e_1)/sqrt2 a top left singular vector) it is an equality."""
    holds, attained = [], []
    for W, b, x, why in _linear_instances(ctx, ctx.rng("linear")):
        y = int(np.argmax(W @ x + b))
        gamma = ng.linear_margin(W, x, y, b)
        o = ng.output_margin([W], x, y, [b])
        bound = o / (float(claim.constant) * claim.lipschitz_bound([W]))
        row = {"instance": why, "gamma": gamma, "bound": bound, "gamma/bound": gamma / bound}
        holds.append((max(bound - gamma, 0.0) / gamma, row))
        if not why.startswith("random"):
            attained.append((relative_error(bound, gamma, 1e-300), row))
    info = {"tolerance_reason": "float64 round-off of closed forms"}
    return [worst_case("numeric", "linear: the bound holds", holds, ROUNDOFF, ctx,
                       {**info, "measure": "relative violation"}),
            worst_case("numeric", "linear: the bound is attained on built instances", attained,
                       ROUNDOFF, ctx, {**info, "measure": "|bound/gamma - 1|"})]


def check_linear_symbolic(ctx: Context, claim: MarginClaim) -> Evidence:
    """Symbolic, n = 3: the nearest point of {a.z + b = 0} to x is z* = x - t a with
    t = (a.x + b)/||a||^2 (on the plane; Pythagoras against every z* + a x w), so the
    distance is (a.x + b)/||a||; and on W = [[1,0],[-1,0]], x = (t, 0) the claimed bound is
    2t/(c sqrt2) <= gamma_in = t exactly when c >= sqrt2."""
    name = "linear: exact margin formula and the tight instance (symbolic)"
    a = sympy.Matrix(sympy.symbols("a1:4", real=True))
    x = sympy.Matrix(sympy.symbols("x1:4", real=True))
    w = sympy.Matrix(sympy.symbols("w1:4", real=True))
    b = sympy.Symbol("b", real=True)
    t = (a.dot(x) + b) / a.dot(a)
    star = x - t * a
    on_plane = sympy.simplify(a.dot(star) + b)
    u = a.cross(w)  # spans the plane's directions as w varies
    pythagoras = sympy.simplify((star + u - x).dot(star + u - x) - (star - x).dot(star - x)
                                - u.dot(u))
    distance = sympy.simplify((star - x).dot(star - x) - (a.dot(x) + b) ** 2 / a.dot(a))
    s = sympy.Symbol("t", positive=True)
    bound = 2 * s / (claim.constant * sqrt(2))  # o = 2t, ||W||_2 = sqrt2, gamma_in = t
    gap = sympy.simplify(s - bound)
    details = {"on plane": str(on_plane), "pythagoras": str(pythagoras),
               "distance^2 - formula^2": str(distance), "gamma - bound": str(gap)}
    if on_plane != 0 or pythagoras != 0 or distance != 0:
        return Evidence("symbolic", name, False, details=details,
                        counterexample={"reason": "the projection formula failed"})
    if gap.is_nonnegative and sympy.simplify(gap) == 0:
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, details=details)
    return Evidence("symbolic", name, False, details=details,
                    counterexample={"W": [[1, 0], [-1, 0]], "x": ["t", 0], "gamma_in": "t",
                                    "claimed bound": str(bound),
                                    "why": "bound exceeds gamma" if not gap.is_nonnegative
                                    else "bound not attained"})


def check_relu_exact(ctx: Context, claim: MarginClaim) -> list[Evidence]:
    """The exact margins are margins: the QP minimizer is on the decision boundary at
    distance gamma, and no random probe inside B(x, gamma (1 - 1e-4)) is misclassified."""
    rows, unresolved = _margins(ctx)
    if unresolved:
        reason = f"{unresolved} QP(s) ended neither optimal nor infeasible"
        return [Evidence.inconclusive("convex", "ReLU: the QP minimizer is on the boundary",
                                      reason)]
    rng = ctx.rng("probes")
    boundary, probes = [], []
    for ws, bs, x, y, why, res in rows:
        o = ng.output_margin(ws, x, y, bs)
        at = ng.output_margin(ws, res.point, y, bs)
        dist = float(np.linalg.norm(res.point - x))
        boundary.append((max(abs(at) / o, abs(dist - res.margin) / res.margin),
                         {"network": why, "gamma": res.margin, "o(z*)": at, "qps": res.qps}))
        u = rng.standard_normal((PROBES, x.size))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        radius = res.margin * INSIDE * rng.uniform(0, 1, (PROBES, 1)) ** (1 / x.size)
        pts = np.vstack([x + radius * u, x + INSIDE * (res.point - x)])
        wrong = np.argmax(ng.forward(ws, pts, bs), axis=1) != y
        probes.append((float(np.count_nonzero(wrong)), {"network": why, "gamma": res.margin}))
    return [worst_case("convex", "ReLU: the QP minimizer is on the boundary", boundary,
                       QP_RTOL, ctx, {"measure": "max(|o(z*)|/o(x), | ||z*-x|| - gamma |/gamma)",
                                      "solver": ng.QP_SOLVER}),
            worst_case("numeric", "ReLU: no misclassified probe inside the margin", probes,
                       0.0, ctx, {"measure": "misclassified probes", "probes": PROBES + 1})]


def _ball_lipschitz(res, radius: float) -> float:
    return max((jn for dist, jn in res.patterns if dist <= radius), default=0.0)


def check_relu_bound(ctx: Context, claim: MarginClaim) -> list[Evidence]:
    """gamma_in >= min(r, o/(c L)) with L the sup of ||J||_2 over B(x, r), r just above
    gamma (the sharpest r), and with L = prod_l ||W_l||_2 (r = inf); looseness reported."""
    rows, unresolved = _margins(ctx)
    if unresolved:
        return [Evidence.inconclusive("numeric", "ReLU: the bound with sup ||J|| over the ball",
                                      f"{unresolved} QP(s) ended neither optimal nor "
                                      "infeasible")]
    c = float(claim.constant)
    ball, prod, loose_ball, loose_prod = [], [], [], []
    for ws, bs, x, y, why, res in rows:
        o, gamma = ng.output_margin(ws, x, y, bs), res.margin
        r = gamma * (1 + R_SLACK)
        if claim.lipschitz == "point":
            jx = float(np.linalg.norm(ng.jacobian(ws, x, bs), 2))
            claimed = o / (c * jx) if jx > 0 else math.inf
        else:
            claimed = min(r, o / (c * _ball_lipschitz(res, r)))
        product = o / (c * claim.lipschitz_bound(ws))
        loose_ball.append(gamma / claimed)
        loose_prod.append(gamma / product)
        inst = {"network": why, "x": x, "label": y, "gamma": gamma, "o(x)": o}
        ball.append((max(claimed - gamma, 0.0) / gamma, {**inst, "claimed": claimed}))
        prod.append((max(product - gamma, 0.0) / gamma, {**inst, "claimed": product}))
    info = {"measure": "relative violation", "tolerance_reason": "r = gamma (1 + 1e-4) "
            "and the QP tolerance"}
    return [worst_case("numeric", "ReLU: the bound with sup ||J|| over the ball", ball,
                       BOUND_RTOL, ctx, {**info, "looseness gamma/bound": loose_ball}),
            worst_case("numeric", "ReLU: the bound with prod ||W_l||_2", prod, BOUND_RTOL, ctx,
                       {**info, "looseness gamma/bound": loose_prod})]


def check_jacobian_product(ctx: Context, claim: MarginClaim) -> Evidence:
    """||J||_2 <= the claimed bound (prod_l ||W_l||_2) on every activation region met by the
    margin computation (the built W_1 = W_2 = 2 I network included)."""
    rows, _ = _margins(ctx)
    out = []
    for ws, _bs, _x, _y, why, res in rows:
        bound = claim.lipschitz_bound(ws)
        worst = max(jn for _, jn in res.patterns)
        out.append((max(worst - bound, 0.0) / bound, {"network": why, "max ||J||": worst,
                                                      "bound": bound, "ratio": worst / bound}))
    return worst_case("numeric", "ReLU: ||J||_2 <= prod ||W_l||_2 on every region", out,
                      ROUNDOFF, ctx, {"measure": "relative excess",
                                      "largest ratio": max(r[1]["ratio"] for r in out)})


def margin_looseness_figure(ctx: Context):
    """gamma_in / bound for the exact-margin networks of the checks (log scale)."""
    from theorems.figures import new_figure

    rows = _relu_margins(ctx)
    labels, ball, prod = [], [], []
    for ws, bs, x, y, why, res in rows:
        if not np.isfinite(res.margin):
            continue
        o = ng.output_margin(ws, x, y, bs)
        r = res.margin * 1.0001
        lip = max(jn for dist, jn in res.patterns if dist <= r)
        labels.append(why)
        ball.append(res.margin / min(r, o / (np.sqrt(2) * lip)))
        prod.append(res.margin / (o / (np.sqrt(2) * ng.spectral_product(ws))))
    fig, ax = new_figure()
    idx = np.arange(len(labels))
    ax.bar(idx - 0.2, ball, width=0.4, label="sup ||J|| over the ball")
    ax.bar(idx + 0.2, prod, width=0.4, label="prod ||W_l||_2")
    ax.axhline(1.0, color="black", lw=0.8)
    ax.set_yscale("log")
    ax.set_xticks(idx, labels, rotation=30, ha="right")
    ax.set_ylabel("exact margin / bound")
    ax.set_title("Looseness of gamma_in >= o(x)/(sqrt2 L) on exact-margin ReLU networks")
    ax.legend(loc="best")
    return fig


CHECKS = (
    ("linear: QP margin", "convex", check_linear_qp, "numerics.generalization.input_margin"),
    ("linear: bound", "numeric", check_linear_bound, "numerics.generalization.linear_margin"),
    ("linear: symbolic", "symbolic", check_linear_symbolic, "sympy.simplify"),
    ("ReLU: exact margins", "convex", check_relu_exact, "numerics.generalization.input_margin"),
    ("ReLU: bounds", "numeric", check_relu_bound, "numerics.generalization.jacobian"),
    ("ReLU: Jacobian product", "numeric", check_jacobian_product,
     "numerics.generalization.spectral_product"),
)


def jacobian_margin(claim: MarginClaim | None = None) -> Theorem:
    """Input margin >= min(r, o(x)/(sqrt2 L)), L <= prod ||W_l||_2 for ReLU nets (MATH 10.2).

    Examples
    --------
    >>> jacobian_margin(MarginClaim(constant=1)).verify(profile="quick").status.value
    'refuted'
    """
    claim = MarginClaim() if claim is None else claim
    checks = [Check(name, kind, functools.partial(fn, claim=claim), backed)
              for name, kind, fn, backed in CHECKS]
    return Theorem(
        id="generalization.jacobian_margin",
        title="Input margin from output margin and the Jacobian over a ball; ReLU networks: "
              "the product of spectral norms" + ("" if claim.is_default else " (variant)"),
        statement=statement(claim),
        hypotheses=["f: R^n -> R^K classifies x as y with o(x) = f_y(x) - max_{j!=y} f_j(x) > 0",
                    "||J(z)||_2 <= L for almost every z in B(x, r)",
                    "ReLU networks (biases allowed): L = prod_l ||W_l||_2 for any r",
                    "the constant sqrt2 is attained by linear classifiers"],
        references=[SOKOLIC_TSP, XU_MANNOR, SEED],
        note="proofs_notes/generalization.md",
        checks=checks,
        figures={"exact margin over the bound, per network": margin_looseness_figure},
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


def _variant(**changes) -> functools.partial:
    return functools.partial(jacobian_margin, MarginClaim(**changes))


VARIANTS = (
    Variant("no sqrt2", _variant(constant=sympy.Integer(1)),
            ("linear: the bound holds",), "W = [[1,0],[-1,0]], x = e_1: gamma = 1 < sqrt2"),
    Variant("near-miss constant 1.41", _variant(constant=sympy.Rational(141, 100)),
            ("linear: the bound holds",), "the tight linear instances: 1.41 < sqrt2 = 1.41421"),
    Variant("constant 2 (not sharp)", _variant(constant=sympy.Integer(2)),
            ("linear: the bound is attained on built instances",),
            "true but not attained: the claim says sqrt2 is the best constant"),
    Variant("Jacobian at x alone", _variant(lipschitz="point"),
            ("ReLU: the bound with sup ||J|| over the ball",),
            "f_1 = 1 - 10 relu(z_1 - 1/2), f_2 = 0, x = 0: J(x) = 0, gamma = 0.6"),
    Variant("max_l ||W_l|| for the Lipschitz constant", _variant(product="max"),
            ("ReLU: the bound with prod ||W_l||_2", "ReLU: ||J||_2 <= prod ||W_l||_2 on every "
             "region"), "W_1 = W_2 = 2 I: ||J|| = 4 > 2"),
)
