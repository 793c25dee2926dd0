"""Local entropy (Entropy-SGD) and its deep-relaxation form: closed forms and quadrature.

Convention (one for the whole family, MATH.md section 9): ``gamma`` is the
*coupling* (an inverse variance), as in Entropy-SGD.  The local-entropy *energy*

    E(x; gamma) = -F(x; gamma) = -log int exp(-f(y) - (gamma/2) ||x - y||^2) dy

is the quantity Entropy-SGD minimizes.  Under the tilted law
p_x(y) ~ exp(-f(y) - (gamma/2)||x - y||^2) with mean <y> and covariance Cov,

    grad E = gamma (x - <y>),     hess E = gamma I - gamma^2 Cov.

Deep relaxation uses a *time* t (a variance) instead: at beta = 1,
u(x, t) = -log (G_t * exp(-f))(x) = E(x; 1/t) + (n/2) log(2 pi t)  (MATH 9.1).

Kernels here: the closed form for quadratic f (one Cholesky), quadrature on a
grid in one and two dimensions (log-sum-exp, vectorized over many x), the heat
kernel form u(x, t), and an unadjusted Langevin estimate of <y> with standard
errors from independent chains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import linalg as sla

from numerics.validation import as_matrix, as_vector, check_positive_int

__all__ = ["check_gamma", "quadratic_local_entropy", "quadratic_tilted_moments",
           "GridQuadrature", "local_entropy_1d", "local_entropy_2d", "local_entropy",
           "heat_kernel_value_1d", "langevin_mean", "LOSSES", "Loss", "quadratic_loss",
           "ou_stationary_covariance", "ou_current_matrix", "sgd_discrete_covariance",
           "sgd_covariance_sample"]

LOG_2PI = float(np.log(2 * np.pi))
TAIL_LOG_MARGIN = 40.0  # grid ends must carry log-weight < max - 40 (tails below e^-40)


def check_gamma(gamma: object, name: str = "gamma") -> float:
    """A coupling gamma > 0 (finite); ValueError naming the argument otherwise."""
    try:
        value = float(gamma)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a positive real number, got {gamma!r}") from None
    if isinstance(gamma, bool) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name}: expected a coupling gamma > 0, got {gamma!r}")
    return value


def _points(x: object, n: int) -> tuple[np.ndarray, bool]:
    arr = np.asarray(x, dtype=float)
    single = arr.ndim == 1
    arr = np.atleast_2d(arr)
    if arr.ndim != 2 or arr.shape[1] != n or not np.all(np.isfinite(arr)):
        raise ValueError(f"x: expected finite points of dimension {n}, shape (n,) or (K, n), "
                         f"got shape {np.shape(x)}")
    return arr, single


def _coupled_cholesky(A: object, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    A = as_matrix("A", A)
    if A.shape[0] != A.shape[1] or not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"A: expected a symmetric square matrix, got shape {A.shape}")
    M = A + gamma * np.eye(A.shape[0])
    try:
        L = np.linalg.cholesky(M)
    except np.linalg.LinAlgError:
        lam = float(np.linalg.eigvalsh(A)[0])
        raise ValueError(
            f"A, gamma: the local-entropy integral diverges unless A + gamma I is positive "
            f"definite, i.e. gamma > -lambda_min(A) = {-lam:.6g}; got gamma = {gamma:.6g}"
        ) from None
    return A, L


def quadratic_local_entropy(A: object, b: object, x: object, gamma: object
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Closed form of E(x; gamma) = -F(x; gamma) for f(y) = y^T A y / 2 + b^T y.

    With M = A + gamma I > 0 and c = gamma x - b,
    E = (gamma/2)||x||^2 - c^T M^{-1} c / 2 + log det(M) / 2 - (n/2) log(2 pi),
    grad E = gamma (x - M^{-1} c).

    Parameters
    ----------
    A : array_like (n, n), symmetric (may be indefinite)
    b : array_like (n,)
    x : array_like (n,) or (K, n)
    gamma : float > 0, the coupling (Entropy-SGD convention)

    Returns
    -------
    value : ndarray (K,) (a 0-d array for one point)
    gradient : ndarray (K, n) (or (n,))

    Raises
    ------
    ValueError
        gamma <= 0, or A + gamma I not positive definite (the integral diverges).

    >>> v, g = quadratic_local_entropy([[2.0]], [0.0], [1.0], 1.0)
    >>> round(float(v), 6), round(float(g[0]), 6)   # a gamma/(a + gamma) = 2/3
    (-0.036299, 0.666667)
    """
    gamma = check_gamma(gamma)
    A, L = _coupled_cholesky(A, gamma)
    n = A.shape[0]
    b = as_vector("b", b, size=n)
    X, single = _points(x, n)
    C = gamma * X - b
    mean = sla.cho_solve((L, True), C.T).T
    logdet = 2.0 * float(np.sum(np.log(np.diag(L))))
    value = (0.5 * gamma * np.sum(X * X, axis=1) - 0.5 * np.sum(C * mean, axis=1)
             + 0.5 * logdet - 0.5 * n * LOG_2PI)
    grad = gamma * (X - mean)
    return (value[0], grad[0]) if single else (value, grad)


