"""Test configuration: Hypothesis profiles and the project root."""

import json
from pathlib import Path

from theorems.strategies import register_profiles

ROOT = Path(__file__).resolve().parent.parent


def without_seconds(verdict) -> dict:
    """A verdict's JSON document (from a Verdict or its dict), less the timing fields:
    the only ones that differ between two runs of the same seed and profile."""
    doc = json.loads(json.dumps(verdict if isinstance(verdict, dict) else verdict.to_dict()))
    doc.pop("seconds", None)
    for ev in doc.get("evidence", []):
        ev.pop("seconds", None)
    return doc

# "ci" (derandomized, no deadline) when CI=true, else "dev"
register_profiles()
