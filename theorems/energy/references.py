"""References of the energy family (MATH.md section 9)."""

from theorems.core import Reference

__all__ = ["ENTROPY_SGD", "DEEP_RELAXATION", "SGD_VI", "ENERGY_SEED", "BRASCAMP_LIEB"]

ENTROPY_SGD = Reference(
    "P. Chaudhari, A. Choromanska, S. Soatto, Y. LeCun, C. Baldassi, C. Borgs, J. Chayes, "
    "L. Sagun, R. Zecchina",
    "Entropy-SGD: biasing gradient descent into wide valleys", "ICLR", 2017,
    arxiv="1611.01838", where="local entropy F(x; gamma), gamma a coupling",
)
DEEP_RELAXATION = Reference(
    "P. Chaudhari, A. Oberman, S. Osher, S. Soatto, G. Carlier",
    "Deep relaxation: partial differential equations for optimizing deep neural networks",
    "Research in the Mathematical Sciences", 2018, arxiv="1704.04932",
    where="viscous Hamilton-Jacobi form u(x, t), t a time (variance)",
)
SGD_VI = Reference(
    "P. Chaudhari, S. Soatto",
    "Stochastic gradient descent performs variational inference, converges to limit cycles "
    "for deep networks", "ICLR", 2018, arxiv="1710.11029",
)
ENERGY_SEED = Reference(
    "R. Vidal, J. Bruna, R. Giryes, S. Soatto", "Mathematics of Deep Learning",
    "CDC tutorial", 2017, arxiv="1712.04741",
    where="talk 'A Picture of the Energy Landscape of Deep Neural Networks'",
)
BRASCAMP_LIEB = Reference(
    "H. Brascamp, E. Lieb",
    "On extensions of the Brunn-Minkowski and Prekopa-Leindler theorems, including "
    "inequalities for log concave functions, and with an application to the diffusion "
    "equation", "J. Functional Analysis 22(4):366-389", 1976,
    where="variance bound Cov <= (hess g)^{-1} for strongly log-concave laws",
)