def quadratic_tilted_moments(A: object, b: object, x: object, gamma: object
                             ) -> tuple[np.ndarray, np.ndarray]:
    """Mean (K, n) and covariance (n, n) of p_x for f(y) = y^T A y / 2 + b^T y.

    p_x is Gaussian: mean (A + gamma I)^{-1} (gamma x - b), covariance (A + gamma I)^{-1}.

    >>> m, S = quadratic_tilted_moments([[1.0]], [0.0], [[2.0]], 3.0)
    >>> m.tolist(), S.tolist()
    ([[1.5]], [[0.25]])
    """
    gamma = check_gamma(gamma)
    A, L = _coupled_cholesky(A, gamma)
    n = A.shape[0]
    b = as_vector("b", b, size=n)
    X, _ = _points(x, n)
    mean = sla.cho_solve((L, True), (gamma * X - b).T).T
    cov = sla.cho_solve((L, True), np.eye(n))
    return mean, 0.5 * (cov + cov.T)


def quadratic_loss(A: object, b: object) -> Callable[[np.ndarray], np.ndarray]:
    """f(y) = y^T A y/2 + b^T y as a vectorized function: y of shape (P,) when n = 1,
    else (P, n).

    >>> quadratic_loss([[2.0]], [1.0])(np.array([0.0, 1.0])).tolist()
    [0.0, 2.0]
    """
    A = as_matrix("A", A)
    b = as_vector("b", b, size=A.shape[0])

    def f(y: np.ndarray) -> np.ndarray:
        Y = np.asarray(y, dtype=float).reshape(-1, A.shape[0])
        return 0.5 * np.einsum("pi,ij,pj->p", Y, A, Y) + Y @ b

    return f


class GridQuadrature:
    """Results of grid quadrature of the tilted law, one row per point x.

    Attributes
    ----------
    value : ndarray (K,)
        E(x; gamma) = -log int exp(-f(y) - gamma ||x - y||^2 / 2) dy.
    mean : ndarray (K, n)
        <y> under p_x.
    cov : ndarray (K, n, n)
        Cov(y) under p_x.
    error : float
        Estimated quadrature error of ``value``: the largest |E_h - E_2h| over the
        points (the same sum on every other grid point).  For smooth, fast-decaying
        integrands the trapezoid rule converges geometrically, so this bounds the
        error of E_h by a wide margin.
    """

    def __init__(self, value, mean, cov, error):
        self.value, self.mean, self.cov, self.error = value, mean, cov, float(error)


