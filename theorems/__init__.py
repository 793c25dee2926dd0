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

__all__ = [
    "PROFILES",
    "Check",
    "Context",
    "Evidence",
    "Profile",
    "Reference",
    "Status",
    "Theorem",
    "Verdict",
    "catalog",
    "get",
    "ids",
    "verify",
    "__version__",
]
