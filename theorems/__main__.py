"""``python -m theorems`` is the ``mathdl`` command."""

import sys

from theorems.cli import main

sys.exit(main())