def _tilted_quadrature(logw: np.ndarray, Y: np.ndarray, cell: float, coarse: np.ndarray,
                       edge: np.ndarray) -> GridQuadrature:
    """Moments of the tilted law from log-weights ``logw`` (K, P) at grid points Y (P, n).

    ``coarse`` marks every other grid point (for the error estimate), ``edge`` the
    grid boundary, where the weights must be negligible.
    """
    top = logw.max(axis=1, keepdims=True)
    if not np.all(logw[:, edge] < top - TAIL_LOG_MARGIN):
        raise ValueError("grid: the tilted law has mass at the grid ends; widen the grid")
    w = np.exp(logw - top)
    z = w.sum(axis=1)
    value = -(np.log(z * cell) + top[:, 0])
    zc = w[:, coarse].sum(axis=1) * cell * (2 ** Y.shape[1])
    error = float(np.max(np.abs(np.log(zc) + top[:, 0] + value)))
    p = w / z[:, None]
    # moments about the heaviest grid point of each row (no cancellation in Var)
    shift = Y[np.argmax(logw, axis=1)]
    if Y.shape[1] == 1:
        d = Y[None, :, 0] - shift[:, :1]
        m1 = np.sum(p * d, axis=1)
        cov = (np.sum(p * d * d, axis=1) - m1 ** 2)[:, None, None]
        mean = (shift[:, 0] + m1)[:, None]
    else:
        d = Y[None, :, :] - shift[:, None, :]
        m1 = np.einsum("kp,kpi->ki", p, d)
        cov = np.einsum("kp,kpi,kpj->kij", p, d, d) - m1[:, :, None] * m1[:, None, :]
        mean = shift + m1
    return GridQuadrature(value, mean, cov, error)


def _grid_args(gamma, points, lo, hi):
    gamma = check_gamma(gamma)
    points = check_positive_int(points, "points")
    if points % 2 == 0 or not hi > lo:
        raise ValueError("points, lo, hi: expected an odd number of points and lo < hi")
    return gamma, points


def local_entropy_1d(f: Callable[[np.ndarray], np.ndarray], x: object, gamma: object, *,
                     lo: float = -12.0, hi: float = 12.0, points: int = 24_001
                     ) -> GridQuadrature:
    """E(x; gamma), <y> and Var(y) for a 1-D loss by the trapezoid rule (log-sum-exp).

    Parameters
    ----------
    f : callable, vectorized loss on an array of y
    x : array_like of shape (K,), the points
    gamma : float > 0 (coupling)
    lo, hi : float, the grid; points : int, odd (so the coarse grid is every other point)

    Raises ValueError when the tilted law is not negligible at the grid ends.

    >>> q = local_entropy_1d(lambda y: y ** 2, [0.5], 2.0)   # A = 2, the closed form
    >>> v, g = quadratic_local_entropy([[2.0]], [0.0], [0.5], 2.0)
    >>> bool(abs(q.value[0] - v) < 1e-10), bool(q.error < 1e-10)
    (True, True)
    """
    gamma, points = _grid_args(gamma, points, lo, hi)
    X = np.asarray(x, dtype=float).ravel()
    y = np.linspace(lo, hi, points)
    logw = -np.asarray(f(y), dtype=float)[None, :] - 0.5 * gamma * (X[:, None] - y) ** 2
    coarse = np.zeros(points, dtype=bool)
    coarse[::2] = True
    edge = np.zeros(points, dtype=bool)
    edge[[0, -1]] = True
    return _tilted_quadrature(logw, y[:, None], y[1] - y[0], coarse, edge)


def local_entropy_2d(f: Callable[[np.ndarray], np.ndarray], x: object, gamma: object, *,
                     lo: float = -10.0, hi: float = 10.0, points: int = 401) -> GridQuadrature:
    """E(x; gamma), <y> and Cov(y) for a 2-D loss by the tensor trapezoid rule.

    ``f`` takes an array (P, 2) of points; ``x`` is (K, 2).

    >>> A = np.array([[2.0, 0.5], [0.5, -0.4]])
    >>> q = local_entropy_2d(lambda Y: 0.5 * np.einsum("pi,ij,pj->p", Y, A, Y),
    ...                      [[0.3, -0.2]], 1.5)
    >>> v, _ = quadratic_local_entropy(A, [0.0, 0.0], [0.3, -0.2], 1.5)
    >>> bool(abs(q.value[0] - v) < 1e-10)
    True
    """
    gamma, points = _grid_args(gamma, points, lo, hi)
    X, _ = _points(x, 2)
    g = np.linspace(lo, hi, points)
    Y = np.stack(np.meshgrid(g, g, indexing="ij"), axis=-1).reshape(-1, 2)
    idx = np.arange(points)
    border = (idx == 0) | (idx == points - 1)
    edge = (border[:, None] | border[None, :]).ravel()
    coarse = ((idx[:, None] % 2 == 0) & (idx[None, :] % 2 == 0)).ravel()
    fy = np.asarray(f(Y), dtype=float)
    sq = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2)
    logw = -fy[None, :] - 0.5 * gamma * sq
    return _tilted_quadrature(logw, Y, (g[1] - g[0]) ** 2, coarse, edge)


