"""A gallery of plausible but false claims of deep-learning theory, each with its correction.

Every entry holds a false :class:`~theorems.claims.Claim`, a one-line
explanation of the mistake, and the corrected statement (a claim that
:func:`~theorems.claims.falsify` must never refute).  ``mathdl falsify
theorems.gallery:FALSE_CLAIMS`` refutes every false claim with a shrunk
counterexample; ``mathdl falsify theorems.gallery:TRUE_CLAIMS`` proves or
verifies every correction.

The entries live with their families: each registered family
(:data:`theorems.families.FAMILIES`) may have a module ``theorems.<family>.gallery``
whose ``ENTRIES`` this module collects, in family order, so adding a family
never edits this file.  The names a family's gallery exports besides
``ENTRIES`` (e.g. ``deep_linear_hessian``) are readable here too.

Examples
--------
>>> from theorems.gallery import GALLERY, entry
>>> len(GALLERY) >= 10
True
>>> e = entry("dropout_without_rescaling")
>>> e.mistake.startswith("Without the 1/theta rescaling")
True
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from theorems.claims import Claim
from theorems.claims.gallery_entry import GalleryEntry
from theorems.families import FAMILIES

__all__ = ["GalleryEntry", "GALLERY", "FALSE_CLAIMS", "TRUE_CLAIMS", "entry"]


def _family_galleries() -> list[ModuleType]:
    """The ``theorems.<family>.gallery`` modules that exist, in family order."""
    modules = []
    for family in FAMILIES:
        name = f"theorems.{family}.gallery"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def _collect(modules: list[ModuleType]) -> tuple[GalleryEntry, ...]:
    """Every family's ``ENTRIES`` in order; a malformed or duplicate entry is an error."""
    entries: list[GalleryEntry] = []
    for module in modules:
        for e in getattr(module, "ENTRIES", ()):
            if not isinstance(e, GalleryEntry):
                raise TypeError(f"{module.__name__}.ENTRIES holds {type(e).__name__}, "
                                "not a GalleryEntry")
            if any(e.key == seen.key for seen in entries):
                raise ValueError(f"duplicate gallery key {e.key!r} in {module.__name__}")
            entries.append(e)
    return tuple(entries)


_MODULES = _family_galleries()
GALLERY: tuple[GalleryEntry, ...] = _collect(_MODULES)
FALSE_CLAIMS: list[Claim] = [e.claim for e in GALLERY]
TRUE_CLAIMS: list[Claim] = [e.corrected for e in GALLERY]

# the public helpers of the family galleries (their __all__ besides ENTRIES)
_EXPORTS: dict[str, ModuleType] = {name: module for module in _MODULES
                                   for name in getattr(module, "__all__", ())
                                   if name != "ENTRIES"}
__all__ += list(_EXPORTS)


def __getattr__(name: str) -> Any:
    """A family gallery's public helper, e.g. ``theorems.gallery.deep_linear_hessian``."""
    if name in _EXPORTS:
        return getattr(_EXPORTS[name], name)
    raise AttributeError(f"module 'theorems.gallery' has no attribute {name!r}")


def entry(key: str) -> GalleryEntry:
    """The gallery entry with this key; ``ValueError`` naming the known keys otherwise."""
    for e in GALLERY:
        if e.key == key:
            return e
    raise ValueError(f"key: unknown gallery entry {key!r}; known: "
                     f"{', '.join(e.key for e in GALLERY)}")
