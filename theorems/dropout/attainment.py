"""Attainment in MATH 3: an equalized factorization reaches c ||M||_*^2 (c = 1/d).

U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with Q an equalizing rotation has
sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d.  The key lemma (d - 1 Givens rotations
make diag(Q^T diag(s, 0) Q) constant) is an induction whose loop invariant is
checked with SymPy for a symbolic number k of rotations done and symbolic d
(block matrices of symbolic size); only min <= mean <= max, the order in which
coordinates are listed and the induction principle are in words.
"""

from __future__ import annotations

import sympy
from sympy import (
    BlockMatrix,
    Identity,
    IndexedBase,
    MatrixSymbol,
    Sum,
    ZeroMatrix,
    block_collapse,
    symbols,
)

from theorems.derivation import EXPAND, Derivation, Lemma, Step
from theorems.dropout.spectral import (
    NUCLEAR,
    SIZES,
    TRUE_CONSTANT,
    A,
    B,
    D,
    Q,
    a,
    b,
    i,
    k,
    m,
    n,
    r,
    s,
)
from theorems.symbolic.lemmas import equal_mod, orthonormal
from theorems.symbolic.sums import manifestly_nonnegative

__all__ = ["attainment_derivation", "product_derivation", "equalizing_invariant",
           "attained_regularizer", "equalized_product"]


# -- attainment: the equalized factorization -------------------------------------------------


def _fixed_width_counterexample(mu: sympy.Expr, T: sympy.Symbol) -> str:
    """A width d and ||M||_* = 1 at which d * mu != ||M||_* (for the refutation's detail)."""
    for dd in range(1, 11):
        value = sympy.simplify((D * mu).subs({D: dd, T: 1}))
        if value.is_finite and value != 1:
            return (f"at d = {dd}, r = 1, s_1 = 1: the d diagonal entries of Q^T diag(s, 0) Q "
                    f"sum to its trace 1 for every orthogonal Q, but d * mu = {value}")
    return "no small d found where d * mu != ||M||_*"


def _givens_block_step(mu: sympy.Expr) -> dict[str, bool]:
    """One Givens rotation applied to a matrix in the invariant's block form, symbolic sizes.

    Coordinates in the order (running, partner, k fixed, N further fresh ones), d = k + N + 2
    (a permutation similarity, which only relabels diagonal entries).  The invariant's form
    of P = Q_k^T diag(s, 0) Q_k: running entry x with an arbitrary row g against the fixed
    block H (diag H = mu), and the fresh coordinates (partner y, block Z) untouched, i.e.
    with zero rows against every other coordinate.  R rotates (running, partner) by
    c = sqrt(1 - t^2), t = sqrt(t^2), t^2 = (mu - y)/(x - y).
    """
    kk, nn = symbols("k N", integer=True, nonnegative=True)
    x, y, cc, tt = symbols("x y c t", real=True)
    g, H, Z = MatrixSymbol("g", kk, 1), MatrixSymbol("H", kk, kk), MatrixSymbol("Z", nn, nn)
    one = Identity(1)

    def zero(rows: sympy.Expr, cols: sympy.Expr) -> ZeroMatrix:
        return ZeroMatrix(rows, cols)

    P = BlockMatrix([[x * one, zero(1, 1), g.T, zero(1, nn)],
                     [zero(1, 1), y * one, zero(1, kk), zero(1, nn)],
                     [g, zero(kk, 1), H, zero(kk, nn)],
                     [zero(nn, 1), zero(nn, 1), zero(nn, kk), Z]])
    R = BlockMatrix([[cc * one, -tt * one, zero(1, kk), zero(1, nn)],
                     [tt * one, cc * one, zero(1, kk), zero(1, nn)],
                     [zero(kk, 1), zero(kk, 1), Identity(kk), zero(kk, nn)],
                     [zero(nn, 1), zero(nn, 1), zero(nn, kk), Identity(nn)]])
    t2 = (mu - y) / (x - y)
    angle = {cc: sympy.sqrt(1 - t2), tt: sympy.sqrt(t2)}

    def scalar(block: sympy.Expr) -> sympy.Expr:  # the entry of a 1 x 1 block
        return sympy.simplify(block.as_explicit()[0, 0].subs(angle))

    gram = block_collapse(R.T * R).blocks
    new = block_collapse(R.T * P * R).blocks
    return {
        "R^T R = I (c^2 + t^2 = 1)": all(
            (scalar(gram[p, q]) - (1 if p == q else 0)) == 0 for p in range(2) for q in range(2))
        and gram[2, 2] == Identity(kk) and gram[3, 3] == Identity(nn)
        and all(gram[p, q].is_ZeroMatrix for p in range(4) for q in range(4)
                if p != q and (p >= 2 or q >= 2)),
        "the partner's diagonal entry becomes mu": sympy.simplify(scalar(new[1, 1]) - mu) == 0,
        "the running entry becomes x + y - mu":
            sympy.simplify(scalar(new[0, 0]) - (x + y - mu)) == 0,
        "the fixed block H (diagonal mu) is unchanged": new[2, 2] == H,
        "the other fresh coordinates are untouched (block Z, zero rows)":
            new[3, 3] == Z and all(new[3, q].is_ZeroMatrix and new[q, 3].is_ZeroMatrix
                                   for q in range(3)),
    }


