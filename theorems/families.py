"""The registered theorem families, in catalog order: adding a family is one line here.

Each name ``f`` is a package ``theorems.f`` (ids ``f.*``, note ``proofs_notes/f.md``,
kernels ``numerics.f``).  Its optional submodules ``theorems.f.gallery`` (``ENTRIES``)
and ``theorems.f.strategies`` are collected by ``theorems.gallery`` and
``theorems.strategies``.  This module imports nothing, so every layer may read it.
"""

FAMILIES: tuple[str, ...] = (
    "dropout",
    "factorization",
    "linear",
    "unified",
    "energy",
)
