"""The two-layer network of Baldi and Hornik: E(A, B) = ||Y - A B X||_F^2 (no 1/2), its
gradient and Hessian, every class of critical points, a search for critical points that
does not use the theory, and the classification of Hessians by their spectra (MATH.md 5).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from numerics.instances import geometric_spectrum, haar_orthogonal
from numerics.linear.data import (
    Covariances,
    _check_p,
    covariances,
    principal_decomposition,
)
from numerics.linear.deep import deep_hessian, deep_loss_and_gradient
from numerics.validation import check_positive_int

__all__ = ["two_layer_loss", "two_layer_gradient", "two_layer_hessian", "CriticalPoints",
           "critical_points", "find_critical_points", "match_classes", "HessianSpectra",
           "hessian_spectra"]

# -- two-layer network (Baldi and Hornik) ------------------------------------------------


def _stack(name: str, value: object, ndim_single: int = 2) -> tuple[np.ndarray, bool]:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == ndim_single:
        return arr[None], True
    if arr.ndim != ndim_single + 1:
        raise ValueError(f"{name}: expected a matrix or a stack of matrices, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    return arr, False


def _two_layer_args(A: object, B: object, cov: Covariances):
    A, single = _stack("A", A)
    B, _ = _stack("B", B)
    if A.shape[1] != cov.dy or B.shape[2] != cov.dx or A.shape[2] != B.shape[1]:
        raise ValueError(
            f"A and B: mismatched shapes {A.shape[1:]} and {B.shape[1:]} (expected A d_y x p "
            f"and B p x d_x with d_y = {cov.dy}, d_x = {cov.dx})"
        )
    if A.shape[0] != B.shape[0]:
        raise ValueError(f"A and B: stacks of different lengths {A.shape[0]} and {B.shape[0]}")
    return A, B, single


def _cov_of(X: object, Y: object, cov: Covariances | None) -> Covariances:
    return covariances(X, Y, invertible=False) if cov is None else cov


def two_layer_loss(A: object, B: object, X: object = None, Y: object = None, *,
                   cov: Covariances | None = None) -> np.ndarray | float:
    """E(A, B) = ||Y - A B X||_F^2, for one pair or a stack (leading axis)."""
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    losses = 2 * deep_loss_and_gradient([B, A], cov)[0]
    return float(losses[0]) if single else losses


def two_layer_gradient(A: object, B: object, X: object = None, Y: object = None, *,
                       cov: Covariances | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(dE/dA, dE/dB) = (2 R B^T, 2 A^T R) with R = A B Sigma_XX - Sigma_YX."""
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    _, (gB, gA) = deep_loss_and_gradient([B, A], cov)
    if single:
        return 2 * gA[0], 2 * gB[0]
    return 2 * gA, 2 * gB


def two_layer_hessian(A: object, B: object, X: object = None, Y: object = None, *,
                      cov: Covariances | None = None) -> np.ndarray:
    """Analytic Hessian of E(A, B) in the variables (vec A, vec B), row-major.

    For the direction (dA, dB) the quadratic form is
    2 ||(dA B + A dB) X||_F^2 + 4 <A B Sigma_XX - Sigma_YX, dA dB>.

    Returns
    -------
    ndarray, shape (D, D) or (K, D, D), D = d_y p + p d_x
    """
    cov = _cov_of(X, Y, cov)
    A, B, single = _two_layer_args(A, B, cov)
    H = deep_hessian([B, A], cov)
    # deep_hessian orders the variables (vec W_1, vec W_2) = (vec B, vec A); reorder.
    nb = B.shape[1] * B.shape[2]
    perm = np.r_[nb:H.shape[1], 0:nb]
    H = 2 * H[:, perm][:, :, perm]
    return H[0] if single else H


# -- critical points of the two-layer network ----------------------------------------------


@dataclass
class CriticalPoints:
    """One representative of every class of critical points of E(A, B).

    Attributes
    ----------
    A : ndarray, shape (K, d_y, p)
    B : ndarray, shape (K, p, d_x)
    index_sets : list of tuple of int
        The 0-based index set J of each point (|J| = rank A <= p).
    rank : ndarray of int, shape (K,)
    loss : ndarray, shape (K,)
        E(A, B) computed from the matrices.
    predicted : ndarray, shape (K,)
        tr Sigma_YY - sum_{i in J} lambda_i (MATH 5).
    is_global : ndarray of bool, shape (K,)
        J = {0, ..., p-1}, the top-p class.
    eigenvalues : ndarray, shape (d_y,)
        lambda_1 > ... > lambda_{d_y} of Sigma.
    """

    A: np.ndarray
    B: np.ndarray
    index_sets: list[tuple[int, ...]]
    rank: np.ndarray
    loss: np.ndarray
    predicted: np.ndarray
    is_global: np.ndarray
    eigenvalues: np.ndarray


