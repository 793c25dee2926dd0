"""Symbolic checks of the quadratic local entropy (MATH 9.3): n = 1 by SymPy's Gaussian
integral with symbolic a, b, x, gamma; n = 2, 3 by completing the square with every
entry of A, b, x a symbol (fixed sizes only: the dimension is not symbolic).

Convention: gamma is the coupling; E = -F = -log int exp(-f(y) - gamma (x - y)^2/2) dy.
"""

from __future__ import annotations

import sympy
from sympy import ImmutableMatrix, Rational

from theorems.core import Context, Evidence
from theorems.derivation import Derivation, Lemma, Step
from theorems.energy.common import CONVENTION, CURV, GAMMA

__all__ = ["one_dimensional_energy", "check_one_dimension", "check_fixed_sizes",
           "fixed_size_derivation", "apply_map"]

X1, B1 = sympy.symbols("x b", real=True)
C1 = sympy.Symbol("c", positive=True)  # c = a + gamma > 0, where the integral converges
AT = {CURV: Rational(7, 5), GAMMA: Rational(9, 4)}  # exact point for a counterexample
AT_NEG = {CURV: Rational(-4, 5), GAMMA: Rational(9, 4)}


def one_dimensional_energy() -> sympy.Expr:
    """E(x; gamma) for f(y) = a y^2/2 + b y, by sympy.integrate, with a = c - gamma.

    The exponent -f(y) - gamma (x - y)^2/2 is rewritten (checked by expansion) as
    -c y^2/2 + B y - gamma x^2/2 with B = gamma x - b, and SymPy integrates
    exp(-c y^2/2 + B y) over the line for symbolic c > 0 and real B.
    """
    y = sympy.Symbol("y", real=True)
    big_b = sympy.Symbol("B", real=True)
    exponent = -(C1 - GAMMA) * y ** 2 / 2 - B1 * y - GAMMA * (X1 - y) ** 2 / 2
    rewritten = -C1 * y ** 2 / 2 + big_b * y - GAMMA * X1 ** 2 / 2
    if sympy.expand(exponent - rewritten.subs(big_b, GAMMA * X1 - B1)) != 0:
        raise ArithmeticError("the exponent rewrite does not expand to the exponent")
    inner = sympy.integrate(sympy.exp(-C1 * y ** 2 / 2 + big_b * y), (y, -sympy.oo, sympy.oo),
                            conds="none")
    inner = sympy.simplify(inner)
    value = sympy.log(inner) - GAMMA * X1 ** 2 / 2
    return -sympy.expand_log(value.subs(big_b, GAMMA * X1 - B1), force=True)


def check_one_dimension(ctx: Context, claim) -> Evidence:
    """d^2E/dx^2 of the exact 1-D integral equals the claimed map, and E equals the closed
    form of numerics.energy.quadratic_local_entropy, for symbolic a > -gamma, b, x."""
    name = "Gaussian integral, n = 1, symbolic entries"
    energy = one_dimensional_energy()
    a_of_c = {CURV: C1 - GAMMA}
    closed = (GAMMA * X1 ** 2 / 2 - (GAMMA * X1 - B1) ** 2 / (2 * C1) + sympy.log(C1) / 2
              - sympy.log(2 * sympy.pi) / 2)
    value_gap = sympy.simplify(energy - closed)
    hess = sympy.diff(energy, X1, 2)
    map_gap = sympy.simplify(hess - claim.curvature_map.subs(a_of_c))
    details = {"energy": str(energy), "hessian": str(sympy.simplify(hess)),
               "claimed": str(claim.curvature_map), "convention": CONVENTION}
    if value_gap == 0 and map_gap == 0:
        return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, details=details)
    for at in (AT, AT_NEG):
        point = {C1: at[CURV] + at[GAMMA], GAMMA: at[GAMMA]}
        gap = sympy.nsimplify(map_gap.subs(point))
        if gap != 0:
            cex = {"a": str(at[CURV]), "gamma": str(at[GAMMA]),
                   "hessian": str(hess.subs(point)),
                   "claimed": str(claim.curvature_map.subs(at))}
            return Evidence("symbolic", name, False, details=details, counterexample=cex)
    return Evidence.inconclusive("symbolic", name, "the difference did not simplify to 0 "
                                 "and vanished at the exact test points", **details)


def _symbols(n: int):
    A = ImmutableMatrix(n, n, lambda i, j: sympy.Symbol(f"a{min(i, j) + 1}{max(i, j) + 1}"))
    b = ImmutableMatrix(n, 1, lambda i, _: sympy.Symbol(f"b{i + 1}"))
    x = ImmutableMatrix(n, 1, lambda i, _: sympy.Symbol(f"x{i + 1}"))
    y = ImmutableMatrix(n, 1, lambda i, _: sympy.Symbol(f"y{i + 1}"))
    return A, b, x, y


def _poly_at(coeffs: list, A: ImmutableMatrix) -> ImmutableMatrix:
    """Horner evaluation of a polynomial (coefficients, highest first) at a matrix."""
    out = sympy.zeros(A.shape[0])
    for c in coeffs:
        out = out * A + c * sympy.eye(A.shape[0])
    return ImmutableMatrix(out)


