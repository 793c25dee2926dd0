"""Plausible but false claims about linear networks' critical points, each with its
correction (collected by :mod:`theorems.gallery`).

The numerics are plain NumPy on tiny instances (a deep linear network's exact
Hessian, on float arrays or on object arrays of SymPy integers), so that each
claim states exactly what it computes.

>>> [e.key for e in ENTRIES]
['critical_points_are_extrema', 'deep_saddles_are_strict']
"""

from __future__ import annotations

import numpy as np
import sympy
from hypothesis import assume
from hypothesis import strategies as st

import theorems.strategies as sdl
from numerics.linalg import spectral_norm
from theorems.claims import Claim
from theorems.claims.gallery_entry import GalleryEntry

__all__ = ["ENTRIES", "deep_linear_hessian", "deep_linear_loss"]

# -- deep linear networks, plain NumPy -------------------------------------------------


def _eye(size: int, like: np.ndarray) -> np.ndarray:
    if like.dtype == object:  # exact arithmetic: keep SymPy integers
        out = np.full((size, size), sympy.Integer(0), dtype=object)
        for q in range(size):
            out[q, q] = sympy.Integer(1)
        return out
    return np.eye(size)


def _chain(weights: list[np.ndarray], start: int, stop: int, size: int,
           like: np.ndarray) -> np.ndarray:
    """W_{stop-1} ... W_start (the identity of the given size when empty)."""
    out = _eye(size, like)
    for layer in range(start, stop):
        out = weights[layer] @ out
    return out


def deep_linear_loss(weights: list[np.ndarray], X_: np.ndarray, Y_: np.ndarray) -> float:
    """L(W) = (1/2) ||W_L ... W_1 X - Y||_F^2 (MATH 6), data one sample per column."""
    prod = X_
    for W in weights:
        prod = W @ prod
    res = prod - Y_
    return 0.5 * float(np.sum(res * res))


def deep_linear_hessian(weights: list[np.ndarray], X_: np.ndarray,
                        Y_: np.ndarray) -> np.ndarray:
    """The exact Hessian of L(W) = (1/2)||W_L ... W_1 X - Y||_F^2 in all entries of all W_l.

    With J_e the derivative of the end-to-end output along a unit entry e and
    R = W_L ... W_1 X - Y, H[e, f] = <J_e, J_f> + <R, second derivative along e, f>;
    the network is multilinear, so the second derivative vanishes within a layer
    and is a product with two unit matrices across layers.  Works on float arrays
    and on object arrays of SymPy numbers (exact).
    """
    L = len(weights)
    dims = [X_.shape[0]] + [W.shape[0] for W in weights]
    right = [_chain(weights, 0, layer, dims[0], X_) @ X_ for layer in range(L)]
    left = [_chain(weights, layer + 1, L, dims[layer + 1], X_) for layer in range(L)]
    res = _chain(weights, 0, L, dims[0], X_) @ X_ - Y_
    entries = [(layer, p, q) for layer in range(L) for p in range(dims[layer + 1])
               for q in range(dims[layer])]
    jac = [np.outer(left[layer][:, p], right[layer][q, :]) for layer, p, q in entries]
    size = len(entries)
    H = np.empty((size, size), dtype=X_.dtype)
    for e1, (l1, p1, q1) in enumerate(entries):
        for e2, (l2, p2, q2) in enumerate(entries):
            value = np.sum(jac[e1] * jac[e2])
            if l1 != l2:
                (lo, plo, qlo), (hi, phi, qhi) = sorted([(l1, p1, q1), (l2, p2, q2)])
                # W_L..W_{hi+1} E_hi W_{hi-1}..W_{lo+1} E_lo W_{lo-1}..W_1 X
                mid = _chain(weights, lo + 1, hi, dims[lo + 1], X_)
                second = np.outer(left[hi][:, phi], right[lo][qlo, :]) * mid[qhi, plo]
                value = value + np.sum(res * second)
            H[e1, e2] = value
    return H


def _zero_weights(widths: list[int], dx: int, dy: int, exact: bool = False) -> list[np.ndarray]:
    dims = [dx, *widths, dy]
    if exact:
        return [np.full((dims[q + 1], dims[q]), sympy.Integer(0), dtype=object)
                for q in range(len(dims) - 1)]
    return [np.zeros((dims[q + 1], dims[q])) for q in range(len(dims) - 1)]


def _exact(A: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda v: sympy.Integer(int(v)), otypes=[object])(A)


@st.composite
def _network_data(draw, depth: int):
    """(X, Y, widths): integer data with Y X^T != 0 and hidden widths 1..2."""
    dx, dy, samples = (draw(st.integers(1, 2)) for _ in range(3))
    X_ = draw(sdl.integer_matrices(rows=dx, cols=samples, bound=2))
    Y_ = draw(sdl.integer_matrices(rows=dy, cols=samples, bound=2))
    assume(np.any(Y_ @ X_.T != 0))  # otherwise the origin is a global minimum
    widths = [draw(st.integers(1, 2)) for _ in range(depth - 1)]
    return X_, Y_, widths


