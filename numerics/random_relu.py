"""Random Gaussian ReLU layers: closed-form kernels, angle maps, distances, Monte Carlo.

Conventions (MATH.md section 8): ``relu(z) = max(z, 0)``;
``phi_ab(z) = a min(z, 0) + b max(z, 0)``; ``theta(x, y) = arccos(x.y / (|x| |y|))``
in ``[0, pi]``; ``J_1(theta) = sin theta + (pi - theta) cos theta``.

* :func:`ab_kernel`, :func:`relu_kernel`, :func:`step_kernel`: the one-layer
  expectations over ``w ~ N(0, I_n)`` (no 1/n or He factor: the plain Gaussian
  integral; Cho and Saul's ``k_1`` is twice :func:`relu_kernel`).
* :func:`correlation_map`, :func:`angle_map`: He scaling (``W_ij ~ N(0, 2/m)``),
  where ``kappa(c) = (sqrt(1 - c^2) + (pi - arccos c) c) / pi``.
* :func:`expected_sq_distance`: ``E ||relu(W x) - relu(W y)||^2``, ``W_ij ~ N(0, 1/m)``.
* Monte Carlo estimators return ``(mean, standard_error)`` arrays.

Examples
--------
>>> import numpy as np
>>> x, y = np.array([1.0, 0.0]), np.array([0.0, 2.0])
>>> round(float(relu_kernel(x[None], y[None])[0, 0]), 6)   # |x||y| J_1(pi/2)/(2 pi) = 1/pi
0.31831
>>> float(correlation_map(0.0)) == 1 / np.pi
True
>>> round(float(expected_sq_distance(x, y)), 6)   # (1/2)*5 - 2*psi(pi/2) = 2.5 - 2/pi
1.86338
"""

from __future__ import annotations

import numbers

import mpmath
import numpy as np

from numerics.validation import check_positive_int

__all__ = ["quad_step_kernel", "J1", "psi", "distance_ratio", "angles", "ab_kernel", "relu_kernel",
           "step_kernel", "correlation_map", "angle_map", "angle_map_mp",
           "angle_iteration", "expected_sq_distance", "gaussian_rows",
           "mc_ab_kernel", "mc_ab_kernels", "mc_relu_gram", "mc_step_kernel", "mc_sq_distance",
           "mc_layer_correlation", "quad_ab_kernel", "deep_kernel", "mc_network_kernels"]


