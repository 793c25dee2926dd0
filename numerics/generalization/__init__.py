"""Kernels for the generalization family (MATH.md section 10): quantities computed exactly.

* :mod:`~numerics.generalization.rademacher`: the exact empirical Rademacher complexity
  of l2- and l1-ball linear classes, an average over all 2^m sign vectors;
* :mod:`~numerics.generalization.networks`: ReLU networks, Jacobians and exact input
  margins (activation patterns and one CVXPY QP per pattern and class);
* :mod:`~numerics.generalization.paths`: path norms, node rescalings, the minimum over
  rescalings of the product of max-row norms;
* :mod:`~numerics.generalization.bounds`: the margin bound on a synthetic distribution
  with known risk (MATH 10.4).
"""

from numerics.generalization.bounds import angle_risk, bound_coverage, gaussian_sample, margin_bound
from numerics.generalization.networks import (
                                            MAX_HIDDEN,
                                            QP_EPS,
                                            QP_SOLVER,
                                            REACH,
                                            MarginResult,
                                            forward,
                                            input_margin,
                                            jacobian,
                                            linear_margin,
                                            output_margin,
                                            spectral_product,
)
from numerics.generalization.paths import (
                                            chain_capacity,
                                            max_row_norm,
                                            min_rescaled_row_product,
                                            path_norm,
                                            path_norm_enumerated,
                                            rescale,
)
from numerics.generalization.rademacher import (
                                            MAX_SAMPLES,
                                            equal_pair,
                                            frobenius_term,
                                            massart_bound,
                                            orthogonal_rows,
                                            rademacher_linear,
                                            rademacher_linear_loop,
                                            rademacher_monte_carlo,
                                            sup_over_ball,
)

__all__ = [
    "MAX_SAMPLES", "sup_over_ball", "rademacher_linear", "rademacher_linear_loop",
    "rademacher_monte_carlo", "frobenius_term", "massart_bound", "orthogonal_rows",
    "equal_pair", "MAX_HIDDEN", "QP_SOLVER", "QP_EPS", "REACH", "forward", "output_margin",
    "jacobian", "spectral_product", "linear_margin", "MarginResult", "input_margin",
    "path_norm", "path_norm_enumerated", "rescale", "max_row_norm",
    "min_rescaled_row_product", "angle_risk", "gaussian_sample", "margin_bound",
    "bound_coverage", "chain_capacity",
]
