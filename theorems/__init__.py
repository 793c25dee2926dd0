"""mathdl: theorems of deep-learning theory as objects you can verify.

>>> import theorems
>>> t = theorems.get("dropout.doubling")
>>> t.verify(seed=0, profile="quick").status.value
'proved'
"""

from theorems.catalog import catalog, get, ids, verify
from theorems.core import (
    PROFILES,
    Check,
    Context,
    Evidence,
    Profile,
    Reference,
    Status,
    Theorem,
    Verdict,
)

__version__ = "0.1.0"

_LAZY = {"Claim": "theorems.claims", "falsify": "theorems.claims"}


def __getattr__(name: str):
    """``theorems.Claim`` and ``theorems.falsify`` load SymPy and Hypothesis on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'theorems' has no attribute {name!r}")


__all__ = [
    "PROFILES",
    "Check",
    "Claim",
    "Context",
    "Evidence",
    "Profile",
    "Reference",
    "Status",
    "Theorem",
    "Verdict",
    "catalog",
    "falsify",
    "get",
    "ids",
    "verify",
    "__version__",
]
