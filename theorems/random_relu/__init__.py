"""Random Gaussian ReLU layers: arc-cosine kernel, angle map, distances (MATH.md section 8).

Theorems
--------
random_relu.kernel
    E[phi(w.x) phi(w.y)] for w ~ N(0, I_n), phi(z) = a min(z, 0) + b max(z, 0).
random_relu.angle_map
    He scaling: kappa(c), the angle map and l theta_l -> 3 pi (algebraic contraction).
random_relu.distances
    E||relu(Wx) - relu(Wy)||^2 = ||x - y||^2/2 - |x||y| psi(theta); rho decreases.
random_relu.deep_kernel
    The NNGP layer recursion against finite random networks; the 1/sqrt(m) deviation.
"""

from theorems.random_relu.angle_map import AngleClaim, angle_map_theorem
from theorems.random_relu.deep_kernel import DeepClaim, deep_kernel_theorem
from theorems.random_relu.distances import DistanceClaim, distances_theorem
from theorems.random_relu.kernel import KernelClaim, kernel_theorem

__all__ = ["KernelClaim", "kernel_theorem", "AngleClaim", "angle_map_theorem",
           "DistanceClaim", "distances_theorem", "DeepClaim", "deep_kernel_theorem", "THEOREMS"]

THEOREMS = [kernel_theorem, angle_map_theorem, distances_theorem, deep_kernel_theorem]
