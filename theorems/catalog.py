"""The catalog: every theorem the library knows, by id.

A family is one package ``theorems.<name>`` whose name is the id prefix of its
theorems; it exposes ``THEOREMS``, a list of zero-argument factories that build
its :class:`~theorems.core.Theorem` objects.  Registering a family is one line of
:data:`theorems.families.FAMILIES`.  Families are imported on first use so that ``import theorems``
stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from theorems.core import Profile, Theorem, Verdict
from theorems.families import FAMILIES

# Order here is the order of `mathdl list` and of reports.
FAMILY_MODULES: tuple[str, ...] = tuple(f"theorems.{name}" for name in FAMILIES)

_cache: dict[str, Theorem] | None = None


def _load() -> dict[str, Theorem]:
    global _cache
    if _cache is None:
        found: dict[str, Theorem] = {}
        for module_name in FAMILY_MODULES:
            module = importlib.import_module(module_name)
            for factory in module.THEOREMS:
                theorem = factory()
                if theorem.family != module_name.rsplit(".", 1)[1]:
                    raise RuntimeError(f"{theorem.id!r} is registered by {module_name}: a "
                                       "family package is named as its id prefix")
                if theorem.id in found:
                    raise RuntimeError(f"duplicate theorem id {theorem.id!r}")
                found[theorem.id] = theorem
        _cache = found
    return _cache


def catalog() -> list[Theorem]:
    """Every theorem of the library, in catalog order.

    Examples
    --------
    >>> import theorems
    >>> "dropout.matrix_factorization" in [t.id for t in theorems.catalog()]
    True
    """
    return list(_load().values())


def ids() -> list[str]:
    """The ids of every theorem, in catalog order."""
    return list(_load())


def get(theorem_id: str) -> Theorem:
    """The theorem with this id; ``ValueError`` naming the known ids otherwise."""
    table = _load()
    if not isinstance(theorem_id, str) or theorem_id not in table:
        known = ", ".join(table)
        raise ValueError(f"unknown theorem id {theorem_id!r}; known ids: {known}")
    return table[theorem_id]


def verify(
    ids_: str | Iterable[str] | None = None,
    seed: int = 0,
    profile: str | Profile = "standard",
) -> list[Verdict]:
    """Verify theorems by id (all of them when ``ids_`` is None).

    Parameters
    ----------
    ids_ : str or iterable of str, optional
        Theorem ids; unknown ids raise ``ValueError`` before any work is done.
    seed : int
    profile : {"quick", "standard", "thorough"}

    Returns
    -------
    list of Verdict
    """
    if ids_ is None:
        chosen = catalog()
    else:
        if isinstance(ids_, str):
            ids_ = [ids_]
        chosen = [get(i) for i in ids_]
    return [t.verify(seed=seed, profile=profile) for t in chosen]
