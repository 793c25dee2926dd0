"""Tests of numerics.factorization and numerics.losses (bad input, known answers, properties)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import factorization as nf
from numerics.convex import solve
from numerics.instances import with_singular_values
from theorems import strategies as st_dl


def _problem(seed=0, m=6, n=5, values=(5.0, 3.0, 0.5, 0.3, 0.2), lam=1.0):
    return with_singular_values(m, n, np.array(values), np.random.default_rng(seed)), lam


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("lam", [0.0, -1.0, float("nan"), float("inf"), True, "1"])
def test_certify_rejects_bad_lam(lam):
    Y, _ = _problem()
    U, V = nf.balanced_factors(Y)
    with pytest.raises(ValueError, match="lam"):
        nf.certify(Y, U, V, lam)


@pytest.mark.parametrize("which, shape, name", [
    ("U", (5, 3), "U"),  # wrong number of rows (Y has 6)
    ("V", (4, 3), "V"),  # wrong number of rows (Y has 5 columns)
    ("V", (5, 2), "U and V"),  # widths differ
])
def test_certify_rejects_mismatched_shapes(which, shape, name):
    Y, lam = _problem()
    args = {"U": np.ones((6, 3)), "V": np.ones((5, 3))}
    args[which] = np.ones(shape)
    with pytest.raises(ValueError, match=name):
        nf.certify(Y, args["U"], args["V"], lam)


def test_certify_rejects_unknown_loss_and_bad_options():
    Y, lam = _problem()
    U, V = nf.balanced_factors(Y)
    with pytest.raises(ValueError, match="loss: expected one of squared, logistic, huber"):
        nf.certify(Y, U, V, lam, loss="hinge")
    with pytest.raises(ValueError, match="delta"):
        nf.certify(Y, U, V, lam, loss="huber", delta=0.0)
    with pytest.raises(ValueError, match="rtol"):
        nf.certify(Y, U, V, lam, rtol=-1.0)
    with pytest.raises(ValueError, match="labels"):
        nf.certify(Y, U, V, lam, loss="logistic")
    with pytest.raises(ValueError, match="Y"):
        nf.certify(np.ones(3), U, V, lam)


# -- certify on known answers -------------------------------------------------------------


def test_certify_soft_thresholded_optimum_and_stalled_width():
    Y, lam = _problem()
    s = np.linalg.svd(Y, compute_uv=False)
    optimum = nf.soft_threshold_value(Y, lam)
    U, V = nf.balanced_factors(nf.soft_threshold(Y, lam), width=4)  # rank 2, two zero pairs
    cert = nf.certify(Y, U, V, lam)
    assert cert.optimal and cert.polar_satisfied
    assert cert.spectral_norm == pytest.approx(lam, rel=1e-12)
    assert cert.spectral_norm <= cert.spectral_upper <= lam * (1 + 1e-8)
    assert abs(cert.gap_bound) <= 1e-9 * optimum
    assert cert.objective == pytest.approx(optimum, rel=1e-12)
    stalled = nf.certify(Y, U[:, :1], V[:, :1], lam)
    assert not stalled.optimal
    assert stalled.spectral_norm == pytest.approx(s[1], rel=1e-12)  # sigma_(r+1)(Y)
    true_gap = stalled.objective - optimum
    assert true_gap == pytest.approx(0.5 * (s[1] - lam) ** 2, rel=1e-10)
    assert stalled.gap_bound >= true_gap > 0


def test_certify_zero_factorization_when_lam_dominates():
    Y, _ = _problem()
    lam = 10.0  # above sigma_1 = 5: M* = 0
    zero = np.zeros((6, 1)), np.zeros((5, 1))
    cert = nf.certify(Y, *zero, lam)
    assert cert.optimal and cert.gap_bound == pytest.approx(0.0, abs=1e-12)
    assert cert.spectral_norm == pytest.approx(5.0, rel=1e-12)


@pytest.mark.parametrize("loss, delta", [("logistic", 1.0), ("huber", 0.5)])
def test_certify_other_losses_against_cvxpy(loss, delta):
    rng = np.random.default_rng(7)
    low = with_singular_values(5, 4, np.array([4.0, 2.5]), rng)
    if loss == "logistic":
        Y = np.where(low + 0.3 * rng.standard_normal((5, 4)) >= 0, 1.0, -1.0)
    else:
        Y = low + 0.05 * rng.standard_normal((5, 4))
        Y[0, 0] += 3.0  # an outlier in Huber's linear zone
    lam = 0.8
    res = solve(nf.convex_problem(Y, lam, loss, delta)[0])
    assert res.optimal
    Ub, Vb = nf.descend(Y, lam, 4, 2, rng, loss=loss, delta=delta)
    for U, V in zip(Ub, Vb, strict=True):
        cert = nf.certify(Y, U, V, lam, loss, delta=delta)
        assert cert.optimal
        assert cert.spectral_norm == pytest.approx(lam, rel=1e-6)
        assert cert.objective == pytest.approx(res.value, rel=1e-5)
    Ub, Vb = nf.descend(Y, lam, 1, 1, rng, loss=loss, delta=delta)
    cert = nf.certify(Y, Ub[0], Vb[0], lam, loss, delta=delta)
    if cert.objective > res.value * (1 + 1e-4):  # width 1 below the optimal rank
        assert not cert.optimal and cert.spectral_norm > lam
        assert cert.gap_bound >= cert.objective - res.value * (1 + 1e-5)


def test_spectral_norm_bounds_large_matrix_with_repeated_top():
    # ARPACK path (smaller side > 64) and a top singular value of multiplicity 3
    rng = np.random.default_rng(1)
    values = np.concatenate([[2.0, 2.0, 2.0], np.linspace(1.5, 0.1, 67)])
    G = with_singular_values(90, 70, values, rng)
    lo, hi = nf.spectral_norm_bounds(G)
    assert lo <= 2.0 <= hi
    assert hi / lo - 1 < 1e-8


def test_dual_value_rejects_infeasible_points():
    Y, lam = _problem()
    assert nf.dual_value(Y, 2 * lam * np.eye(6, 5), lam) == -np.inf
    Z = 0.5 * lam * np.eye(6, 5)
    assert nf.dual_value(Y, Z, lam) <= nf.soft_threshold_value(Y, lam)


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st_dl.nuclear_problems(max_side=8), st.integers(min_value=1, max_value=8))
def test_certificate_matches_the_closed_form(problem, width):
    Y, lam, rank = problem
    s = np.linalg.svd(Y, compute_uv=False)
    optimum = nf.soft_threshold_value(Y, lam)
    U, V = nf.balanced_factors(nf.soft_threshold(Y, lam), width=width)
    cert = nf.certify(Y, U, V, lam)
    assert cert.gap_bound >= (cert.objective - optimum) - 1e-9 * optimum  # weak duality
    if width >= rank:
        assert cert.optimal
        assert cert.spectral_norm == pytest.approx(lam, rel=1e-9)
    else:
        assert not cert.optimal
        assert cert.spectral_norm == pytest.approx(s[width], rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(st_dl.matrices(max_side=8), st_dl.seeds())
def test_factorizations_never_beat_the_nuclear_norm(M, seed):
    rng = np.random.default_rng(seed)
    nuc = nf.nuclear_norm(M)
    for _, (U, V) in nf.random_factorizations(M, rng):
        assert np.allclose(U @ V.T, M, atol=1e-10 * nuc)
        prod = nf.product_norm_sum(U, V)
        assert prod >= nuc * (1 - 1e-12)
        assert nf.frobenius_penalty(U, V) >= prod * (1 - 1e-12)
    U, V = nf.balanced_factors(M)
    assert nf.product_norm_sum(U, V) == pytest.approx(nuc, rel=1e-12)
    assert nf.frobenius_penalty(U, V) == pytest.approx(nuc, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(st_dl.matrices(max_side=10, max_condition=1e3), st_dl.seeds())
def test_spectral_bounds_bracket_the_norm(G, seed):
    G = G * np.random.default_rng(seed).uniform(0.1, 10.0)
    lo, hi = nf.spectral_norm_bounds(G)
    exact = np.linalg.norm(G, 2)
    assert lo <= exact * (1 + 1e-14) and exact <= hi
    assert hi <= lo * (1 + 1e-8)


@settings(max_examples=20, deadline=None)
@given(st_dl.factor_pairs(max_side=6, max_width=4),
       st.sampled_from(["squared", "logistic", "huber"]))
def test_gap_bound_is_nonnegative_at_any_point(factors, loss):
    Y, U, V = factors
    if loss == "logistic":
        Y = np.where(Y >= 0, 1.0, -1.0)
    cert = nf.certify(Y, U, V, 0.5, loss)
    assert cert.gap_bound >= -1e-9 * max(cert.objective, 1.0)
    assert cert.dual_value <= cert.objective


def test_certify_dropout_free_and_binding_regimes():
    from numerics import dropout as nd

    X = with_singular_values(6, 5, np.array([3.0, 2.0, 1.5, 0.7, 0.3]),
                             np.random.default_rng(2))
    theta = 0.6
    lam = nd.dropout_lambda(theta)
    g = nd.global_minimizer(X, theta, 5)  # d = 5 >= rank: the convex bound is tight
    cert = nf.certify_dropout(X, g.U, g.V, lam, rtol=1e-8)
    assert cert.optimal and cert.objective == pytest.approx(g.value, rel=1e-12)
    assert cert.tau == pytest.approx(g.tau, rel=1e-10)
    assert cert.nuclear.spectral_norm == pytest.approx(g.tau, rel=1e-10)  # ||X - M*||_2 = tau
    g1 = nd.global_minimizer(X, theta, 1)  # the width binds: no certificate may pass
    assert nd.dropout_threshold(np.linalg.svd(X, compute_uv=False), lam, None)[0] > 1
    cert1 = nf.certify_dropout(X, g1.U, g1.V, lam)
    assert not cert1.optimal and cert1.lower_bound <= g1.value
    with pytest.raises(ValueError, match="lam"):
        nf.certify_dropout(X, g.U, g.V, 0.0)


# A Gram matrix met at seed 4 (standard profile): its top eigenvalue is repeated four
# times, and LAPACK's index-subset drivers (evx, evr) return no eigenpair for it.
REPEATED_TOP_GRAM = np.array([
    [0.5750837172881778, -0.014470253901762735, 0.1510801391405463, -0.05147710777959944,
     0.0465309265239177, -0.07625406880878488, 0.192581975485571, 0.012434997779345534],
    [-0.014470253901762735, 0.4657290537244965, 0.09094503878221151, -0.0773379538249238,
     0.06356147803346954, -0.17704933810940374, -0.15348768148201974, -0.17947289908405786],
    [0.1510801391405463, 0.09094503878221151, 0.5205460537795695, 0.031986581436516226,
     -0.1890235670217497, 0.10591673350640404, -0.11873157414717536, 0.03247438060344733],
    [-0.05147710777959944, -0.0773379538249238, 0.031986581436516226, 0.637613874137384,
     -0.1015564779344916, -0.122182392320517, 0.024007097960673237, 0.0006171859205390324],
    [0.0465309265239177, 0.06356147803346954, -0.1890235670217497, -0.1015564779344916,
     0.24414913017263476, 0.026577734447369033, 0.07663360368625416, -0.06112752977036547],
    [-0.07625406880878488, -0.17704933810940374, 0.10591673350640404, -0.122182392320517,
     0.026577734447369033, 0.4649194450964331, -0.06948754734100485, 0.09686262466559822],
    [0.192581975485571, -0.15348768148201974, -0.11873157414717536, 0.024007097960673237,
     0.07663360368625416, -0.06948754734100485, 0.3182096887933506, 0.004485824059910616],
    [0.012434997779345534, -0.17947289908405786, 0.03247438060344733, 0.0006171859205390324,
     -0.06112752977036547, 0.09686262466559822, 0.004485824059910616, 0.16299503791041442],
])


def test_top_vector_survives_a_repeated_top_eigenvalue():
    B = REPEATED_TOP_GRAM
    v = nf._top_vector(B)
    top = np.linalg.eigvalsh(B)[-1]
    assert v @ B @ v / (v @ v) == pytest.approx(top, rel=1e-12)
    G = np.linalg.cholesky(B).T  # G^T G = B
    lo, hi = nf.spectral_norm_bounds(G)
    assert lo <= np.sqrt(top) * (1 + 1e-14) and np.sqrt(top) <= hi <= lo * (1 + 1e-8)


# -- descent, Hessian, shrinkage points and instances (moved from the theorems) -------------


def test_smooth_hessian_at_the_origin_has_eigenvalues_lam_plus_minus_sigma():
    # at U = V = 0 the Hessian of (1/2)||Y - U V^T||^2 + (lam/2)(|U|^2 + |V|^2) couples
    # U_ai with V_bi by -Y_ab: eigenvalues lam +- sigma_k(Y) per column, lam for the rest
    rng = np.random.default_rng(4)
    Y = with_singular_values(3, 2, np.array([2.0, 0.5]), rng)
    lam, width = 0.7, 2
    H = nf.smooth_hessian(Y, np.zeros((3, width)), np.zeros((2, width)), lam)
    expected = np.sort(np.concatenate([np.tile([lam + 2, lam - 2, lam + .5, lam - .5], width),
                                       np.full(width, lam)]))
    np.testing.assert_allclose(np.linalg.eigvalsh(H), expected, atol=1e-9)
    # a generic point: the Hessian is symmetric and its quadratic form matches a second
    # difference of the objective along a random direction
    U, V = rng.standard_normal((3, width)), rng.standard_normal((2, width))
    H = nf.smooth_hessian(Y, U, V, lam)
    np.testing.assert_array_equal(H, H.T)
    D = rng.standard_normal(H.shape[0])
    h = 1e-4
    f = [nf.smooth_value(Y, U + s * h * D[:6].reshape(3, 2), V + s * h * D[6:].reshape(2, 2),
                         lam) for s in (-1, 0, 1)]
    second = (f[0] - 2 * f[1] + f[2]) / h**2
    assert second == pytest.approx(D @ H @ D, rel=1e-5)  # O(h^2) + eps/h^2 ~ 1e-8


def test_gradient_norm_vanishes_at_shrinkage_points_only():
    inst = nf.squared_instance(np.random.default_rng(2), max_side=6, min_rank=2)
    Y, lam, rank = inst["Y"], inst["lam"], inst["rank"]
    U, V = nf.shrinkage_point(inst["A"], inst["sigma"], inst["B"], lam, rank)
    assert nf.gradient_norm(Y, U, V, lam) <= 1e-12 * np.linalg.norm(Y)
    assert nf.smooth_value(Y, U, V, lam) == pytest.approx(nf.soft_threshold_value(Y, lam),
                                                          rel=1e-12)
    assert nf.gradient_norm(Y, 1.01 * U, V, lam) > 1e-3
    with pytest.raises(ValueError, match="keep"):  # sigma_(rank+1) < lam: no such point
        nf.shrinkage_point(inst["A"], inst["sigma"], inst["B"], lam, rank + 1)


def test_descend_reaches_the_closed_form_and_validates_its_input():
    inst = nf.squared_instance(np.random.default_rng(1), max_side=6)
    Y, lam, rank = inst["Y"], inst["lam"], inst["rank"]
    Ub, Vb = nf.descend(Y, lam, rank, 3, np.random.default_rng(0))
    assert Ub.shape == (3, Y.shape[0], rank) and Vb.shape == (3, Y.shape[1], rank)
    for U, V in zip(Ub, Vb, strict=True):
        assert nf.certify(Y, U, V, lam).optimal
    with pytest.raises(ValueError, match="width"):
        nf.descend(Y, lam, 0, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="init"):
        nf.descend(Y, lam, 2, 1, np.random.default_rng(0),
                   init=(np.zeros((1, 2, 2)), np.zeros((1, 2, 2))))
    with pytest.raises(ValueError, match="lam"):
        nf.descend(Y, -1.0, 1, 1, np.random.default_rng(0))


def test_nuclear_norm_problems_solve_to_the_nuclear_norm():
    M = with_singular_values(3, 4, np.array([2.0, 1.0]), np.random.default_rng(0))
    lifted, direct = nf.nuclear_norm_problems(M)
    assert solve(lifted).value == pytest.approx(3.0, rel=1e-5)  # SCS tolerance
    assert solve(direct).value == pytest.approx(3.0, rel=1e-5)
    wrong, _ = nf.nuclear_norm_problems(M, coefficient=1.0)  # twice the form
    assert solve(wrong).value == pytest.approx(6.0, rel=1e-5)
    with pytest.raises(ValueError, match="coefficient"):
        nf.nuclear_norm_problems(M, coefficient=0.0)


def test_squared_instance_has_a_clear_rank():
    rng = np.random.default_rng(6)
    for _ in range(20):
        inst = nf.squared_instance(rng, max_side=8, min_rank=2)
        s, lam, rank = inst["sigma"], inst["lam"], inst["rank"]
        assert rank >= 2 and np.all(s[:rank] >= 2.2 * lam * (1 - 1e-12))
        assert np.all(s[rank:] <= 0.6 * lam * (1 + 1e-12))
        np.testing.assert_allclose((inst["A"] * s) @ inst["B"].T, inst["Y"], atol=1e-12)
    with pytest.raises(ValueError, match="max_side"):
        nf.squared_instance(rng, max_side=2, min_rank=3)