def _rows(name: str, value: object) -> np.ndarray:
    """``value`` as a finite float array of shape (p, n) (a 1-D vector is one row)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected an array of real numbers") from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name}: expected a non-empty 1-D or 2-D array, got shape "
                         f"{np.shape(value)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite entries, found NaN or infinity")
    return arr


def _nonzero_norms(name: str, arr: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(arr, axis=1)
    if np.any(norms == 0):
        raise ValueError(f"{name}: a zero vector has no angle (row "
                         f"{int(np.argmin(norms))} is zero)")
    return norms


def _pairs(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = _rows("x", x), _rows("y", y)
    if xs.shape != ys.shape:
        raise ValueError(f"x and y: mismatched shapes {xs.shape} and {ys.shape}")
    return xs, ys


def _angle_array(name: str, theta: object) -> np.ndarray:
    arr = np.asarray(theta, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > np.pi):
        raise ValueError(f"{name}: expected finite angles in [0, pi]")
    return arr


def J1(theta: object) -> np.ndarray:
    """``sin theta + (pi - theta) cos theta``, elementwise, for theta in [0, pi]."""
    t = _angle_array("theta", theta)
    return np.sin(t) + (np.pi - t) * np.cos(t)


def psi(theta: object) -> np.ndarray:
    """``(sin theta - theta cos theta) / pi``: increasing from 0 to 1 on [0, pi]."""
    t = _angle_array("theta", theta)
    return (np.sin(t) - t * np.cos(t)) / np.pi


def distance_ratio(theta: object) -> np.ndarray:
    """``rho(theta) = 1/2 - psi(theta) / (2 - 2 cos theta)`` for unit vectors, theta in (0, pi].

    Near 0 the quotient is evaluated by its series ``theta / (3 pi) - theta^3 / (90 pi)``
    (cancellation-free below 1e-3).
    """
    t = _angle_array("theta", theta)
    if np.any(t <= 0):
        raise ValueError("theta: expected angles in (0, pi] (rho is a limit at 0)")
    small = t < 1e-3
    ts = np.where(small, 1.0, t)
    exact = (np.sin(ts) - ts * np.cos(ts)) / (np.pi * (2 - 2 * np.cos(ts)))
    series = t / (3 * np.pi) - t**3 / (90 * np.pi)
    return 0.5 - np.where(small, series, exact)


def angles(x: object, y: object) -> np.ndarray:
    """The angles theta(x_i, y_i) between matching rows (or two vectors), in [0, pi]."""
    xs, ys = _pairs(x, y)
    cos = np.sum(xs * ys, axis=1) / (_nonzero_norms("x", xs) * _nonzero_norms("y", ys))
    return np.arccos(np.clip(cos, -1.0, 1.0))


def ab_kernel(x: object, y: object, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """``E[phi(w.x) phi(w.y)]`` for ``w ~ N(0, I_n)``, matching rows of x and y (MATH 8.1).

    ``(a - b)^2 |x||y| J_1(theta) / (2 pi) + a b x.y``, the same as MATH 8.1's
    ``((a-b)^2/(2 pi)) |x||y| sin theta + ((a^2 + b^2)/2 - (a-b)^2 theta/(2 pi)) x.y``.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.array([3.0, 0.0]), np.array([1.0, 1.0])
    >>> bool(np.isclose(ab_kernel(x, y, -1, 1)[0], 2 / np.pi * 3 * np.sqrt(2) * np.sqrt(0.5)
    ...                 + (1 - 2 * (np.pi / 4) / np.pi) * 3))
    True
    """
    xs, ys = _pairs(x, y)
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not np.isfinite(value):
            raise ValueError(f"{name}: expected a finite real number, got {value!r}")
    nx, ny = _nonzero_norms("x", xs), _nonzero_norms("y", ys)
    dot = np.sum(xs * ys, axis=1)
    t = np.arccos(np.clip(dot / (nx * ny), -1.0, 1.0))
    return (a - b) ** 2 * nx * ny * J1(t) / (2 * np.pi) + a * b * dot


def relu_kernel(X: object, Y: object = None) -> np.ndarray:
    """The matrix ``E[relu(w.x_i) relu(w.y_j)] = |x_i||y_j| J_1(theta_ij) / (2 pi)``.

    Parameters
    ----------
    X : array (p, n)
        Inputs as rows (a 1-D array is one input); nonzero rows.
    Y : array (q, n), optional
        Defaults to X.

    Returns
    -------
    ndarray (p, q)
    """
    xs = _rows("X", X)
    ys = xs if Y is None else _rows("Y", Y)
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(f"X and Y: mismatched dimensions {xs.shape[1]} and {ys.shape[1]}")
    nx, ny = _nonzero_norms("X", xs), _nonzero_norms("Y", ys)
    gram = xs @ ys.T
    outer = np.outer(nx, ny)
    t = np.arccos(np.clip(gram / outer, -1.0, 1.0))
    return outer * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi)


def step_kernel(x: object, y: object) -> np.ndarray:
    """``P(w.x > 0, w.y > 0) = (pi - theta) / (2 pi)`` for matching rows."""
    return (np.pi - angles(x, y)) / (2 * np.pi)


def quad_step_kernel(x: object, y: object) -> np.ndarray:
    """``P(w.x > 0, w.y > 0)``: the measure of {cos(phi) > 0, cos(phi - theta) > 0} / 2 pi
    by ``scipy.integrate.quad`` with the jumps as break points (not the closed form)."""
    from scipy.integrate import quad

    theta = np.atleast_1d(angles(x, y))
    out = np.empty(theta.shape)
    for k, t in enumerate(theta):
        jumps = [p for p in (t - np.pi / 2, t + np.pi / 2) if -np.pi / 2 < p < np.pi / 2]
        value, _ = quad(lambda phi, t=t: float(np.cos(phi - t) > 0), -np.pi / 2, np.pi / 2,
                        points=jumps or None, epsabs=1e-13, epsrel=1e-13, limit=200)
        out[k] = value / (2 * np.pi)
    return out


def _depth(depth: object) -> int:
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 0:
        raise ValueError(f"depth: expected an integer >= 0, got {depth!r}")
    return int(depth)


def correlation_map(c: object, depth: int = 1) -> np.ndarray:
    """``kappa(c) = (sqrt(1 - c^2) + (pi - arccos c) c) / pi`` iterated ``depth`` times.

    The infinite-width correlation of a He-scaled ReLU layer (MATH 8.2); elementwise
    on c in [-1, 1].

    Examples
    --------
    >>> import numpy as np
    >>> correlation_map(np.array([-1.0, 1.0])).tolist()
    [0.0, 1.0]
    """
    depth = _depth(depth)
    arr = np.asarray(c, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > 1):
        raise ValueError("c: expected finite correlations in [-1, 1]")
    for _ in range(depth):
        arr = (np.sqrt(np.maximum(1 - arr**2, 0.0)) + (np.pi - np.arccos(arr)) * arr) / np.pi
        arr = np.clip(arr, -1.0, 1.0)
    return arr


def angle_map(theta: object, depth: int = 1) -> np.ndarray:
    """``theta -> arccos kappa(cos theta)`` iterated ``depth`` times (float64)."""
    t = _angle_array("theta", theta)
    depth = _depth(depth)
    return np.arccos(correlation_map(np.cos(t), depth)) if depth else t


def angle_map_mp(theta: mpmath.mpf) -> mpmath.mpf:
    """One step of the angle map at the current mpmath precision."""
    c = mpmath.cos(theta)
    k = (mpmath.sqrt(1 - c * c) + (mpmath.pi - mpmath.acos(c)) * c) / mpmath.pi
    return mpmath.acos(k)


def angle_iteration(theta0: float, depths: object, dps: int = 40) -> dict[int, str]:
    """``theta_l`` for the requested depths l, iterating the angle map with ``dps`` digits.

    Returns a dict depth -> decimal string (30 significant digits).

    Examples
    --------
    >>> out = angle_iteration(1.5707963267948966, [1, 2], dps=30)
    >>> round(float(out[1]), 6)   # arccos(1/pi)
    1.24685
    """
    if not (isinstance(theta0, numbers.Real) and 0 < float(theta0) <= np.pi):
        raise ValueError(f"theta0: expected an angle in (0, pi], got {theta0!r}")
    wanted = sorted({_depth(d) for d in np.atleast_1d(depths).tolist()})
    dps = check_positive_int(dps, "dps")
    out: dict[int, str] = {}
    with mpmath.workdps(dps):
        t = mpmath.mpf(theta0)
        level = 0
        for d in wanted:
            while level < d:
                t = angle_map_mp(t)
                level += 1
            out[d] = mpmath.nstr(t, 30)
    return out


def expected_sq_distance(x: object, y: object) -> np.ndarray:
    """``E ||relu(W x) - relu(W y)||^2 = |x - y|^2 / 2 - |x||y| psi(theta)`` (MATH 8.3).

    For W with iid N(0, 1/m) entries, any width m; matching (nonzero) rows of x and y.
    Two vectors give a float, two arrays of rows an array.
    """
    xs, ys = _pairs(x, y)
    nx, ny = _nonzero_norms("x", xs), _nonzero_norms("y", ys)
    t = angles(xs, ys)
    out = 0.5 * np.sum((xs - ys) ** 2, axis=1) - nx * ny * psi(t)
    return float(out[0]) if np.ndim(x) == 1 and np.ndim(y) == 1 else out


def gaussian_rows(rng: np.random.Generator, samples: int, n: int) -> np.ndarray:
    """``samples`` iid N(0, I_n) draws as rows."""
    return rng.standard_normal((check_positive_int(samples, "samples"),
                                check_positive_int(n, "n")))


def _mean_se(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    count = values.shape[axis]
    if count < 2:
        raise ValueError("samples: expected at least 2 samples for a standard error")
    mean = values.mean(axis=axis)
    se = values.std(axis=axis, ddof=1) / np.sqrt(count)
    return mean, se


def _phi(z: np.ndarray, a: float, b: float) -> np.ndarray:
    return a * np.minimum(z, 0.0) + b * np.maximum(z, 0.0)


def mc_ab_kernel(x: object, y: object, a: float, b: float, samples: int,
                 rng: np.random.Generator, chunk: int = 50_000
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo mean and standard error of ``phi(w.x) phi(w.y)`` over ``w ~ N(0, I_n)``.

    One set of draws serves every pair (rows of x, y); sums and sums of squares are
    accumulated chunk by chunk, so memory stays at ``chunk x n``.
    """
    mean, se = mc_ab_kernels(x, y, [(a, b)], samples, rng, chunk)
    return mean[0], se[0]


