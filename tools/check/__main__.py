"""Allows ``python -m tools.check``."""

import sys

from .cli import main

sys.exit(main())
