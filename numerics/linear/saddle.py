"""Kernels of the degenerate-saddle and Hessian-form checks (MATH.md 6).

The deep loss evaluated from the data itself (not from the second moments that
:mod:`numerics.linear.deep` uses), Hessian bilinear forms by a four-point central
difference of that loss, random unit directions over all layers, and the aligned
direction along which the origin's saddle is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from numerics.finite_differences import FD_STEP
from numerics.linalg import rank_cut_svd
from numerics.linear.data import _data
from numerics.linear.deep import end_to_end
from numerics.validation import check_positive_int

__all__ = ["data_loss", "fd_hessian_forms", "unit_directions", "hessian_forms",
           "aligned_directions", "zero_network", "shallow_origin_spectrum"]


def data_loss(weights: Sequence[np.ndarray], X: object, Y: object) -> np.ndarray:
    """(1/2) ||W_L ... W_1 X - Y||_F^2 from the data, per stacked network.

    The definition, not the covariance kernel of :func:`deep_loss_and_gradient`, so a
    check comparing the two ties the kernel to the loss.

    >>> X, Y = np.eye(2), np.zeros((1, 2))
    >>> data_loss([np.ones((1, 1, 2))], X, Y).tolist()
    [1.0]
    """
    X, Y = _data(X, Y)
    R = np.matmul(end_to_end(weights), X) - Y
    return 0.5 * np.sum(R * R, axis=(1, 2))


def fd_hessian_forms(point: Sequence[np.ndarray], D: Sequence[np.ndarray],
                     E: Sequence[np.ndarray], X: object, Y: object,
                     h: float = FD_STEP) -> np.ndarray:
    """Hessian bilinear forms D^T H E of the deep loss at ``point``, by central differences.

    (L(p + hD + hE) - L(p + hD - hE) - L(p - hD + hE) + L(p - hD - hE)) / (4 h^2), with L
    evaluated from the data (:func:`data_loss`); every term odd in D or in E cancels.

    Parameters
    ----------
    point : sequence of ndarray
        Layers W_1, ..., W_L, each of shape (1, d_out, d_in).
    D, E : sequence of ndarray
        Direction pairs, layers of shape (K, d_out, d_in).
    X, Y : ndarray
        Data, one sample per column.
    h : float
        Step.

    Returns
    -------
    ndarray, shape (K,)

    >>> X, Y = np.eye(2), np.zeros((1, 2))
    >>> D = [np.array([[[1.0, 0.0]]])]
    >>> np.round(fd_hessian_forms([np.zeros((1, 1, 2))], D, D, X, Y), 8).tolist()
    [1.0]
    """
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h: expected a positive step, got {h!r}")
    if not len(point) == len(D) == len(E):
        raise ValueError(f"point, D and E: expected as many layers, got {len(point)}, "
                         f"{len(D)} and {len(E)}")
    signs = ((1, 1), (1, -1), (-1, 1), (-1, -1))
    ws = [np.concatenate([w + h * (a * d + b * e) for a, b in signs])
          for w, d, e in zip(point, D, E, strict=True)]
    f = data_loss(ws, X, Y).reshape(4, -1)
    return (f[0] - f[1] - f[2] + f[3]) / (4 * h * h)


def unit_directions(rng: np.random.Generator, dims: Sequence[int], count: int
                    ) -> list[np.ndarray]:
    """``count`` Gaussian directions over all layers d_0 -> d_1 -> ..., of unit total norm.

    >>> D = unit_directions(np.random.default_rng(0), [3, 2, 1], 4)
    >>> [d.shape for d in D]
    [(4, 2, 3), (4, 1, 2)]
    """
    count = check_positive_int(count, "count")
    dims = [check_positive_int(d, "dims") for d in dims]
    D = [rng.standard_normal((count, o, i)) for i, o in zip(dims[:-1], dims[1:], strict=True)]
    norm = np.sqrt(sum(np.sum(d * d, axis=(1, 2)) for d in D))
    return [d / norm[:, None, None] for d in D]


def hessian_forms(hessian: np.ndarray, D: Sequence[np.ndarray], E: Sequence[np.ndarray]
                  ) -> np.ndarray:
    """The bilinear forms vec(D_k)^T H vec(E_k) of an analytic Hessian, k = 1..K.

    Parameters
    ----------
    hessian : ndarray, shape (P, P)
        In the variables (vec W_1, ..., vec W_L), row-major (as :func:`deep_hessian`).
    D, E : sequence of ndarray
        Direction pairs, layers of shape (K, d_out, d_in).

    >>> D = [np.ones((1, 1, 2))]
    >>> hessian_forms(np.eye(2), D, D).tolist()
    [2.0]
    """
    count = D[0].shape[0]
    flat_d = np.concatenate([d.reshape(count, -1) for d in D], axis=1)
    flat_e = np.concatenate([e.reshape(count, -1) for e in E], axis=1)
    if hessian.shape != (flat_d.shape[1], flat_d.shape[1]):
        raise ValueError(f"hessian: expected shape {(flat_d.shape[1],) * 2}, got "
                         f"{hessian.shape}")
    return np.einsum("ki,ij,kj->k", flat_d, hessian, flat_e)


def zero_network(dims: Sequence[int]) -> list[np.ndarray]:
    """The network W = 0 with layers d_0 -> d_1 -> ..., each with a leading axis of 1."""
    return [np.zeros((1, o, i)) for i, o in zip(dims[:-1], dims[1:], strict=True)]


def aligned_directions(X: object, Y: object, widths: Sequence[int]
                       ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Directions D_1 = e a^T, D_l = e e^T, D_L = b e^T with (a, b) the top pair of Y X^T.

    Built from the SVD of Y X^T, not with the projection networks of
    :func:`deep_critical_point` (which use the eigenvectors of Sigma), so the decrease
    check does not reuse that kernel's layout.  D_L ... D_1 = b a^T.

    Returns
    -------
    directions : list of ndarray (no leading axis)
    singular_values : ndarray
        Of Y X^T, decreasing.
    a : ndarray
        The top right singular vector.

    >>> X, Y = np.eye(2), np.array([[3.0, 0.0]])
    >>> ws, s, a = aligned_directions(X, Y, [2])
    >>> float(s[0]), [w.shape for w in ws]
    (3.0, [(2, 2), (1, 2)])
    """
    X, Y = _data(X, Y)
    u, s, v, _ = rank_cut_svd(Y @ X.T)
    a, b = v[:, 0], u[:, 0]
    dims = [X.shape[0], *(check_positive_int(w, "widths") for w in widths), Y.shape[0]]
    ws = []
    for k in range(len(dims) - 1):
        d = np.zeros((dims[k + 1], dims[k]))
        if k == 0 and k == len(dims) - 2:
            d = np.outer(b, a)
        elif k == 0:
            d[0] = a
        elif k == len(dims) - 2:
            d[:, 0] = b
        else:
            d[0, 0] = 1.0
        ws.append(d)
    return ws, s, a


def shallow_origin_spectrum(singular_values: np.ndarray, width: int, size: int) -> np.ndarray:
    """Eigenvalues (increasing) of the Hessian at W = 0 of a one-hidden-layer network:
    +-sigma_i(Y X^T), each with multiplicity ``width`` (d_1), padded with zeros to ``size``.

    >>> shallow_origin_spectrum(np.array([2.0, 1.0]), 1, 6).tolist()
    [-2.0, -1.0, 0.0, 0.0, 1.0, 2.0]
    """
    width = check_positive_int(width, "width")
    sig = np.asarray(singular_values, dtype=float)
    if size < 2 * width * sig.size:
        raise ValueError(f"size: expected at least {2 * width * sig.size}, got {size}")
    return np.sort(np.concatenate([np.repeat(sig, width), -np.repeat(sig, width),
                                   np.zeros(size - 2 * width * sig.size)]))
