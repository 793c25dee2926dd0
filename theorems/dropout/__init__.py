"""Dropout is a product-of-weights regularizer, and what it leads to (MATH.md sections 1-4).

Theorems
--------
dropout.matrix_factorization
    E_r ||X - (1/theta) U diag(r) V^T||_F^2 = ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2.
dropout.doubling
    Duplicating the columns keeps U V^T and halves the regularizer; theta(d)
    = p/(p + d(1 - p)) keeps lambda(d)/d fixed.
dropout.linear_regression
    Dropout on the inputs of least squares is ridge with weights diag(X^T X).
dropout.linear_network
    One hidden layer with data, linear or not: the regularizer is
    lambda sum_i ||u_i||^2 E_x[sigma(v_i^T x)^2].
dropout.induced_regularizer
    Omega_d(M) := min over U V^T = M of sum_i ||u_i||^2 ||v_i||^2 = ||M||_*^2 / d for
    every width d >= rank(M).
dropout.global_optimum
    min_{U, V} ||X - U V^T||_F^2 + lambda sum_i ||u_i||^2 ||v_i||^2 is attained by
    shrinking the top rho singular values of X by tau = kappa S_rho / (1 + kappa rho).

Each factory takes the claimed constants as arguments (SymPy expressions in
:data:`THETA` or :data:`P`, or in the symbols of :mod:`theorems.dropout.spectral`),
validated by the theorem's claim dataclass, so a deliberately wrong variant is built
by the same code as the theorem and must come out ``refuted``; each theorem declares
its own wrong variants (``Theorem.variants``).

Modules: :mod:`~theorems.dropout.factorization`, :mod:`~theorems.dropout.width`,
:mod:`~theorems.dropout.regression`, :mod:`~theorems.dropout.network` (MATH 1-2, on
:mod:`~theorems.dropout.common`); :mod:`~theorems.dropout.lower_bound`,
:mod:`~theorems.dropout.attainment`, :mod:`~theorems.dropout.regularizer` (MATH 3);
:mod:`~theorems.dropout.stationarity`, :mod:`~theorems.dropout.optimum` with its
convex and landscape evidence (MATH 4); :mod:`~theorems.dropout.figures`,
:mod:`~theorems.dropout.references`.

>>> from theorems.dropout import THETA, matrix_factorization
>>> matrix_factorization(coefficient=1 - THETA).title
'Dropout in matrix factorization is a product-of-weights regularizer (variant)'
"""

from theorems.dropout.common import LAMBDA, THETA, P, d
from theorems.dropout.factorization import matrix_factorization, mf_derivation
from theorems.dropout.network import linear_network
from theorems.dropout.optimum import global_optimum
from theorems.dropout.regression import linear_regression
from theorems.dropout.regularizer import induced_regularizer
from theorems.dropout.width import HALF, doubling

__all__ = [
    "THETA",
    "P",
    "LAMBDA",
    "HALF",
    "d",
    "matrix_factorization",
    "doubling",
    "linear_regression",
    "linear_network",
    "induced_regularizer",
    "global_optimum",
    "mf_derivation",
    "THEOREMS",
]

THEOREMS = [matrix_factorization, doubling, linear_regression, linear_network,
            induced_regularizer, global_optimum]
