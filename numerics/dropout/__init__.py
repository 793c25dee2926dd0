"""Dropout kernels: exact expectations, Monte Carlo, closed forms, solvers and landscapes.

Conventions (MATH.md section 1): X is m x n, U is m x d, V is n x d; unit i is
kept with probability theta, r_i ~ Bernoulli(theta), and kept outputs are
rescaled by ``scale`` (1/theta by default).  lambda = (1 - theta)/theta.

Submodules
----------
:mod:`numerics.dropout.identities`
    MATH 1-2: mask losses (direct and from sufficient statistics), exact
    expectations over all masks, input dropout in least squares, hidden dropout.
:mod:`numerics.dropout.optimum`
    MATH 3-4: the induced regularizer, equalized factorizations, the threshold
    rule, the global minimizer, an exhaustive search over supports, CVXPY.
:mod:`numerics.dropout.landscape`
    MATH 4: batched losses and gradients of the factorized objective, dropout SGD.

Every public name is importable from this package (``from numerics import dropout as nd``).

>>> from numerics import dropout as nd
>>> import numpy as np
>>> nd.global_minimizer(np.diag([3.0, 2.0]), theta=0.5, d=2).rho
2
"""

from numerics.dropout.identities import (
    ACTIVATIONS,
    MAX_ENUMERATED_UNITS,
    adaptive_theta,
    all_masks,
    double_columns,
    dropout_lambda,
    dropout_objective,
    exact_expectation,
    hidden_dropout_exact,
    hidden_dropout_objective,
    input_dropout_exact,
    input_dropout_minimizer_exact,
    input_dropout_objective,
    input_dropout_ridge,
    mask_losses_direct,
    mask_losses_fast,
    monte_carlo,
    product_regularizer,
    sample_masks,
    weighted_ridge,
)
from numerics.dropout.landscape import (
    descent_starts,
    dropout_sgd,
    factorized_losses,
    factorized_objective,
    reduced_regularizer,
)
from numerics.dropout.optimum import (
    GlobalMinimizer,
    dropout_threshold,
    equalization_error,
    equalized_factorization,
    equalizing_rotation,
    global_minimizer,
    induced_regularizer,
    nuclear_squared_objective,
    optimal_value,
    shrink_top,
    solve_nuclear_squared,
    support_search,
    threshold_rule,
    threshold_value,
)
from numerics.linalg import RANK_RTOL, nuclear_norm, numerical_rank

__all__ = [
    "dropout_lambda",
    "adaptive_theta",
    "product_regularizer",
    "dropout_objective",
    "sample_masks",
    "all_masks",
    "mask_losses_direct",
    "mask_losses_fast",
    "monte_carlo",
    "exact_expectation",
    "double_columns",
    "input_dropout_objective",
    "input_dropout_exact",
    "input_dropout_ridge",
    "weighted_ridge",
    "input_dropout_minimizer_exact",
    "hidden_dropout_objective",
    "hidden_dropout_exact",
    "ACTIVATIONS",
    "MAX_ENUMERATED_UNITS",
    # induced regularizer and global optimum (MATH 3 and 4)
    "RANK_RTOL",
    "numerical_rank",  # alias of numerics.linalg.numerical_rank
    "nuclear_norm",  # alias of numerics.linalg.nuclear_norm
    "induced_regularizer",
    "equalizing_rotation",
    "equalized_factorization",
    "equalization_error",
    "dropout_threshold",
    "threshold_rule",
    "threshold_value",
    "shrink_top",
    "support_search",
    "GlobalMinimizer",
    "global_minimizer",
    "optimal_value",
    "nuclear_squared_objective",
    "solve_nuclear_squared",
    "factorized_losses",
    "factorized_objective",
    "dropout_sgd",
    "reduced_regularizer",
    "descent_starts",
]
