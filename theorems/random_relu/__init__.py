"""Random Gaussian ReLU layers: arc-cosine kernel, angle map, distances (MATH.md section 8).

Theorems
--------
random_relu.kernel
    E[phi(w.x) phi(w.y)] for w ~ N(0, I_n), phi(z) = a min(z, 0) + b max(z, 0).
"""

from theorems.random_relu.kernel import KernelClaim, kernel_theorem

__all__ = ["KernelClaim", "kernel_theorem", "THEOREMS"]

THEOREMS = [kernel_theorem]
