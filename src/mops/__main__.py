"""``python -m mops`` runs the command line."""

import sys

from mops.cli.main import main

sys.exit(main())