def local_entropy(f: Callable[[np.ndarray], np.ndarray], x: object, gamma: object,
                  **grid: float) -> GridQuadrature:
    """E(x; gamma) = -F(x; gamma) by quadrature: a 1-D grid for x of shape (K,), a 2-D
    tensor grid for x of shape (K, 2).  (Higher dimensions: :func:`langevin_mean`
    samples <y>; the quadratic closed form is :func:`quadratic_local_entropy`.)

    >>> local_entropy(lambda y: 0.5 * y ** 2, [0.0], 1.0).value.round(6).tolist()
    [-0.572365]
    """
    arr = np.asarray(x, dtype=float)
    if arr.ndim <= 1:
        return local_entropy_1d(f, arr, gamma, **grid)
    if arr.ndim == 2 and arr.shape[1] == 2:
        return local_entropy_2d(f, arr, gamma, **grid)
    raise ValueError(f"x: quadrature is for 1-D (shape (K,)) or 2-D (shape (K, 2)) points, "
                     f"got shape {arr.shape}; use langevin_mean in higher dimensions")


def heat_kernel_value_1d(f: Callable[[np.ndarray], np.ndarray], x: object, t: object, *,
                         beta: float = 1.0, lo: float = -12.0, hi: float = 12.0,
                         points: int = 48_001) -> np.ndarray:
    """Deep relaxation's u(x, t) = -(1/beta) log (G_{t/beta} * exp(-beta f))(x), 1-D.

    G_s(z) = (2 pi s)^{-1/2} exp(-z^2/(2 s)) is the normalized heat kernel; here t is a
    time (variance), the opposite of the coupling gamma (MATH 9.1: at beta = 1,
    u(x, t) = E(x; 1/t) + log(2 pi t)/2).

    >>> u = heat_kernel_value_1d(lambda y: 0.5 * y ** 2, [0.0], 1.0)
    >>> round(float(u[0]), 6)   # log(1 + a t)/2 at a = t = 1 (MATH 9.5)
    0.346574
    """
    t = check_gamma(t, "t")
    beta = check_gamma(beta, "beta")
    _grid_args(1.0, points, lo, hi)
    X = np.asarray(x, dtype=float).ravel()
    y = np.linspace(lo, hi, points)
    s = t / beta
    logk = -0.5 * (X[:, None] - y) ** 2 / s - 0.5 * np.log(2 * np.pi * s)
    logw = logk - beta * np.asarray(f(y), dtype=float)[None, :]
    top = logw.max(axis=1, keepdims=True)
    if not np.all(logw[:, [0, -1]] < top - TAIL_LOG_MARGIN):
        raise ValueError("grid: the integrand has mass at the grid ends; widen the grid")
    z = np.exp(logw - top).sum(axis=1) * (y[1] - y[0])
    return -(np.log(z) + top[:, 0]) / beta


