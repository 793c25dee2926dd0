"""The README's "Falsify your own claims" example is examples/test_my_claims.py, and it passes."""

import re
import subprocess
import sys

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "test_my_claims.py"


def test_readme_shows_the_example_file_verbatim():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Falsify your own claims", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert block == EXAMPLE.read_text()


def test_example_test_file_passes_under_pytest():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b7 passed\b", result.stdout), result.stdout