def critical_points(X: object, Y: object, p: int, *,
                    gauge: np.random.Generator | None = None,
                    min_rank: int = 0) -> CriticalPoints:
    """Every class of critical points of E(A, B) = ||Y - A B X||_F^2, A d_y x p, B p x d_x.

    Under the hypotheses (Sigma_XX invertible, Sigma with distinct positive
    eigenvalues), the critical points are exactly A = [U_J, 0] C,
    B = C^{-1} [U_J^T Sigma_YX Sigma_XX^{-1}; Z] for an index set J with |J| <= p,
    any invertible C and a kernel part Z with Z Sigma_XY U_{J^c} = 0.  Each class
    is represented by C = I (or a random well-conditioned C with ``gauge``) and Z = 0:
    there are sum_{r <= p} binom(d_y, r) classes, the rank-deficient ones (|J| < p)
    included.

    Parameters
    ----------
    X, Y : array_like
        Data, one sample per column (d_x x N and d_y x N).
    p : int
        Hidden width, 1 <= p <= min(d_x, d_y).
    gauge : numpy.random.Generator, optional
        When given, each representative is moved along its GL(p) orbit by a random
        C with condition number 4, (A, B) -> (A C, C^{-1} B).
    min_rank : int
        Only classes with |J| >= min_rank (p gives the full-rank ones).

    Raises
    ------
    ValueError
        Naming the hypothesis that fails (shapes, Sigma_XX singular, repeated
        eigenvalues, p too large).
    """
    lam, U, cov = principal_decomposition(X, Y)
    p = _check_p(p, cov.dx, cov.dy)
    dy, dx = cov.dy, cov.dx
    # rows U^T Sigma_YX Sigma_XX^{-1}: solve against the symmetric Sigma_XX
    rows = np.linalg.solve(cov.sxx, cov.syx.T @ U).T  # (d_y, d_x): row i is u_i^T S_YX S_XX^-1
    sets = [J for r in range(min_rank, p + 1) for J in itertools.combinations(range(dy), r)]
    K = len(sets)
    A = np.zeros((K, dy, p))
    B = np.zeros((K, p, dx))
    for k, J in enumerate(sets):
        r = len(J)
        A[k, :, :r] = U[:, J]
        B[k, :r, :] = rows[list(J)]
    if gauge is not None:
        C = np.stack([(haar_orthogonal(p, gauge) * geometric_spectrum(p, 4.0))
                      @ haar_orthogonal(p, gauge).T for _ in range(K)])
        A = np.matmul(A, C)
        B = np.linalg.solve(C, B)
    loss = two_layer_loss(A, B, cov=cov)
    predicted = np.array([cov.trace_yy - float(np.sum(lam[list(J)])) for J in sets])
    is_global = np.array([J == tuple(range(p)) for J in sets])
    rank = np.array([len(J) for J in sets])
    return CriticalPoints(A, B, sets, rank, loss, predicted, is_global, lam)