def langevin_mean(grad_f: Callable[[np.ndarray], np.ndarray], x: object, gamma: object, *,
                  step: float, steps: int, chains: int, rng: np.random.Generator
                  ) -> tuple[np.ndarray, np.ndarray]:
    """<y> under p_x by unadjusted Langevin dynamics, with a standard error.

    Runs ``chains`` independent chains y <- y - step (grad f(y) + gamma (y - x))
    + sqrt(2 step) N(0, I) from y = x for ``steps`` steps and averages their final
    states (independent draws, so the standard error is std / sqrt(chains)).  The
    chain's stationary law is p_x up to a bias O(step) (MATH 9.7); for a quadratic f
    the drift is linear and the stationary *mean* is exact (only the covariance is
    biased), so only the burn-in, a contraction (1 - step (a_min + gamma))^steps,
    remains.

    Parameters
    ----------
    grad_f : callable, (chains, n) -> (chains, n)
    x : array_like (n,)
    gamma : float > 0
    step : float > 0; steps, chains : int >= 1 (chains >= 2 for a standard error)
    rng : numpy Generator

    Returns
    -------
    mean, standard_error : ndarray (n,)

    >>> rng = np.random.default_rng(0)
    >>> m, se = langevin_mean(lambda Y: Y, [1.0, 0.0], 1.0, step=0.1, steps=200,
    ...                       chains=4000, rng=rng)
    >>> bool(np.all(np.abs(m - [0.5, 0.0]) < 5 * se))
    True
    """
    gamma = check_gamma(gamma)
    step = check_gamma(step, "step")
    steps = check_positive_int(steps, "steps")
    chains = check_positive_int(chains, "chains")
    if chains < 2:
        raise ValueError("chains: expected at least 2 chains for a standard error")
    x = as_vector("x", x)
    Y = np.repeat(x[None, :], chains, axis=0)
    noise = np.sqrt(2 * step)
    for _ in range(steps):
        Y = Y - step * (grad_f(Y) + gamma * (Y - x)) + noise * rng.standard_normal(Y.shape)
    return Y.mean(axis=0), Y.std(axis=0, ddof=1) / np.sqrt(chains)


class Loss:
    """A 1-D test loss with its curvature range: f, f', f'' and bounds a <= f'' <= alpha."""

    def __init__(self, name, f, df, d2f, a, alpha):
        self.name, self.f, self.df, self.d2f = name, f, df, d2f
        self.a, self.alpha = float(a), float(alpha)

    def __repr__(self) -> str:
        return f"<Loss {self.name}: {self.a} <= f'' <= {self.alpha}>"


def _wiggly(c: float, eps: float, k: float, phase: float) -> Loss:
    """c y^2/2 + eps sin(k y + phase): curvature c - eps k^2 <= f'' <= c + eps k^2."""
    return Loss(f"{c:g} y^2/2 + {eps:g} sin({k:g} y + {phase:g})",
                lambda y: 0.5 * c * y ** 2 + eps * np.sin(k * y + phase),
                lambda y: c * y + eps * k * np.cos(k * y + phase),
                lambda y: c - eps * k ** 2 * np.sin(k * y + phase),
                c - eps * k ** 2, c + eps * k ** 2)


#: Non-quadratic 1-D losses of the checks (none symmetric about the points used).
LOSSES: dict[str, Loss] = {
    "double well": Loss("4 (y^2 - 1)^2 + 0.3 y", lambda y: 4 * (y ** 2 - 1) ** 2 + 0.3 * y,
                        lambda y: 16 * y * (y ** 2 - 1) + 0.3,
                        lambda y: 48 * y ** 2 - 16, -16.0, np.inf),
    "sine": _wiggly(1.0, 1.0, 3.0, 0.0),
    "near quadratic +": _wiggly(2.0, 0.002, 2.0, 0.4),
    "near quadratic -": _wiggly(-1.2, 0.002, 2.0, 1.1),
    "quartic, concave at 0": Loss("-y^2/2 + y^4/400", lambda y: -0.5 * y ** 2 + y ** 4 / 400,
                                  lambda y: -y + y ** 3 / 100,
                                  lambda y: -1 + 3 * y ** 2 / 100, -1.0, np.inf),
}


# -- SGD as a diffusion (MATH 9.8): dX = -A X dt + sqrt(2 D / beta) dW ------------------


def _spd(name: str, value: object, n: int | None = None) -> np.ndarray:
    M = as_matrix(name, value)
    if M.shape[0] != M.shape[1] or (n is not None and M.shape[0] != n):
        raise ValueError(f"{name}: expected a square {n or ''} matrix, got shape {M.shape}")
    if not np.allclose(M, M.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"{name}: expected a symmetric matrix")
    if np.linalg.eigvalsh(M)[0] <= 0:
        raise ValueError(f"{name}: expected a positive definite matrix")
    return 0.5 * (M + M.T)


