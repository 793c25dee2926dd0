"""Linear networks: losses, gradients, analytic Hessians, critical points (MATH.md 5 and 6).

The kernels of the ``linear`` family, one module per topic: :mod:`~numerics.linear.data`
(second moments, instances, reduced-rank regression), :mod:`~numerics.linear.two_layer`
(Baldi and Hornik), :mod:`~numerics.linear.deep` (deep networks, the optimality test),
:mod:`~numerics.linear.saddle` (the degenerate saddle, Hessian forms of the loss) and
:mod:`~numerics.linear.convex` (convex end-to-end losses, CVXPY optimum); every public
name is re-exported here.

Data hold one sample per column: ``X`` is d_x x N, ``Y`` is d_y x N, and
Sigma_XX = X X^T, Sigma_YX = Y X^T, Sigma_YY = Y Y^T (unnormalized).

Two conventions for the squared loss, as in MATH.md:

* the two-layer loss of Baldi and Hornik, E(A, B) = ||Y - A B X||_F^2 (no 1/2);
* the deep loss, L(W) = (1/2) ||W_{H+1} ... W_1 X - Y||_F^2.

Everything that runs over instances or initializations is batched on a leading
axis and written with batched ``matmul`` (one BLAS call per stack).  Vectors of
matrices are flattened in row-major (C) order, so for stacked factors
``vec(P Q R) = kron(P, R^T) vec(Q)``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X, Y = regression_instance(4, 3, 20, rng)
>>> cp = critical_points(X, Y, 2)
>>> len(cp.index_sets), int(cp.is_global.sum())
(7, 1)
"""

from numerics.linear.convex import (
    DIFFERENTIABLE,
    END_TO_END_LOSSES,
    convex_data,
    convex_descent,
    convex_optimum,
    deep_objective,
    huber_loss,
    l1_box_margin,
    l1_loss,
    l1_spurious_example,
    logistic_loss,
    perturbed_starts,
    softmax_cross_entropy,
)
from numerics.linear.data import (
    EIGENGAP_RTOL,
    SXX_CONDITION_LIMIT,
    Covariances,
    class_separation,
    covariances,
    least_squares_map,
    principal_decomposition,
    rank_p_minimizer,
    reduced_rank_regression,
    regression_instance,
    singular_values,
)
from numerics.linear.deep import (
    GlobalOptimality,
    chain_rule,
    deep_critical_point,
    deep_hessian,
    deep_loss_and_gradient,
    end_to_end,
    escape_path,
    global_optimality,
    products,
    random_weights,
    squared_objective,
)
from numerics.linear.saddle import (
    aligned_directions,
    data_loss,
    fd_hessian_forms,
    hessian_forms,
    shallow_origin_spectrum,
    unit_directions,
    zero_network,
)
from numerics.linear.two_layer import (
    CriticalPoints,
    HessianSpectra,
    critical_points,
    find_critical_points,
    hessian_spectra,
    match_classes,
    two_layer_gradient,
    two_layer_hessian,
    two_layer_loss,
)

__all__ = [
    "logistic_loss",
    "softmax_cross_entropy",
    "huber_loss",
    "l1_loss",
    "END_TO_END_LOSSES",
    "deep_objective",
    "convex_optimum",
    "DIFFERENTIABLE",
    "convex_data",
    "l1_spurious_example",
    "perturbed_starts",
    "convex_descent",
    "l1_box_margin",
    "SXX_CONDITION_LIMIT",
    "EIGENGAP_RTOL",
    "Covariances",
    "covariances",
    "principal_decomposition",
    "regression_instance",
    "reduced_rank_regression",
    "least_squares_map",
    "rank_p_minimizer",
    "class_separation",
    "singular_values",
    "products",
    "end_to_end",
    "chain_rule",
    "deep_loss_and_gradient",
    "deep_hessian",
    "random_weights",
    "deep_critical_point",
    "escape_path",
    "GlobalOptimality",
    "global_optimality",
    "squared_objective",
    "data_loss",
    "fd_hessian_forms",
    "unit_directions",
    "hessian_forms",
    "aligned_directions",
    "zero_network",
    "shallow_origin_spectrum",
    "two_layer_loss",
    "two_layer_gradient",
    "two_layer_hessian",
    "CriticalPoints",
    "critical_points",
    "find_critical_points",
    "match_classes",
    "HessianSpectra",
    "hessian_spectra",
]