def equalizing_invariant(target: sympy.Expr, width_at_least_rank: bool = True,
                          ) -> tuple[bool | None, str]:
    """An orthogonal Q with (Q^T diag(s, 0) Q)_ii = target for every i, by induction.

    Loop invariant after k rotations (0 <= k <= d - 1), with P_k = Q_k^T diag(s, 0) Q_k:
    k fixed coordinates have diagonal entry mu; the running coordinate holds
    x_k = (its own entry + the k partners' entries) - k mu; the d - 1 - k fresh ones
    are untouched; and while k <= d - 2 a fresh partner y has mu between x_k and y.
    Checked with SymPy for symbolic k, N (d = k + N + 2) and ||M||_* = T; stated in
    words only: min <= mean <= max of finitely many numbers, the case x = y (then
    x = y = mu), relabelling coordinates, reading the step's weight as a diagonal entry
    of Q^T diag(s, 0) Q, and the induction principle itself.

    Returns
    -------
    (ok, detail)
        ok is False when the target contradicts tr(Q^T S Q) = tr S, None when a
        hypothesis is missing or an identity could not be checked, True otherwise.
    """
    T = sympy.Symbol("T", positive=True)  # ||M||_* = sum of the r nonzero singular values
    mu = sympy.sympify(target).xreplace({NUCLEAR: T})
    if not mu.free_symbols <= {T, D}:
        return None, f"the target {target} is not a function of ||M||_* and d alone"
    if not width_at_least_rank:
        if not (D - r).is_nonnegative:
            return None, ("cannot show d - r >= 0 without the hypothesis d >= rank(M): "
                          "diag(s) padded with zeros to length d does not exist otherwise")
    pad = sympy.Symbol("p", integer=True, nonnegative=True)
    facts: dict[str, bool] = {
        "hypothesis d >= r, i.e. d = r + p with p >= 0: diag(s) pads to length d":
            bool((D - r).subs(D, r + pad).is_nonnegative),
    }
    trace_ok = sympy.simplify(D * mu - T) == 0
    facts["trace: d mu = tr diag(s, 0) = ||M||_*"] = trace_ok
    kk, nn = symbols("k N", integer=True, nonnegative=True)
    mu_k = mu.subs(D, kk + nn + 2)  # during the loop d = k + N + 2 (a fresh partner remains)
    facts.update({f"Givens step, symbolic k, N: {name}": ok
                  for name, ok in _givens_block_step(mu_k).items()})
    x, y, done = symbols("x y P_k", real=True)  # done: sum of the processed original entries
    alpha, beta = symbols("alpha beta", nonnegative=True)
    t2 = (mu_k - y) / (x - y)
    # mu between x and y (x != y): x = mu + alpha, y = mu - beta, or x = mu - alpha, y = mu + beta
    for name, sub in (("x >= mu >= y", {x: mu_k + alpha, y: mu_k - beta}),
                      ("x <= mu <= y", {x: mu_k - alpha, y: mu_k + beta})):
        ratios = [sympy.fraction(sympy.cancel(v.subs(sub))) for v in (t2, 1 - t2)]
        shown = ", ".join(f"{num}/({den})" for num, den in ratios)
        # two ratios of non-negative terms that add up to 1 both lie in [0, 1]
        facts[f"t^2, 1 - t^2 = {shown} lie in [0, 1] when {name}, x != y"] = all(
            manifestly_nonnegative(part) for pair in ratios for part in pair)
    running = done - kk * mu_k
    facts["running entry after the step: x_k + y - mu = (P_k + y) - (k + 1) mu"] = \
        sympy.simplify(running + y - mu_k - ((done + y) - (kk + 1) * mu_k)) == 0
    fresh_mean = (T - done) / (nn + 1)  # the N + 1 fresh entries are original ones
    gap = sympy.simplify(fresh_mean - mu_k)
    facts["fresh mean - mu = (mu - x_k)/(N + 1): a partner on the other side of mu exists"] = \
        sympy.simplify(gap - (mu_k - running) / (nn + 1)) == 0
    # the sign: x_k = mu + alpha leaves a fresh mean <= mu, x_k = mu - alpha one >= mu
    facts["x_k >= mu gives fresh mean <= mu, x_k <= mu gives fresh mean >= mu"] = (
        manifestly_nonnegative(sympy.cancel(-gap.subs(done, mu_k + alpha + kk * mu_k)))
        and manifestly_nonnegative(sympy.cancel(gap.subs(done, mu_k - alpha + kk * mu_k))))
    facts["after d - 1 rotations the running entry T - (d - 1) mu equals mu"] = \
        sympy.simplify(T - (D - 1) * mu - mu) == 0
    lines = "; ".join(f"{name}: {'ok' if ok else 'FAILED'}" for name, ok in facts.items())
    summary = ("symbolic (SymPy; block matrices with k fixed and N further fresh "
               f"coordinates, d = k + N + 2, target mu = {mu} with T = ||M||_*): {lines}. "
               "In words only: min <= mean <= max of the fresh entries; x = y forces "
               "x = y = mu (no rotation needed); listing the coordinates in the order "
               "(running, partner, fixed, fresh); (Q^T diag(s, 0) Q)_ii = sum_{k <= r} "
               "s_k Q_ki^2; and induction from k = 0 (P_0 = diag(s, 0), x_0 = P_0, nothing "
               "fixed) to k = d - 1")
    if not trace_ok:
        return False, (f"{summary}. The target is false: "
                       f"{_fixed_width_counterexample(mu, T)}")
    if not all(facts.values()):
        return None, summary
    return True, summary


