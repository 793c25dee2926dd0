"""Tests of the falsification layer: claims, the gallery, strategies, theorems.testing."""