def ou_stationary_covariance(H: object, D: object, beta: float = 1.0) -> np.ndarray:
    """Stationary covariance of dX = -H X dt + sqrt(2 D / beta) dW.

    Solves the Lyapunov equation H S + S H = 2 D / beta with SciPy
    (``solve_continuous_lyapunov``); H and D symmetric positive definite.

    >>> S = ou_stationary_covariance(np.diag([3.0, 1.0]), np.eye(2))
    >>> np.round(S, 6).tolist()     # Gibbs: H^{-1} / beta when D = I
    [[0.333333, 0.0], [0.0, 1.0]]
    """
    H = _spd("H", H)
    D = _spd("D", D, H.shape[0])
    beta = check_gamma(beta, "beta")
    S = sla.solve_continuous_lyapunov(H, 2.0 * D / beta)
    return 0.5 * (S + S.T)


def ou_current_matrix(H: object, D: object, beta: float = 1.0) -> np.ndarray:
    """Q with stationary probability current J(x) = Q x rho(x): Q = -H + D S^{-1} / beta.

    Q = 0 (detailed balance, no loops) iff H D = D H (MATH 9.8).

    >>> bool(np.allclose(ou_current_matrix(np.diag([3.0, 1.0]), np.diag([1.0, 2.0])), 0))
    True
    """
    H = _spd("H", H)
    D = _spd("D", D, H.shape[0])
    S = ou_stationary_covariance(H, D, beta)
    return -H + D @ np.linalg.inv(S) / check_gamma(beta, "beta")


def sgd_discrete_covariance(H: object, D: object, step: float, beta: float = 1.0
                            ) -> np.ndarray:
    """Stationary covariance of the Euler-Maruyama (small-step SGD) recursion
    x <- x - step H x + sqrt(2 step / beta) D^{1/2} N(0, I): it solves
    S = (I - step H) S (I - step H)^T + 2 step D / beta, and S - S_continuous = O(step).

    >>> S = sgd_discrete_covariance([[1.0]], [[1.0]], 0.1)
    >>> round(float(S[0, 0]), 6)    # 2 h / (1 - (1 - h)^2) = 1/(1 - h/2)
    1.052632
    """
    H = _spd("H", H)
    D = _spd("D", D, H.shape[0])
    step = check_gamma(step, "step")
    G = np.eye(H.shape[0]) - step * H
    S = sla.solve_discrete_lyapunov(G, 2.0 * step * D / check_gamma(beta, "beta"))
    return 0.5 * (S + S.T)


def sgd_covariance_sample(H: object, D: object, *, step: float, steps: int, chains: int,
                          rng: np.random.Generator, beta: float = 1.0
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Covariance of ``chains`` independent small-step SGD (Euler-Maruyama) chains after
    ``steps`` steps from 0, with the standard error of each entry.

    Returns (S_hat, standard_error), both (n, n); S_hat = mean of x x^T over chains
    (the stationary mean is 0).

    >>> S, se = sgd_covariance_sample([[1.0]], [[1.0]], step=0.05, steps=200, chains=4000,
    ...                               rng=np.random.default_rng(0))
    >>> bool(abs(S[0, 0] - sgd_discrete_covariance([[1.0]], [[1.0]], 0.05)[0, 0]) < 5 * se[0, 0])
    True
    """
    H = _spd("H", H)
    D = _spd("D", D, H.shape[0])
    step = check_gamma(step, "step")
    steps = check_positive_int(steps, "steps")
    chains = check_positive_int(chains, "chains")
    if chains < 2:
        raise ValueError("chains: expected at least 2 chains for a standard error")
    root = np.linalg.cholesky(2.0 * step * D / check_gamma(beta, "beta"))
    G = np.eye(H.shape[0]) - step * H
    X = np.zeros((chains, H.shape[0]))
    for _ in range(steps):
        X = X @ G.T + rng.standard_normal(X.shape) @ root.T
    prods = X[:, :, None] * X[:, None, :]
    return prods.mean(axis=0), prods.std(axis=0, ddof=1) / np.sqrt(chains)
