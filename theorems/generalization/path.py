"""generalization.path_norm: path norms of bias-free ReLU networks (MATH 10.3).

phi_p(w) = (sum over input-output paths of prod_{e in path} |w_e|^p)^(1/p)
         = (1^T |W_L|^p ... |W_1|^p 1)^(1/p), and

(a) phi_p is invariant under node rescalings (row j of W_l times c > 0, column j of
    W_(l+1) divided by c), which keep the function; prod_l ||W_l||_F is not;
(b) phi_2 <= prod_l ||W_l||_F (equality for chains of single units);
(c) scalar output: |f(x)| <= phi_1 ||x||_inf (equality for positive weights, x = 1);
(d) scalar output: phi_p = min over node rescalings of prod_l max_j ||W_l[j, :]||_p, a
    convex problem in the log-scales (solved by CVXPY).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import And, Eq, Le

from numerics import generalization as ng
from theorems.checks import relative_error, worst_case
from theorems.core import Check, Context, Evidence, Status, Theorem, Variant
from theorems.generalization.references import NEYSHABUR_COLT, NEYSHABUR_PATHSGD

__all__ = ["PathClaim", "path_norm", "VARIANTS", "ROUNDOFF", "CONVEX_RTOL"]

ROUNDOFF = 1e-12  # DP, enumeration and rescaling in float64: relative round-off
CONVEX_RTOL = 1e-6  # Clarabel (tolerance 1e-8 on the log objective) against the DP value
POWERS = (1, 2, 3)


@dataclass(frozen=True)
class PathClaim:
    """The claims of MATH 10.3 (the variant knobs).

    Attributes
    ----------
    invariant : {"path", "frobenius"}
        The quantity claimed invariant under node rescalings.
    frobenius : float
        phi_2 <= frobenius * prod ||W_l||_F (1, attained).
    linf : float
        |f(x)| <= linf * phi_1 ||x||_inf (1, attained).
    outputs : int
        Outputs of the networks (d) is claimed for (it holds for 1).
    rescaled : bool
        (d) with the minimum over rescalings (True) or the unrescaled product (False).
    """

    invariant: str = "path"
    frobenius: float = 1.0
    linf: float = 1.0
    outputs: int = 1
    rescaled: bool = True

    def __post_init__(self) -> None:
        if self.invariant not in ("path", "frobenius"):
            raise ValueError(f"invariant: expected 'path' or 'frobenius', got {self.invariant!r}")
        for name in ("frobenius", "linf"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name}: expected a positive constant")
        if self.outputs not in (1, 2):
            raise ValueError(f"outputs: expected 1 or 2, got {self.outputs!r}")

    @property
    def is_default(self) -> bool:
        return self == PathClaim()


PHI, PHI_R, FROB, FX, XINF, MU = sympy.symbols(
    "phi_p phi_p(rescaled) prod||W_l||_F |f(x)| ||x||_inf min_rescalings_prod_mu", positive=True)


def statement(claim: PathClaim) -> sympy.Expr:
    phi2, phi1 = sympy.symbols("phi_2 phi_1", positive=True)
    return And(Eq(PHI_R, PHI), Le(phi2, claim.frobenius * FROB),
               Le(FX, claim.linf * phi1 * XINF), Eq(MU, PHI))


def _network(rng: np.random.Generator, widths, positive: bool = False) -> list[np.ndarray]:
    ws = [rng.standard_normal((widths[k + 1], widths[k])) for k in range(len(widths) - 1)]
    return [np.abs(w) for w in ws] if positive else ws


def _random_widths(rng: np.random.Generator, outputs: int = 1):
    depth = int(rng.integers(1, 4))
    return [int(rng.integers(1, 5))] + [int(rng.integers(1, 6)) for _ in range(depth)] + [
        outputs]


def check_dp(ctx: Context, claim: PathClaim) -> Evidence:
    """The DP formula against the enumeration of every path (one network has 41,472 paths)."""
    rng = ctx.rng("dp")
    nets = [_network(rng, [3, 24, 24, 24, 1])]
    nets += [_network(rng, _random_widths(rng, int(rng.integers(1, 3))))
             for _ in range(ctx.profile.instances)]
    rows = []
    for ws in nets:
        for p in POWERS:
            dp, listed = ng.path_norm(ws, p), ng.path_norm_enumerated(ws, p)
            rows.append((relative_error(dp, listed, 1e-300),
                         {"widths": [ws[0].shape[1]] + [w.shape[0] for w in ws], "p": p,
                          "dp": dp, "enumerated": listed}))
    return worst_case("numeric", "DP against path enumeration", rows, ROUNDOFF, ctx,
                      {"measure": "relative error", "tolerance_reason": "float64 round-off"})


def _symbolic_net():
    """A 2-2-2-1 network with symbolic real entries."""
    shapes = [(2, 2), (2, 2), (1, 2)]
    return [sympy.Matrix(r, c, lambda i, j, k=k: sympy.Symbol(f"w{k}_{i}{j}", real=True))
            for k, (r, c) in enumerate(shapes)]


def _phi_power(ws, p):
    v = sympy.ones(ws[0].shape[1], 1)
    for w in ws:
        v = w.applyfunc(lambda e: sympy.Abs(e) ** p) * v
    return sum(v)


def _frobenius_product(ws):
    return sympy.prod([sum(e**2 for e in w) for w in ws])


def check_invariance_symbolic(ctx: Context, claim: PathClaim) -> Evidence:
    """Symbolic entries (2-2-2-1), symbolic c > 0 and symbolic p: rescaling every unit of
    both hidden layers leaves phi_p^p unchanged; the claimed-invariant quantity must be."""
    name = "rescaling invariance (symbolic entries, scalings and p)"
    ws = _symbolic_net()
    p = sympy.Symbol("p", positive=True)
    cs = [sympy.symbols(f"c{k}_0:2", positive=True) for k in range(2)]
    scaled = [w.copy() for w in ws]
    for k, layer in enumerate(cs):
        for j, c in enumerate(layer):
            scaled[k][j, :] *= c
            scaled[k + 1][:, j] /= c
    quantity = _phi_power if claim.invariant == "path" else lambda w, _p: _frobenius_product(w)
    diff = sympy.simplify(sympy.expand_power_base(quantity(scaled, p) - quantity(ws, p),
                                                  force=False))
    if diff == 0:
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0,
                        details={"network": "2-2-2-1", "scalings": "4 symbolic, positive"})
    at = {s: 1 for w in ws for s in w} | {cs[0][0]: 2} | {c: 1 for c in (*cs[0][1:], *cs[1])}
    value = sympy.nsimplify(diff.subs(p, 2).subs(at))
    return Evidence("symbolic", name, False if value != 0 else None,
                    details={"difference": str(diff)[:400]},
                    counterexample={"all weights": 1, "c0_0": 2, "p": 2,
                                    "change": str(value)})


def check_invariance_numeric(ctx: Context, claim: PathClaim) -> Evidence:
    """Random rescalings of random networks keep f (probed at random x) and phi_1, phi_2,
    phi_3, and the claimed-invariant quantity."""
    rng = ctx.rng("rescaling")
    rows = []
    for _ in range(ctx.profile.instances):
        ws = _network(rng, _random_widths(rng, 2) if rng.random() < 0.5 else [3, 4, 5, 1])
        if len(ws) < 2:
            continue
        new = ws
        for _ in range(4):
            layer = int(rng.integers(0, len(ws) - 1))
            new = ng.rescale(new, layer, int(rng.integers(0, ws[layer].shape[0])),
                             float(np.exp(rng.uniform(-2, 2))))
        x = rng.standard_normal((16, ws[0].shape[1]))
        f0, f1 = ng.forward(ws, x), ng.forward(new, x)
        errs = [float(np.max(np.abs(f1 - f0)) / max(np.max(np.abs(f0)), 1e-300))]
        errs += [relative_error(ng.path_norm(new, p), ng.path_norm(ws, p), 1e-300)
                 for p in POWERS]
        if claim.invariant == "frobenius":
            fro = lambda w: float(np.prod([np.linalg.norm(a) for a in w]))  # noqa: E731
            errs.append(relative_error(fro(new), fro(ws), 1e-300))
        rows.append((max(errs), {"widths": [ws[0].shape[1]] + [w.shape[0] for w in ws]}))
    return worst_case("numeric", "rescalings keep the function and the claimed quantity", rows,
                      1e-10, ctx, {"measure": "relative change", "tolerance_reason":
                                   "float64 round-off, scales up to e^8 apart"})


def check_frobenius(ctx: Context, claim: PathClaim) -> list[Evidence]:
    """phi_2 <= prod ||W_l||_F on random networks; equality on chains of single units."""
    rng = ctx.rng("frobenius")
    generic, chains = [], []
    for k in range(ctx.profile.instances):
        ws = _network(rng, _random_widths(rng, 1 + k % 2))
        chain = _network(rng, [int(rng.integers(1, 5))] + [1] * int(rng.integers(1, 4)))
        for ws_, rows in ((ws, generic), (chain, chains)):
            phi = ng.path_norm(ws_, 2)
            bound = claim.frobenius * float(np.prod([np.linalg.norm(w) for w in ws_]))
            # generic networks: the one-sided violation; chains: equality, both sides
            gap = max(phi - bound, 0.0) if rows is generic else abs(phi - bound)
            rows.append((gap / phi, {"phi_2": phi, "bound": bound}))
    info = {"measure": "relative violation", "tolerance_reason": "float64 round-off"}
    return [worst_case("numeric", "phi_2 <= prod ||W_l||_F", generic, ROUNDOFF, ctx, info),
            worst_case("numeric", "phi_2 <= prod ||W_l||_F on single-unit chains (equality)",
                       chains, ROUNDOFF, ctx, info)]


def check_linf(ctx: Context, claim: PathClaim) -> list[Evidence]:
    """|f(x)| <= phi_1 ||x||_inf for scalar outputs, at random x and at x = 1 on networks
    with positive weights, where it is an equality (held to round-off on both sides)."""
    rng = ctx.rng("linf")
    rows, attained = [], []
    for k in range(ctx.profile.instances):
        positive = k % 2 == 0
        ws = _network(rng, _random_widths(rng), positive=positive)
        xs = rng.standard_normal((32, ws[0].shape[1]))
        if positive:
            xs = np.vstack([np.ones(ws[0].shape[1]), xs])
        f = np.abs(ng.forward(ws, xs)[:, 0])
        bound = claim.linf * ng.path_norm(ws, 1) * np.max(np.abs(xs), axis=1)
        worst = int(np.argmax(f - bound))
        rows.append((max(f[worst] - bound[worst], 0.0) / bound[worst],
                     {"positive weights": positive, "x": xs[worst], "|f(x)|": f[worst],
                      "bound": bound[worst]}))
        if positive:
            attained.append((abs(f[0] - bound[0]) / bound[0],
                             {"x": "all ones", "|f(x)|": f[0], "bound": bound[0]}))
    info = {"measure": "relative violation", "tolerance_reason": "round-off"}
    return [worst_case("numeric", "|f(x)| <= phi_1 ||x||_inf", rows, ROUNDOFF, ctx, info),
            worst_case("numeric", "|f(x)| = phi_1 ||x||_inf at x = 1, positive weights",
                       attained, ROUNDOFF, ctx, {**info, "measure": "relative gap"})]


def check_rescaled_minimum(ctx: Context, claim: PathClaim) -> Evidence:
    """min over rescalings of prod_l max-row p-norms (CVXPY, log-scales) equals phi_p, and
    the optimal scales applied to the network give that product (an independent check)."""
    name = "min over rescalings of prod max-row norms = phi_p (CVXPY)"
    rng = ctx.rng("minimum")
    rows = []
    nets = [_network(rng, [2, 3, claim.outputs])]  # the duplicated-output instance below
    nets[0][-1] = np.repeat(nets[0][-1][:1], claim.outputs, axis=0)
    nets += [_network(rng, _random_widths(rng, claim.outputs))
             for _ in range(max(ctx.profile.instances // 2, 2))]
    for ws in nets:
        for p in POWERS:
            if claim.rescaled:
                value, scales, status = ng.min_rescaled_row_product(ws, p)
                if value is None:
                    return Evidence.inconclusive("convex", name, f"solver status {status}")
                new = ws
                for k, layer in enumerate(scales):
                    for j, c in enumerate(layer):
                        new = ng.rescale(new, k, j, float(c))
                product = float(np.prod([ng.max_row_norm(w, p) for w in new]))
                err = max(relative_error(value, ng.path_norm(ws, p), 1e-300),
                          relative_error(product, value, 1e-300))
            else:
                value = float(np.prod([ng.max_row_norm(w, p) for w in ws]))
                err = relative_error(value, ng.path_norm(ws, p), 1e-300)
            rows.append((err, {"widths": [ws[0].shape[1]] + [w.shape[0] for w in ws], "p": p,
                               "minimum": value, "phi_p": ng.path_norm(ws, p)}))
    return worst_case("convex", name, rows, CONVEX_RTOL, ctx,
                      {"solver": "CLARABEL", "measure": "relative difference"})


CHECKS = (
    ("DP", "numeric", check_dp, "numerics.generalization.path_norm_enumerated"),
    ("invariance (symbolic)", "symbolic", check_invariance_symbolic, "sympy.simplify"),
    ("invariance (numeric)", "numeric", check_invariance_numeric,
     "numerics.generalization.rescale"),
    ("Frobenius bound", "numeric", check_frobenius, "numerics.generalization.path_norm"),
    ("l_inf bound", "numeric", check_linf, "numerics.generalization.forward"),
    ("rescaled minimum", "convex", check_rescaled_minimum,
     "numerics.generalization.min_rescaled_row_product"),
)


def path_norm(claim: PathClaim | None = None) -> Theorem:
    """Path norms: DP, rescaling invariance, bounds, and the min over rescalings (MATH 10.3).

    Examples
    --------
    >>> path_norm(PathClaim(invariant="frobenius")).verify(profile="quick").status.value
    'refuted'
    """
    claim = PathClaim() if claim is None else claim
    checks = [Check(name, kind, functools.partial(fn, claim=claim), backed)
              for name, kind, fn, backed in CHECKS]
    return Theorem(
        id="generalization.path_norm",
        title="Path norms: dynamic programming, rescaling invariance, phi_2 <= prod ||W_l||_F,"
              " and the minimum over rescalings" + ("" if claim.is_default else " (variant)"),
        statement=statement(claim),
        hypotheses=["layered ReLU network without biases, weights W_1, ..., W_L",
                    "node rescaling: row j of W_l times c > 0, column j of W_(l+1) over c",
                    "(c) and (d): a single output"],
        references=[NEYSHABUR_COLT, NEYSHABUR_PATHSGD],
        note="proofs_notes/generalization.md",
        checks=checks,
        expected=Status.VERIFIED,
        variants=VARIANTS if claim.is_default else (),
    )


def _variant(**changes) -> functools.partial:
    return functools.partial(path_norm, PathClaim(**changes))


VARIANTS = (
    Variant("prod ||W_l||_F rescaling invariant", _variant(invariant="frobenius"),
            ("rescaling invariance (symbolic entries, scalings and p)",),
            "c = 2 on one unit of the all-ones 2-2-2-1 network changes it"),
    Variant("near-miss Frobenius constant 0.99", _variant(frobenius=0.99),
            ("phi_2 <= prod ||W_l||_F on single-unit chains (equality)",),
            "chains of single units attain the bound"),
    Variant("near-miss l_inf constant 0.99", _variant(linf=0.99),
            ("|f(x)| <= phi_1 ||x||_inf",), "positive weights at x = 1 attain it"),
    Variant("near-miss Frobenius constant 1.01", _variant(frobenius=1.01),
            ("phi_2 <= prod ||W_l||_F on single-unit chains (equality)",),
            "the constant 1 is attained, so a larger one is not the bound's"),
    Variant("near-miss l_inf constant 1.01", _variant(linf=1.01),
            ("|f(x)| = phi_1 ||x||_inf at x = 1, positive weights",),
            "the constant 1 is attained at x = 1 with positive weights"),
    Variant("(d) without the minimum over rescalings", _variant(rescaled=False),
            ("min over rescalings of prod max-row norms = phi_p (CVXPY)",),
            "the unrescaled product exceeds phi_p"),
    Variant("(d) for two outputs (missing hypothesis)", _variant(outputs=2),
            ("min over rescalings of prod max-row norms = phi_p (CVXPY)",),
            "duplicating the output row doubles phi_p^p, not the max-row product"),
)
