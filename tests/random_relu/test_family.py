"""The family as a whole: catalog entries, report pages with figures, reproducibility."""


import pytest

import theorems
from tests.conftest import without_seconds
from theorems.random_relu import THEOREMS
from theorems.report.render import collect, html_page

IDS = ["random_relu.kernel", "random_relu.angle_map", "random_relu.distances",
       "random_relu.deep_kernel"]


def test_catalog_lists_the_family():
    assert [t.id for t in theorems.catalog() if t.family == "random_relu"] == IDS
    assert [f().id for f in THEOREMS] == IDS


@pytest.mark.parametrize("factory", THEOREMS, ids=IDS)
def test_report_page_renders_with_derivations_and_figures(factory):
    theorem = factory()
    verdict = theorem.verify(seed=0, profile="quick")
    assert verdict.status is theorem.expected
    page = collect(theorem, verdict, "pytest", "test")
    assert page.errors == []
    assert len(page.figures) == len(theorem.figures)
    assert all(result.valid for _, result in page.derivations)
    assert "<svg" in html_page(page) or not theorem.figures


def test_same_seed_same_json():
    theorem = THEOREMS[1]()
    assert without_seconds(theorem.verify(seed=1, profile="quick")) == without_seconds(
        theorem.verify(seed=1, profile="quick"))
