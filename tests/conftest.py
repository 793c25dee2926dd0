"""Test configuration: Hypothesis profiles and the project root."""

from pathlib import Path

from theorems.strategies import register_profiles

ROOT = Path(__file__).resolve().parent.parent

# "ci" (derandomized, no deadline) when CI=true, else "dev"
register_profiles()