def apply_map(phi: sympy.Expr, A: ImmutableMatrix, scale: sympy.Expr
              ) -> tuple[ImmutableMatrix, ImmutableMatrix]:
    """(P(A), Q(A)) with phi = P/Q as polynomials in a: phi(A) = P(A) Q(A)^{-1}."""
    num, den = sympy.fraction(sympy.together(phi))
    pn = sympy.Poly(sympy.expand(num), CURV).all_coeffs()
    pd = sympy.Poly(sympy.expand(den), CURV).all_coeffs()
    return _poly_at(pn, A), _poly_at(pd, A)


def _square_completed(n: int) -> bool:
    """det^2 [q(y) - q(m) + (y - m)^T M (y - m)/2] expands to 0: the exponent
    q(y) = -f(y) - gamma ||x - y||^2/2 is the Gaussian with mean m = M^{-1}(gamma x - b)."""
    A, b, x, y = _symbols(n)
    M = A + GAMMA * sympy.eye(n)
    det, adj = M.det(), M.adjugate()
    c = GAMMA * x - b
    q = (-(y.T * A * y)[0] / 2 - (b.T * y)[0] - GAMMA * ((x - y).T * (x - y))[0] / 2)
    dm = det * y - adj * c  # det (y - m)
    top = (c.T * adj * c)[0] / 2 - det * GAMMA * (x.T * x)[0] / 2  # det q(m)
    gap = det ** 2 * q + (dm.T * M * dm)[0] / 2 - det * top
    return sympy.expand(gap) == 0


def _hessian_gap(n: int, phi: sympy.Expr) -> ImmutableMatrix:
    """det M [gamma I - gamma^2 M^{-1}] Q(A) - det M P(A), entries expanded (0 iff the
    claimed map phi = P/Q gives the Hessian of the closed form)."""
    A, _, _, _ = _symbols(n)
    M = A + GAMMA * sympy.eye(n)
    det, adj = M.det(), M.adjugate()
    P, Q = apply_map(phi, A, GAMMA)
    gap = (GAMMA * det * sympy.eye(n) - GAMMA ** 2 * adj) * Q - det * P
    return ImmutableMatrix(gap.applyfunc(sympy.expand))


def check_fixed_sizes(ctx: Context, claim) -> Evidence:
    """At n = 2, 3 with symbolic entries: the exponent is a Gaussian (completing the
    square), so hess E = gamma I - gamma^2 (A + gamma I)^{-1}; the claimed map applied to
    A must equal it."""
    name = "completing the square, n = 2 and 3, symbolic entries"
    for n in (2, 3):
        if not _square_completed(n):
            return Evidence("symbolic", name, False, counterexample={"n": n, "step":
                                                                     "completing the square"})
        gap = _hessian_gap(n, claim.curvature_map)
        if gap != sympy.zeros(n):
            A, _, _, _ = _symbols(n)
            point = {s: sympy.Integer(v) for s, v in zip(sorted(A.free_symbols, key=str),
                                                         (3, 1, 2, -1, 1, 4), strict=False)}
            point[GAMMA] = Rational(5, 2)
            return Evidence("symbolic", name, False, details={"n": n},
                            counterexample={"n": n, "entries": {str(k): str(v)
                                                                for k, v in point.items()},
                                            "gap": str(gap.subs(point))})
    return Evidence("symbolic", name, True, measured=0.0, tolerance=0.0, instances=2,
                    details={"sizes": [2, 3], "scope": "fixed sizes, every entry a symbol",
                             "convention": CONVENTION})


def _matrix_lemma(name: str, description: str) -> Lemma:
    def check(before, after, relation):
        diff = (sympy.Matrix(before) - sympy.Matrix(after)).applyfunc(sympy.cancel)
        ok = relation == "=" and diff == sympy.zeros(*diff.shape)
        return ok, "entries agree as rational functions" if ok else f"difference {diff}"
    return Lemma(name, check, description, constrained=True)


def fixed_size_derivation(n: int, claim) -> Derivation:
    """hess E at size n, written out: Gaussian covariance, then the claimed map of A."""
    A, _, _, _ = _symbols(n)
    M = A + GAMMA * sympy.eye(n)
    start = ImmutableMatrix(GAMMA * sympy.eye(n) - GAMMA ** 2 * M.inv())
    P, Q = apply_map(claim.curvature_map, A, GAMMA)
    return Derivation(
        f"hess E for a quadratic, n = {n}, symbolic entries ({CONVENTION})",
        start,
        [Step(ImmutableMatrix(GAMMA * A * M.inv()),
              _matrix_lemma("gamma I - gamma^2 M^{-1} = gamma A M^{-1}",
                            "M - gamma I = A with M = A + gamma I")),
         Step(ImmutableMatrix(P * Q.inv()),
              _matrix_lemma("the claimed curvature map applied to A",
                            "phi(A) = P(A) Q(A)^{-1} for phi = P/Q"))],
        general=False,
    )
