"""Descent on the smooth factorized objective, and what the checks measure at its end points.

The smooth form is F(U, V) = loss(U V^T) + (lam/2)(||U||_F^2 + ||V||_F^2)
(:func:`numerics.factorization.batched_objective`); its stationary points are
balanced stationary points of the product-of-norms objective.
"""

from __future__ import annotations

import numpy as np

from numerics import losses
from numerics.descent import batched_descent
from numerics.factorization._validation import check_lam
from numerics.factorization.problems import batched_objective
from numerics.finite_differences import central_jacobian
from numerics.linalg import spectral_norm
from numerics.validation import as_matrix, as_vector, check_positive_int

__all__ = ["descend", "smooth_value", "smooth_hessian", "gradient_norm", "shrinkage_point"]

# the monotone step rule stalls near |grad| ~ 1e-8 |Y|_2 (round-off of the loss);
# 3e-8 |Y|_2 gives ||grad loss||_2 to ~1e-7 relative
DESCENT_GRAD_TOL = 3e-8
HESSIAN_STEP = 1e-5  # relative step of the Hessian's central differences (see smooth_hessian)


def _pair(Y: np.ndarray, U: object, V: object) -> tuple[np.ndarray, np.ndarray]:
    U = as_matrix("U", U, rows=Y.shape[0])
    V = as_matrix("V", V, rows=Y.shape[1])
    if U.shape[1] != V.shape[1]:
        raise ValueError(f"U and V: widths differ, {U.shape} and {V.shape}")
    return U, V


def descend(Y: object, lam: float, width: int, starts: int, rng: np.random.Generator,
            loss: str = "squared", init: tuple[np.ndarray, np.ndarray] | None = None,
            iterations: int = 3000, delta: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Batched gradient descent on loss(U V^T) + (lam/2)(||U||_F^2 + ||V||_F^2).

    Parameters
    ----------
    Y : array_like, shape (m, n)
    lam : float
    width : int
        Columns r of U and V.
    starts : int
        Random starts (ignored when ``init`` is given).
    rng : numpy.random.Generator
        Draws the starts, scaled like the balanced factors of Y.
    loss : {"squared", "logistic", "huber"}
    init : (U, V) of shapes (B, m, r), (B, n, r), optional
    iterations : int
    delta : float
        Huber width.

    Returns
    -------
    U, V : ndarray, shapes (starts, m, width) and (starts, n, width)

    >>> U, V = descend(np.diag([3.0, 0.5]), 1.0, 1, 2, np.random.default_rng(0))
    >>> U.shape, round(float(np.linalg.norm(U[0] @ V[0].T - np.diag([2.0, 0.0]))), 6)
    ((2, 2, 1), 0.0)
    """
    Y = as_matrix("Y", Y)
    width = check_positive_int(width, "width")
    mm, nn = Y.shape
    if init is None:
        starts = check_positive_int(starts, "starts")
        scale = 0.5 * np.sqrt(np.linalg.norm(Y, 2) / width)
        init = (rng.standard_normal((starts, mm, width)) * scale / np.sqrt(mm),
                rng.standard_normal((starts, nn, width)) * scale / np.sqrt(nn))
    elif (np.shape(init[0])[1:] != (mm, width) or np.shape(init[1])[1:] != (nn, width)
          or len(init[0]) != len(init[1])):
        raise ValueError(f"init: expected shapes (B, {mm}, {width}) and (B, {nn}, {width})")
    res = batched_descent(batched_objective(Y, lam, loss, delta), list(init), step=0.1,
                          iterations=iterations,
                          grad_tol=DESCENT_GRAD_TOL * max(float(spectral_norm(Y)), 1.0))
    return res.params[0], res.params[1]


def smooth_value(Y: object, U: object, V: object, lam: float) -> float:
    """(1/2)||Y - U V^T||_F^2 + (lam/2)(||U||_F^2 + ||V||_F^2) (squared loss).

    >>> smooth_value(np.eye(1), np.ones((1, 1)), np.ones((1, 1)), 1.0)
    1.0
    """
    Y = as_matrix("Y", Y)
    U, V = _pair(Y, U, V)
    lam = check_lam(lam)
    return 0.5 * float(np.sum((Y - U @ V.T) ** 2)) + 0.5 * lam * float(
        np.sum(U * U) + np.sum(V * V))


def smooth_hessian(Y: object, U: object, V: object, lam: float,
                   loss: str = "squared", delta: float = 1.0) -> np.ndarray:
    """Hessian of the smooth objective in (vec U, vec V), by central differences of its
    exact gradient (:func:`numerics.finite_differences.central_jacobian`).

    All 2p perturbed points go through the batched objective at once, with the
    step h = 1e-5 max(1, max |entry|); for the squared loss the gradient is cubic,
    so the error is O(h^2) ~ 1e-10 relative.

    >>> H = smooth_hessian(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), 2.0)
    >>> np.round(H, 8).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    Y = as_matrix("Y", Y)
    U, V = _pair(Y, U, V)
    objective = batched_objective(Y, lam, losses.check_loss(loss), delta)
    mm, w = U.shape
    nn = V.shape[0]
    theta = np.concatenate([U.ravel(), V.ravel()])
    h = HESSIAN_STEP * max(1.0, float(np.max(np.abs(theta))))

    def gradient(points: np.ndarray) -> np.ndarray:
        _, (gu, gv) = objective([points[:, : mm * w].reshape(-1, mm, w),
                                 points[:, mm * w:].reshape(-1, nn, w)])
        return np.concatenate([gu.reshape(len(points), -1), gv.reshape(len(points), -1)],
                              axis=1)

    H = central_jacobian(gradient, theta, h)
    return 0.5 * (H + H.T)


