"""The folder's index: every page in it, merged across runs, with the run that wrote each.

A report folder holds ``pages.json`` (schema ``mathdl.report-index/1``): one entry
per page, keyed by its file stem.  Each run of :func:`theorems.report.write_report`
reads it, replaces the entries of the pages it writes, keeps the others (pages of
earlier runs stay listed), and writes the index pages from the merged list.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from theorems.report.model import Page

__all__ = ["MANIFEST", "SCHEMA", "Entry", "entry_of", "load_entries", "merge", "dump"]

MANIFEST = "pages.json"
SCHEMA = "mathdl.report-index/1"


@dataclass(frozen=True)
class Entry:
    """One page of the folder and the run that wrote it."""

    slug: str
    theorem: str
    title: str
    status: str
    seed: int
    profile: str
    seconds: float
    formats: tuple[str, ...]
    command: str
    version: str
    written: str  # UTC time of the run, ISO 8601 to the second


def entry_of(page: Page, formats: tuple[str, ...], written: str | None = None) -> Entry:
    v = page.verdict
    written = written or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Entry(page.slug, v.theorem, v.title, v.status.value, v.seed, v.profile,
                 round(v.seconds, 2), tuple(formats), page.command, page.version, written)


def load_entries(folder: Path) -> list[Entry]:
    """The entries already in ``folder`` (none when the manifest is missing or not ours)."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text())
        if data.get("schema") != SCHEMA:
            return []
        return [Entry(**{**e, "formats": tuple(e["formats"])}) for e in data["pages"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merge(old: list[Entry], new: list[Entry]) -> list[Entry]:
    """Old entries in their order with this run's replacing theirs; new pages appended."""
    fresh = {e.slug: e for e in new}
    merged = [fresh.pop(e.slug, e) for e in old]
    return merged + [e for e in new if e.slug in fresh]


def dump(entries: list[Entry]) -> str:
    return json.dumps({"schema": SCHEMA, "pages": [asdict(e) for e in entries]}, indent=2) + "\n"
