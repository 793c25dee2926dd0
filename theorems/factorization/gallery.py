"""Plausible but false claims about nuclear norms and the factorization certificate,
each with its correction (collected by :mod:`theorems.gallery`).

>>> [e.key for e in ENTRIES]
['nuclear_below_frobenius', 'nuclear_supermultiplicative', 'certificate_below_rank']
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import theorems.strategies as sdl
from numerics.linalg import nuclear_norm, rank_cut_svd, spectral_norm
from theorems.claims import Claim
from theorems.claims.gallery_entry import GalleryEntry

__all__ = ["ENTRIES"]

# -- nuclear norm and the certificate --------------------------------------------------


@st.composite
def _certificate_problems(draw):
    """(Y, lam, width): a small integer Y, a simple lam > 0 and a width 1..min(m, n)."""
    Y_ = draw(sdl.integer_matrices(max_side=3, bound=2))
    lam = draw(st.sampled_from([0.5, 1.0, 0.25, 2.0]))
    width = draw(st.integers(1, min(Y_.shape)))
    return Y_, lam, width


def _certificate_residual(problem, enough_width: bool = False) -> float:
    """||grad l(U V^T)||_2 = ||Y - U V^T||_2 at the width-r stationary point of
    (1/2)||Y - U V^T||_F^2 + lam sum_i ||u_i|| ||v_i||.

    U = A_r diag((s - lam)_+)^(1/2), V = B_r diag((s - lam)_+)^(1/2) from the top r
    singular pairs of Y: -(Y - U V^T) v_i + lam (||v_i|| / ||u_i||) u_i = 0 for every
    kept column (MATH 7), so the point is stationary.  With ``enough_width`` the width
    is raised to the number of singular values above lam (the rank of the optimum).
    """
    Y_, lam, width = problem
    A_, s, B_, _ = rank_cut_svd(Y_)
    if enough_width:
        width = max(width, int(np.sum(s > lam)))
    shrunk = np.sqrt(np.maximum(s[:width] - lam, 0.0))
    U_, V_ = A_[:, :width] * shrunk, B_[:, :width] * shrunk
    return spectral_norm(Y_ - U_ @ V_.T)


# -- the entries ------------------------------------------------------------------------


def _build() -> tuple[GalleryEntry, ...]:
    entries = []

    def add(key, claim, mistake, corrected, source):
        entries.append(GalleryEntry(key, claim, mistake, corrected, source))

    add("nuclear_below_frobenius",
        Claim("gallery.nuclear_below_frobenius", nuclear_norm, lambda M: float(np.linalg.norm(M)),
              "<=", given={"M": sdl.integer_matrices(max_side=3)},
              explanation="||M||_* <= ||M||_F"),
        "The inequality goes the other way: ||M||_F = ||sigma||_2 <= ||sigma||_1 = ||M||_*, "
        "with equality only for rank <= 1.",
        Claim("gallery.nuclear_below_frobenius.corrected", lambda M: float(np.linalg.norm(M)),
              nuclear_norm, "<=", given={"M": sdl.integer_matrices(max_side=3)},
              explanation="||M||_F <= ||M||_*"),
        "MATH conventions (norms)")

    add("nuclear_supermultiplicative",
        Claim("gallery.nuclear_supermultiplicative", lambda AB: nuclear_norm(AB[0] @ AB[1]),
              lambda AB: nuclear_norm(AB[0]) * nuclear_norm(AB[1]), ">=",
              given={"AB": sdl.integer_products(max_side=2)},
              explanation="||A B||_* >= ||A||_* ||B||_*"),
        "Norms of products are bounded above, not below: ||A B||_* <= ||A||_2 ||B||_*, and "
        "A B can vanish while A and B do not.",
        Claim("gallery.nuclear_supermultiplicative.corrected",
              lambda AB: nuclear_norm(AB[0] @ AB[1]),
              lambda AB: spectral_norm(AB[0]) * nuclear_norm(AB[1]),
              "<=", given={"AB": sdl.integer_products(max_side=2)},
              explanation="||A B||_* <= ||A||_2 ||B||_*"),
        "MATH 7 (duality of the nuclear and spectral norms)")
    add("certificate_below_rank",
        Claim("gallery.certificate_below_rank", _certificate_residual,
              lambda problem: problem[1], "<=", given={"problem": _certificate_problems()},
              explanation="the certificate ||grad l(U V^T)||_2 <= lambda holds at stationary "
                          "points of every width, also below rank(M*)"),
        "A stationary point whose width is below the optimum's rank stalls with "
        "||grad||_2 = sigma_(r+1)(Y) > lambda: the certificate correctly fails there.",
        Claim("gallery.certificate_below_rank.corrected",
              lambda problem: _certificate_residual(problem, enough_width=True),
              lambda problem: problem[1], "<=", given={"problem": _certificate_problems()},
              explanation="the certificate holds at the stationary point of width >= "
                          "rank(M*)"),
        "MATH 7")
    return tuple(entries)


ENTRIES: tuple[GalleryEntry, ...] = _build()
