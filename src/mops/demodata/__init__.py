"""Demo data: a believable year of a Taipei consulting firm, with planted mistakes to find.

``generate_demo`` is pure: one seeded ``random.Random``, no clock, no files. It first builds rows
that follow every rule of the policy (``POLICY-MAP.md``) with a margin, then plants a small,
recorded sprinkling of mistakes (``Planted``) so that validation has something real to find.
``write_demo`` writes the six workbooks with the project's writer, plus ``planted.json``.

One module per policy area builds its sheets and plants its mistakes (``organisation``,
``staff``, ``campaigns``, ``research``, ``customers``, ``sales``, ``service``, ``expenses``),
all through one ``builder.Builder``; ``generate`` runs them in order and writes the files.
"""

from __future__ import annotations

from mops.demodata.generate import (
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    FINANCE_PLANTED_FILE,
    MANIFEST_FILE,
    PLANTED_FILE,
    check_finance,
    check_planted,
    edited_since,
    generate_demo,
    write_demo,
)
from mops.demodata.model import (
    DemoData,
    DemoResult,
    DemoRun,
    FinancePlant,
    Planted,
    PlantedCheck,
)

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "FINANCE_PLANTED_FILE",
    "MANIFEST_FILE",
    "PLANTED_FILE",
    "DemoData",
    "DemoResult",
    "DemoRun",
    "FinancePlant",
    "Planted",
    "PlantedCheck",
    "check_finance",
    "check_planted",
    "edited_since",
    "generate_demo",
    "write_demo",
]