def _origin_hessian(data) -> np.ndarray:
    X_, Y_, widths = data
    return deep_linear_hessian(_zero_weights(widths, X_.shape[0], Y_.shape[0]), X_, Y_)


def _is_saddle_at_origin(data) -> bool:
    """A descent direction at the origin: t D_l with D_L ... D_1 = b a^T (top pair of Y X^T).

    L(t) - L(0) = -t^L sigma_1 + (t^(2L)/2) ||b a^T X||^2, negative for t^L = sigma_1 /
    ||b a^T X||^2, so the origin is not a local minimum (MATH 6).
    """
    X_, Y_, widths = data
    A_, s, Bt = np.linalg.svd(Y_ @ X_.T)
    dims = [X_.shape[0], *widths, Y_.shape[0]]
    direction = []
    for q in range(len(dims) - 1):
        D = np.zeros((dims[q + 1], dims[q]))
        if q == 0:
            D[0, :] = Bt[0]
        elif q == len(dims) - 2:
            D[:, 0] = A_[:, 0]
        else:
            D[0, 0] = 1.0
        direction.append(D)
    depth = len(direction)
    scale = (s[0] / np.sum((np.outer(A_[:, 0], Bt[0]) @ X_) ** 2)) ** (1.0 / depth)
    moved = deep_linear_loss([scale * D for D in direction], X_, Y_)
    return moved < 0.5 * float(np.sum(Y_ * Y_))  # L(0) = ||Y||^2 / 2


def _indefiniteness(data) -> float:
    """min(-lambda_min, lambda_max) of the Hessian: > 0 exactly when it is indefinite."""
    eig = np.linalg.eigvalsh(_origin_hessian(data))
    return float(min(-eig[0], eig[-1]))


def _min_eigenvalue_at_saddle(data) -> float:
    assume(_is_saddle_at_origin(data))
    return float(np.linalg.eigvalsh(_origin_hessian(data))[0])


def _exact_min_eigenvalue_at_saddle(data):
    X_, Y_, widths = data
    weights = _zero_weights(widths, X_.shape[0], Y_.shape[0], exact=True)
    H = sympy.Matrix(deep_linear_hessian(weights, _exact(X_), _exact(Y_)))
    value = sympy.Integer(0) if H.is_zero_matrix else min(H.eigenvals(), key=sympy.N)
    return value, sympy.Integer(0)


# -- the entries ------------------------------------------------------------------------


def _build() -> tuple[GalleryEntry, ...]:
    entries = []

    def add(key, claim, mistake, corrected, source):
        entries.append(GalleryEntry(key, claim, mistake, corrected, source))

    add("critical_points_are_extrema",
        Claim("gallery.critical_points_are_extrema", _indefiniteness, 0.0, "<=",
              given={"data": _network_data(2)},
              explanation="every critical point of a two-layer linear network is a local "
                          "minimum or a local maximum (its Hessian is semidefinite)"),
        "Baldi and Hornik: all critical points but the global minimum are saddles; the origin "
        "is critical with Hessian eigenvalues +-sigma_i(Y X^T), so it is neither.",
        Claim("gallery.critical_points_are_extrema.corrected",
              lambda data: float(np.linalg.eigvalsh(_origin_hessian(data))[0]),
              lambda data: -spectral_norm(data[1] @ data[0].T),
              given={"data": _network_data(2)},
              explanation="at the origin of a two-layer linear network the smallest Hessian "
                          "eigenvalue is -sigma_1(Y X^T): a strict saddle"),
        "MATH 5, 6")

    add("deep_saddles_are_strict",
        Claim("gallery.deep_saddles_are_strict", _min_eigenvalue_at_saddle, 0.0, "<",
              given={"data": _network_data(3)}, precise=_exact_min_eigenvalue_at_saddle,
              explanation="for a depth-3 linear network every saddle is strict (the Hessian "
                          "has a negative eigenvalue)"),
        "With two hidden layers the origin is a saddle (the loss falls like -t^3 sigma_1 along "
        "the top singular pair) whose Hessian is exactly zero: degenerate, not strict.",
        Claim("gallery.deep_saddles_are_strict.corrected",
              lambda data: float(np.max(np.abs(_origin_hessian(data)))), 0.0,
              given={"data": _network_data(3)},
              explanation="at the origin of a depth-3 linear network the Hessian vanishes"),
        "MATH 6 (Kawaguchi 2016)")
    return tuple(entries)


ENTRIES: tuple[GalleryEntry, ...] = _build()