def mc_ab_kernels(x: object, y: object, activations: object, samples: int,
                  rng: np.random.Generator, chunk: int = 50_000
                  ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`mc_ab_kernel` for several ``(a, b)`` at once, on the same draws of w.

    Returns means and standard errors of shape (len(activations), pairs).
    """
    xs, ys = _pairs(x, y)
    acts = [(float(a), float(b)) for a, b in activations]
    samples = check_positive_int(samples, "samples")
    if samples < 2:
        raise ValueError("samples: expected at least 2 samples for a standard error")
    chunk = check_positive_int(chunk, "chunk")
    total = np.zeros((len(acts), xs.shape[0]))
    square = np.zeros_like(total)
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        w = gaussian_rows(rng, size, xs.shape[1])
        u, v = w @ xs.T, w @ ys.T
        for k, (a, b) in enumerate(acts):
            f = _phi(u, a, b) * _phi(v, a, b)
            total[k] += f.sum(axis=0)
            square[k] += np.einsum("ij,ij->j", f, f)
        done += size
    mean = total / samples
    var = np.maximum(square / samples - mean**2, 0.0) * samples / (samples - 1)
    return mean, np.sqrt(var / samples)


def mc_relu_gram(X: object, samples: int, rng: np.random.Generator, chunk: int = 20_000
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo ReLU kernel matrix of the rows of X and its entrywise standard errors.

    ``H = relu(W X^T)`` for ``samples`` draws ``w ~ N(0, I_n)``; the mean is ``H^T H / S``
    and the second moment ``(H^2)^T (H^2) / S``, both dense matrix products (BLAS).
    """
    xs = _rows("X", X)
    samples = check_positive_int(samples, "samples")
    if samples < 2:
        raise ValueError("samples: expected at least 2 samples for a standard error")
    chunk = check_positive_int(chunk, "chunk")
    first = np.zeros((xs.shape[0], xs.shape[0]))
    second = np.zeros_like(first)
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        h = np.maximum(gaussian_rows(rng, size, xs.shape[1]) @ xs.T, 0.0)
        first += h.T @ h
        h2 = h * h
        second += h2.T @ h2
        done += size
    mean = first / samples
    var = np.maximum(second / samples - mean**2, 0.0) * samples / (samples - 1)
    return mean, np.sqrt(var / samples)


def mc_step_kernel(x: object, y: object, samples: int, rng: np.random.Generator
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo estimate of ``P(w.x > 0, w.y > 0)`` with its standard error."""
    xs, ys = _pairs(x, y)
    w = gaussian_rows(rng, samples, xs.shape[1])
    return _mean_se(((w @ xs.T) > 0) & ((w @ ys.T) > 0))


def mc_sq_distance(x: object, y: object, width: int, layers: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of ``||relu(W x) - relu(W y)||^2`` over ``layers`` draws
    of W (width x n, iid N(0, 1/width)), for matching rows of x and y."""
    xs, ys = _pairs(x, y)
    width = check_positive_int(width, "width")
    layers = check_positive_int(layers, "layers")
    w = rng.standard_normal((layers * width, xs.shape[1])) / np.sqrt(width)
    diff = np.maximum(w @ xs.T, 0.0) - np.maximum(w @ ys.T, 0.0)
    per_layer = (diff**2).reshape(layers, width, xs.shape[0]).sum(axis=1)
    return _mean_se(per_layer)


def mc_layer_correlation(x: object, y: object, width: int, layers: int,
                         rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Finite-width He-scaled layers h = relu(W z), W iid N(0, 2/width): statistics of
    the outputs of matching rows x_i, y_i over ``layers`` independent draws of W.

    Returns a dict with per-layer empirical correlations ``corr`` (layers x p) and the
    per-layer inner products ``xy``, ``xx``, ``yy`` (layers x p), whose expectations are
    exactly ``|x||y| kappa(c)``, ``|x|^2``, ``|y|^2``.
    """
    xs, ys = _pairs(x, y)
    width = check_positive_int(width, "width")
    layers = check_positive_int(layers, "layers")
    w = rng.standard_normal((layers * width, xs.shape[1])) * np.sqrt(2.0 / width)
    hx = np.maximum(w @ xs.T, 0.0).reshape(layers, width, -1)
    hy = np.maximum(w @ ys.T, 0.0).reshape(layers, width, -1)
    xy, xx, yy = (hx * hy).sum(1), (hx * hx).sum(1), (hy * hy).sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = xy / np.sqrt(xx * yy)
    return {"corr": corr, "xy": xy, "xx": xx, "yy": yy}


def quad_ab_kernel(x: object, y: object, a: float, b: float) -> np.ndarray:
    """``E[phi(w.x) phi(w.y)]`` by 2-D quadrature (``scipy.integrate.dblquad``), per pair.

    ``(u, v) = (w.x, w.y)`` is a centered Gaussian pair with covariance
    ``[[|x|^2, x.y], [x.y, |y|^2]]``; its density times ``phi(u) phi(v)`` is integrated
    over the four quadrants separately (the integrand is smooth on each), which uses
    neither the polar form nor the sign sectors of the symbolic derivation.
    """
    from scipy import integrate

    xs, ys = _pairs(x, y)
    nx, ny = _nonzero_norms("x", xs), _nonzero_norms("y", ys)
    out = np.empty(xs.shape[0])
    for k in range(xs.shape[0]):
        # scale to unit variances: phi is positively homogeneous, so the value scales by
        # |x||y|, and the quadrature sees a correlation matrix
        c = float(np.clip(xs[k] @ ys[k] / (nx[k] * ny[k]), -1, 1))
        if abs(c) > 1 - 1e-9:
            raise ValueError("x and y: (anti)parallel rows have a singular Gaussian pair; "
                             "use the one-dimensional formula")
        det = 1 - c * c
        norm = 1 / (2 * np.pi * np.sqrt(det))

        def f(v: float, u: float, c=c, det=det, norm=norm) -> float:
            dens = norm * np.exp(-(u * u - 2 * c * u * v + v * v) / (2 * det))
            pu = a * u if u < 0 else b * u
            pv = a * v if v < 0 else b * v
            return pu * pv * dens

        total = 0.0
        for ulo, uhi in ((-np.inf, 0.0), (0.0, np.inf)):
            for vlo, vhi in ((-np.inf, 0.0), (0.0, np.inf)):
                total += integrate.dblquad(f, ulo, uhi, vlo, vhi,
                                           epsabs=1e-12, epsrel=1e-10)[0]
        out[k] = nx[k] * ny[k] * total
    return out


def _variances(sigma_w2: float, sigma_b2: float) -> tuple[float, float]:
    for name, value in (("sigma_w2", sigma_w2), ("sigma_b2", sigma_b2)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name}: expected a finite variance >= 0, got {value!r}")
    if sigma_w2 == 0:
        raise ValueError("sigma_w2: expected a positive weight variance")
    return float(sigma_w2), float(sigma_b2)


def deep_kernel(X: object, depth: int, sigma_w2: float = 2.0, sigma_b2: float = 0.0,
                norm: float = 1 / (2 * np.pi)) -> np.ndarray:
    """The infinite-width NNGP kernel of a ReLU network (MATH 8.4), for rows of X.

    ``K^0 = sigma_w2 X X^T / n + sigma_b2`` and
    ``K^{l+1} = sigma_b2 + sigma_w2 sqrt(K^l_xx K^l_yy) J_1(theta^l) * norm``
    (``norm = 1/(2 pi)``); returns ``K^depth`` (the covariance of the pre-activations of
    layer ``depth + 1``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> bool(np.allclose(deep_kernel(X, 1), 2 * relu_kernel(X)))  # K^0 = X X^T here
    True
    """
    xs = _rows("X", X)
    _nonzero_norms("X", xs)
    depth = _depth(depth)
    sw, sb = _variances(sigma_w2, sigma_b2)
    k = sw * (xs @ xs.T) / xs.shape[1] + sb
    for _ in range(depth):
        d = np.sqrt(np.diag(k))
        outer = np.outer(d, d)
        t = np.arccos(np.clip(k / outer, -1.0, 1.0))
        k = sb + sw * outer * (np.sin(t) + (np.pi - t) * np.cos(t)) * norm
    return k


def mc_network_kernels(X: object, depth: int, width: int, networks: int,
                       rng: np.random.Generator, sigma_w2: float = 2.0,
                       sigma_b2: float = 0.0) -> np.ndarray:
    """Empirical kernels ``z^l(x_i) . z^l(x_j) / width`` of ``networks`` random ReLU
    networks, for the pre-activations of layers l = 1..depth + 1.

    Weights N(0, sigma_w2 / fan_in), biases N(0, sigma_b2). Returns an array of shape
    (networks, depth + 1, p, p); entry [s, l] estimates ``K^l`` of :func:`deep_kernel`.
    """
    xs = _rows("X", X)
    depth = _depth(depth)
    width = check_positive_int(width, "width")
    networks = check_positive_int(networks, "networks")
    sw, sb = _variances(sigma_w2, sigma_b2)
    p, n = xs.shape
    out = np.empty((networks, depth + 1, p, p))
    for s in range(networks):
        z = xs @ rng.standard_normal((n, width)) * np.sqrt(sw / n) \
            + rng.standard_normal(width) * np.sqrt(sb)
        out[s, 0] = z @ z.T / width
        for level in range(1, depth + 1):
            h = np.maximum(z, 0.0)
            z = h @ rng.standard_normal((width, width)) * np.sqrt(sw / width) \
                + rng.standard_normal(width) * np.sqrt(sb)
            out[s, level] = z @ z.T / width
    return out
