"""``python -m mops`` runs the command line."""

import sys

from mops.cli.entry import main

sys.exit(main())
