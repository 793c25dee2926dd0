"""One import for users: ``import mathdl`` is the public API of ``theorems`` and ``numerics``.

A thin facade; the code lives in the packages ``theorems`` (statements, derivations,
verdicts, falsification, reports) and ``numerics`` (NumPy/SciPy/CVXPY kernels).

>>> import mathdl
>>> mathdl.get("dropout.doubling").verify(profile="quick").status.value
'proved'
>>> mathdl.strategies.__name__, mathdl.testing.__name__
('theorems.strategies', 'theorems.testing')
"""

from __future__ import annotations

import importlib

from theorems import (
    PROFILES,
    Check,
    Context,
    Evidence,
    Profile,
    Reference,
    Status,
    Theorem,
    Verdict,
    __version__,
    catalog,
    get,
    ids,
    verify,
)
from theorems.core import Variant

# loaded on first use, so that `import mathdl` stays as light as `import theorems`
_LAZY_ATTRIBUTES = {"Claim": "theorems.claims", "falsify": "theorems.claims",
                    "sweep": "theorems.sweeps"}
_LAZY_MODULES = {"strategies": "theorems.strategies", "testing": "theorems.testing",
                 "gallery": "theorems.gallery", "report": "theorems.report",
                 "numerics": "numerics"}


def __getattr__(name: str):
    if name in _LAZY_ATTRIBUTES:
        return getattr(importlib.import_module(_LAZY_ATTRIBUTES[name]), name)
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    raise AttributeError(f"module 'mathdl' has no attribute {name!r}")


__all__ = ["PROFILES", "Check", "Claim", "Context", "Evidence", "Profile", "Reference",
           "Status", "Theorem", "Variant", "Verdict", "__version__", "catalog", "falsify",
           "gallery", "get", "ids", "numerics", "report", "strategies", "sweep", "testing",
           "verify"]
