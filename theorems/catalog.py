"""The catalog: every theorem the library knows, by id.

A family is one package ``theorems.<name>`` whose name is the id prefix of its
theorems; it exposes ``THEOREMS``, a list of zero-argument factories that build
its :class:`~theorems.core.Theorem` objects.  Registering a family is one line of
:data:`theorems.families.FAMILIES`.  Families are imported on first use so that ``import theorems``
stays light.
"""

from __future__ import annotations

import difflib
import importlib
import json
from collections.abc import Iterable
from pathlib import Path

from theorems.core import Profile, Theorem, Verdict
from theorems.families import FAMILIES

# Order here is the order of `mathdl list` and of reports.
FAMILY_MODULES: tuple[str, ...] = tuple(f"theorems.{name}" for name in FAMILIES)

_cache: dict[str, Theorem] | None = None

INDEX = Path(__file__).with_name("catalog_index.json")
"""Ids, titles, notes and references of the catalog, so that listing it and checking ids
import no family.  ``make index`` rewrites it; a test keeps it in sync."""


def index() -> list[dict]:
    """The catalog's metadata (id, title, note, references) without importing a family."""
    return json.loads(INDEX.read_text())["theorems"]


def index_document() -> dict:
    """The index as the live catalog gives it (what ``catalog_index.json`` must hold)."""
    return {"schema": "mathdl.catalog/1",
            "theorems": [{"id": t.id, "title": t.title, "note": t.note,
                          "references": [str(r) for r in t.references]} for t in catalog()]}


def write_index() -> Path:
    """Rewrite ``catalog_index.json`` from the live catalog."""
    INDEX.write_text(json.dumps(index_document(), indent=2, ensure_ascii=False) + "\n")
    return INDEX


def check_ids(ids_: Iterable[str]) -> list[str]:
    """The ids, after checking each against the index; ``ValueError`` with a suggestion.

    >>> check_ids(["dropout.doubling"])
    ['dropout.doubling']
    >>> check_ids(["dropout.dubling"])
    Traceback (most recent call last):
    ...
    ValueError: unknown theorem id 'dropout.dubling'; did you mean 'dropout.doubling'? ...
    """
    known = [row["id"] for row in index()] if _cache is None else list(_cache)
    out = []
    for theorem_id in ids_:
        if not isinstance(theorem_id, str):
            raise ValueError(f"theorem id: expected a string, got {theorem_id!r}")
        if theorem_id not in known:
            close = difflib.get_close_matches(theorem_id, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown theorem id {theorem_id!r}{hint} (`mathdl list` shows "
                             "every id)")
        out.append(theorem_id)
    return out


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
    """The theorem with this id; ``ValueError`` with the closest known id otherwise."""
    table = _load()
    if not isinstance(theorem_id, str) or theorem_id not in table:
        known = list(table)
        close = (difflib.get_close_matches(theorem_id, known, n=1, cutoff=0.6)
                 if isinstance(theorem_id, str) else [])
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown theorem id {theorem_id!r}{hint} (`mathdl list` shows every "
                         "id)")
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
        elif not isinstance(ids_, Iterable):
            raise ValueError(f"ids_: expected a theorem id or an iterable of ids, got {ids_!r}")
        chosen = [get(i) for i in check_ids(list(ids_))]
    return [t.verify(seed=seed, profile=profile) for t in chosen]
