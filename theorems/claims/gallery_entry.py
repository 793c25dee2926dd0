"""A gallery entry: a plausible but false claim, its mistake, and the corrected claim.

Families list theirs in ``theorems.<family>.gallery.ENTRIES``; :mod:`theorems.gallery`
collects them.  This module lives with the claims so that a family's gallery and
the collector both import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from theorems.claims.claim import Claim

__all__ = ["GalleryEntry"]


@dataclass(frozen=True)
class GalleryEntry:
    """A false claim, the mistake in one line, and the corrected (true) claim."""

    key: str
    claim: Claim
    mistake: str
    corrected: Claim
    source: str

    def __repr__(self) -> str:
        return f"<GalleryEntry {self.key}: {self.mistake}>"
