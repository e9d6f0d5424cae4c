"""Allows `python -m noc_console`."""

import sys

from noc_console.cli import main

sys.exit(main())