def _u(row_base: IndexedBase, row: sympy.Symbol) -> sympy.Expr:
    return Sum(row_base[row, k] * sympy.sqrt(s[k]) * Q[k, i], (k, 1, r))


def attained_regularizer() -> sympy.Expr:
    """sum_i ||u_i||^2 ||v_i||^2 at U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q."""
    return Sum(Sum(_u(A, a) ** 2, (a, 1, m)) * Sum(_u(B, b) ** 2, (b, 1, n)), (i, 1, D))


def equalized_product() -> sympy.Expr:
    """Entry (a, b) of U V^T at U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q."""
    return Sum(_u(A, a) * _u(B, b), (i, 1, D))


def attainment_derivation(constant: sympy.Expr = TRUE_CONSTANT,
                          target: sympy.Expr | None = None,
                          width_at_least_rank: bool = True) -> Derivation:
    """U = A diag(s)^{1/2} Q, V = B diag(s)^{1/2} Q with an equalizing Q reaches constant *
    ||M||_*^2 (true for constant = 1/d), symbolic m, n, r, d >= r (MATH 3, attainment).

    Parameters
    ----------
    constant : SymPy expression in :data:`D`, default 1/d
        The claimed c in sum_i ||u_i||^2 ||v_i||^2 = c ||M||_*^2.
    target : SymPy expression in ||M||_* and :data:`D`, default ||M||_*/d
        The claimed common value of the diagonal of Q^T diag(s, 0) Q.
    width_at_least_rank : bool, default True
        Whether the hypothesis d >= rank(M) is granted; without it the equalizing
        lemma cannot pad diag(s) to length d and leaves its step unproved.
    """
    cst = sympy.sympify(constant)
    mu = NUCLEAR / D if target is None else sympy.sympify(target)
    weight = Sum(s[k] * Q[k, i] ** 2, (k, 1, r))  # (Q^T diag(s, 0) Q)_ii
    start = attained_regularizer()
    f1 = Sum(weight**2, (i, 1, D))
    f2 = Sum(mu**2, (i, 1, D))

    def orth(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        return equal_mod(before, after, [lambda ex: orthonormal(ex, A, 0, m),
                                          lambda ex: orthonormal(ex, B, 0, n)])

    def equalize(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        if not before.has(weight) or after != before.xreplace({weight: mu}):
            return False, f"the step is not the substitution {weight} -> {mu}"
        return equalizing_invariant(mu, width_at_least_rank)

    return Derivation(
        "attainment: the equalized factorization has sum_i ||u_i||^2 ||v_i||^2 = c ||M||_*^2",
        start,
        [
            Step(f1, Lemma("orthonormal singular vectors", orth,
                           "||u_i||^2 = ||v_i||^2 = (Q^T diag(s) Q)_ii since A^T A = B^T B = I",
                           constrained=True)),
            Step(f2, Lemma("equalizing rotation (Schur-Horn, Givens)", equalize,
                           f"(Q^T diag(s, 0) Q)_ii = {mu} for every i"
                           + (", d >= r" if width_at_least_rank else "")
                           + ": loop invariant of d - 1 Givens rotations checked for "
                             "symbolic k and d", constrained=True)),
            Step(cst * NUCLEAR**2, EXPAND, note="d copies of (||M||_*/d)^2"),
        ],
        general=True,
        sizes=SIZES,
    )


def product_derivation() -> Derivation:
    """The equalized factorization is a factorization: sum_i u_i v_i^T = A diag(s) B^T."""

    def rows(before, after, relation):
        if relation != "=":
            return False, "an equality is claimed"
        return equal_mod(before, after, [lambda ex: orthonormal(ex, Q, 1, D)])

    return Derivation(
        "the equalized factorization multiplies back to M",
        equalized_product(),
        [Step(Sum(s[k] * A[a, k] * B[b, k], (k, 1, r)),
              Lemma("Q orthogonal", rows, "sum_i Q_ki Q_li = delta_kl (rows of Q orthonormal)",
                    constrained=True))],
        general=True,
        sizes=SIZES,
    )
