"""The sweep store: one SQLite record per (target, seed, profile, library version).

SQLite from the standard library: one file, transactional, readable by any SQLite
tool, and enough for the write rate of a sweep (one small row per finished task).
Each record is committed as its task finishes, so an interrupted sweep loses at
most the tasks in flight, and a rerun skips what is stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Store"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    target  TEXT NOT NULL,
    seed    INTEGER NOT NULL,
    profile TEXT NOT NULL,
    version TEXT NOT NULL,
    status  TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (target, seed, profile, version)
)
"""


class Store:
    """Verdicts of a sweep, keyed by (target, seed, profile, version).

    Parameters
    ----------
    path : str or Path, or ":memory:"
        The SQLite file (created with its folder when missing).

    >>> store = Store(":memory:")
    >>> store.put("dropout.doubling", 3, "quick", "0.1.0", {"status": "proved"})
    >>> store.get("dropout.doubling", 3, "quick", "0.1.0")
    {'status': 'proved'}
    >>> store.missing([("dropout.doubling", 3), ("dropout.doubling", 4)], "quick", "0.1.0")
    [('dropout.doubling', 4)]
    """

    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            path = Path(path)
            if path.exists() and not path.is_file():
                raise ValueError(f"store: {str(path)!r} exists and is not a file")
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._db = sqlite3.connect(self.path)
        self._db.execute(SCHEMA)
        self._db.commit()

    def put(self, target: str, seed: int, profile: str, version: str, verdict: dict) -> None:
        """Store one verdict (its JSON document) and commit at once."""
        self._db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                         (target, int(seed), profile, version, verdict["status"],
                          json.dumps(verdict, sort_keys=True)))
        self._db.commit()

    def get(self, target: str, seed: int, profile: str, version: str) -> dict | None:
        row = self._db.execute(
            "SELECT verdict FROM records WHERE target=? AND seed=? AND profile=? AND version=?",
            (target, int(seed), profile, version)).fetchone()
        return None if row is None else json.loads(row[0])

    def missing(self, tasks: Iterable[tuple[str, int]], profile: str,
                version: str) -> list[tuple[str, int]]:
        """The (target, seed) pairs with no record yet, in the order given."""
        done = set(self._db.execute(
            "SELECT target, seed FROM records WHERE profile=? AND version=?",
            (profile, version)).fetchall())
        return [(t, int(s)) for t, s in tasks if (t, int(s)) not in done]

    def close(self) -> None:
        self._db.close()
