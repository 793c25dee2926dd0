"""Command-line targets: the claims named by ``MODULE:ATTRIBUTE`` (``mathdl falsify``)."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from typing import Any

from theorems.claims.claim import Claim
from theorems.core import Theorem

__all__ = ["resolve"]


def resolve(target: str) -> list[Claim]:
    """The claims named by ``MODULE:ATTRIBUTE`` (the argument of ``mathdl falsify``).

    The attribute may be a :class:`Claim`, a :class:`~theorems.core.Theorem`, an
    object with a ``claim`` attribute (a gallery entry), a list, tuple or dict of
    those, or a zero-argument callable returning one of them.  The current
    directory is importable, so ``examples.test_my_claims:wrong_claim`` works from
    the project root.

    Raises
    ------
    ValueError
        One line naming what is wrong with the target.

    >>> [c.name for c in resolve("theorems.gallery:FALSE_CLAIMS")][:1]
    ['gallery.dropout_without_rescaling']
    """
    if not isinstance(target, str) or target.count(":") != 1:
        raise ValueError(f"target: expected MODULE:ATTRIBUTE, got {target!r}")
    module_name, attribute = target.split(":")
    if not module_name or not attribute:
        raise ValueError(f"target: expected MODULE:ATTRIBUTE, got {target!r}")
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is bad input
        raise ValueError(f"cannot import module {module_name!r}: {type(exc).__name__}: "
                         f"{exc}".splitlines()[0]) from None
    obj: Any = module
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise ValueError(f"module {module_name!r} has no attribute {attribute!r}")
        obj = getattr(obj, part)
    claims = _flatten(obj, target, called=False)
    if not claims:
        raise ValueError(f"{target} holds no claim")
    return claims


def _flatten(obj: Any, target: str, called: bool) -> list[Claim]:
    """The claims held by ``obj`` (recursing into containers, calling a factory once)."""
    if isinstance(obj, Claim):
        return [obj]
    if isinstance(obj, Theorem):
        return [Claim.from_theorem(obj)]
    if isinstance(getattr(obj, "claim", None), Claim):
        return [obj.claim]
    if isinstance(obj, Mapping):
        obj = list(obj.values())
    if isinstance(obj, list | tuple):
        return [c for item in obj for c in _flatten(item, target, called)]
    if callable(obj) and not called:
        try:
            produced = obj()
        except TypeError as exc:
            raise ValueError(f"{target}: calling it without arguments failed: {exc}") from None
        return _flatten(produced, target, called=True)
    raise ValueError(f"{target}: expected a Claim, a Theorem or a list of them, got "
                     f"{type(obj).__name__}")