def find_critical_points(X: object, Y: object, p: int, starts: int,
                         rng: np.random.Generator, iterations: int = 300
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Critical points of E(A, B) reached from random starts, without using the theory.

    Levenberg-Marquardt on the gradient: each run minimizes ||grad E||^2 with steps
    -(H^2 + mu I)^{-1} H g (H the analytic Hessian), mu adapted per run.  Saddles and
    minima are equally attractive to it, so it samples every kind of critical point;
    runs that stall at a non-critical point are reported by their gradient norm.

    Returns
    -------
    A : ndarray, shape (starts, d_y, p)
    B : ndarray, shape (starts, p, d_x)
    grad_norm : ndarray, shape (starts,)
        ||grad E|| / ||Sigma_YX||_F at the end of each run.
    """
    cov = covariances(X, Y)
    p = _check_p(p, cov.dx, cov.dy)
    starts = check_positive_int(starts, "starts")
    iterations = check_positive_int(iterations, "iterations")
    dy, dx = cov.dy, cov.dx
    na = dy * p

    def grad_hess(theta):
        A = theta[:, :na].reshape(-1, dy, p)
        B = theta[:, na:].reshape(-1, p, dx)
        gA, gB = two_layer_gradient(A, B, cov=cov)
        g = np.concatenate([gA.reshape(len(theta), -1), gB.reshape(len(theta), -1)], 1)
        return g, two_layer_hessian(A, B, cov=cov)

    theta = rng.standard_normal((starts, na + p * dx))
    D = theta.shape[1]
    mu = np.ones(starts)
    g, Hs = grad_hess(theta)
    f = np.sum(g * g, axis=1)
    eye = np.eye(D)
    for _ in range(iterations):
        system = np.matmul(Hs, Hs) + mu[:, None, None] * eye
        trial = theta - np.linalg.solve(system, np.matmul(Hs, g[:, :, None]))[:, :, 0]
        g2, H2 = grad_hess(trial)
        f2 = np.sum(g2 * g2, axis=1)
        acc = f2 < f
        theta = np.where(acc[:, None], trial, theta)
        g = np.where(acc[:, None], g2, g)
        Hs = np.where(acc[:, None, None], H2, Hs)
        f = np.where(acc, f2, f)
        mu = np.clip(np.where(acc, mu / 3, mu * 4), 1e-12, 1e12)
    A = theta[:, :na].reshape(-1, dy, p)
    B = theta[:, na:].reshape(-1, p, dx)
    return A, B, np.sqrt(f) / np.linalg.norm(cov.syx)


def match_classes(A: object, B: object, X: object, Y: object, rank_rtol: float = 1e-6
                  ) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """The class J of each (A, B) and how far its product is from U_J U_J^T Sigma_YX Sigma_XX^{-1}.

    From W = A B, P = W Sigma_XY Sigma^{-1} is the candidate projection; J collects the
    eigenvectors u_i with ||P u_i|| > 1/2.  A point lies in class J when the returned
    distance ||W - U_J U_J^T Sigma_YX Sigma_XX^{-1}|| / ||Sigma_YX Sigma_XX^{-1}|| is at
    round-off level (then rank(W) = |J|; the rank of A itself is not gauge invariant:
    (A C, C^{-1} B) is the same point of the class for every invertible C).

    Returns
    -------
    index_sets : list of tuple of int
    distance : ndarray, shape (K,)
    rank : ndarray of int, shape (K,)
        Numerical rank of W = A B (singular values above rank_rtol ||Sigma_YX Sigma_XX^-1||).
    """
    lam, U, cov = principal_decomposition(X, Y)
    A, _, single = _two_layer_args(A, B, cov)
    B = _stack("B", B)[0]
    W = np.matmul(A, B)
    M = np.linalg.solve(cov.sxx, cov.syx.T).T  # Sigma_YX Sigma_XX^{-1}
    P = np.matmul(W, cov.syx.T) @ ((U / lam) @ U.T)
    weight = np.linalg.norm(np.matmul(P, U), axis=1)
    sets, dist = [], []
    for k in range(W.shape[0]):
        J = tuple(int(j) for j in np.flatnonzero(weight[k] > 0.5))
        UJ = U[:, list(J)]
        sets.append(J)
        dist.append(np.linalg.norm(W[k] - UJ @ (UJ.T @ M)) / np.linalg.norm(M))
    s = np.linalg.svd(W, compute_uv=False)
    rank = np.sum(s > rank_rtol * np.linalg.norm(M, 2), axis=1)
    return sets, np.array(dist), rank


@dataclass
class HessianSpectra:
    """Eigenvalues of a stack of Hessians and what they say.

    Attributes
    ----------
    eigenvalues : ndarray, shape (K, D)
        Increasing, per Hessian.
    scale : ndarray, shape (K,)
        max |eigenvalue| (the reference of the relative tolerance).
    rtol : float
        An eigenvalue with |mu| <= rtol * scale counts as zero.
    min_eigenvalue : ndarray, shape (K,)
    zero_count : ndarray of int, shape (K,)
    psd : ndarray of bool
        min eigenvalue >= -rtol * scale.
    strictly_negative : ndarray of bool
        min eigenvalue < -rtol * scale.
    """

    eigenvalues: np.ndarray
    scale: np.ndarray
    rtol: float
    min_eigenvalue: np.ndarray
    zero_count: np.ndarray
    psd: np.ndarray
    strictly_negative: np.ndarray


def hessian_spectra(H: np.ndarray, rtol: float = 1e-9) -> HessianSpectra:
    """Classify a stack of symmetric Hessians by their spectra (relative tolerance ``rtol``)."""
    H = np.asarray(H, dtype=np.float64)
    if H.ndim == 2:
        H = H[None]
    if H.ndim != 3 or H.shape[1] != H.shape[2]:
        raise ValueError(f"H: expected a stack of square matrices, got shape {H.shape}")
    if not rtol > 0:
        raise ValueError(f"rtol: expected a positive number, got {rtol!r}")
    mu = np.linalg.eigvalsh((H + np.swapaxes(H, 1, 2)) / 2)
    scale = np.maximum(np.max(np.abs(mu), axis=1), np.finfo(float).tiny)
    tol = rtol * scale
    zero = np.sum(np.abs(mu) <= tol[:, None], axis=1)
    return HessianSpectra(mu, scale, rtol, mu[:, 0], zero, mu[:, 0] >= -tol, mu[:, 0] < -tol)
