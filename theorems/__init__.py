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


def _verdict_html(verdict: Verdict) -> str:
    from theorems.report.render import verdict_html

    return verdict_html(verdict)


def _theorem_html(theorem: Theorem) -> str:
    from theorems.report.render import theorem_html

    return theorem_html(theorem)


def _theorem_latex(theorem: Theorem) -> str:
    from theorems.report.notebook import theorem_latex

    return theorem_latex(theorem)


def _theorem_markdown(theorem: Theorem) -> str:
    from theorems.report.notebook import theorem_markdown

    return theorem_markdown(theorem)


# Notebook views: the core objects know nothing of the report layer (no import cycle);
# the facade, which every import of the library runs first, attaches the rich views
# (the report's printers show norms, minima and predicates as mathematics).
Verdict._repr_html_ = _verdict_html
Theorem._repr_html_ = _theorem_html
Theorem._repr_latex_ = _theorem_latex
Theorem._repr_markdown_ = _theorem_markdown

_LAZY = {"Claim": "theorems.claims", "falsify": "theorems.claims", "sweep": "theorems.sweeps"}


def __getattr__(name: str):
    """``theorems.Claim``, ``falsify`` and ``sweep`` load SymPy, Hypothesis, Dask on first use."""
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
    "sweep",
    "ids",
    "verify",
    "__version__",
]