def gradient_norm(Y: object, U: object, V: object, lam: float, loss: str = "squared",
                  delta: float = 1.0) -> float:
    """The Euclidean norm of the smooth objective's gradient at (U, V).

    >>> gradient_norm(np.zeros((1, 1)), np.ones((1, 1)), np.ones((1, 1)), 1.0)  # |(2, 2)|
    2.8284271247461903
    """
    Y = as_matrix("Y", Y)
    U, V = _pair(Y, U, V)
    _, (gu, gv) = batched_objective(Y, lam, loss, delta)([U[None], V[None]])
    return float(np.sqrt(np.sum(gu * gu) + np.sum(gv * gv)))


def shrinkage_point(A: object, s: object, B: object, lam: float,
                    keep: int) -> tuple[np.ndarray, np.ndarray]:
    """U = A_K diag(s_K - lam)^(1/2), V = B_K diag(s_K - lam)^(1/2), K the first ``keep``.

    With Y = A diag(s) B^T (orthonormal columns) and s_K > lam, G = U V^T - Y has
    G v_i = -lam u_i and G^T u_i = -lam v_i: a stationary point of the smooth
    form, whatever the rest of the spectrum.  ||G||_2 = max(lam, s_(keep+1)).

    >>> U, V = shrinkage_point(np.eye(2), np.array([3.0, 2.0]), np.eye(2), 1.0, 1)
    >>> np.round(U @ V.T, 12).tolist()
    [[2.0, 0.0], [0.0, 0.0]]
    """
    A = as_matrix("A", A)
    B = as_matrix("B", B)
    s = as_vector("s", s, size=A.shape[1])
    lam = check_lam(lam)
    keep = check_positive_int(keep, "keep")
    if keep > s.size or np.any(s[:keep] <= lam):
        raise ValueError(f"keep: expected at most {s.size} values above lam = {lam}, "
                         f"got keep = {keep}")
    root = np.sqrt(s[:keep] - lam)
    return A[:, :keep] * root, B[:, :keep] * root
