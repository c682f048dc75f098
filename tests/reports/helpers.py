"""Hand-built rows for the report tests, and ways to find a table in a report view."""

from __future__ import annotations

import datetime as dt

import polars as pl

from mops.config import load_config
from mops.reports import builder
from mops.reports.common import Inputs
from mops.reports.model import Period, ReportView, Table
from mops.schemas.model import Lang

DEMO_AS_OF = dt.date(2026, 11, 26)


class Rows:
    """Sheets given as lists of dicts, typed as the validation engine types them."""

    def __init__(self, **sheets: list[dict]) -> None:
        self.sheets = sheets

    def frame(self, key: str) -> pl.DataFrame | None:
        rows = self.sheets.get(key)
        return pl.DataFrame(rows, infer_schema_length=None) if rows else None


def build(name: str, data, period: str, as_of: dt.date, lang=Lang.EN, odoo=None, **extra):
    """The view of report ``name`` over ``data``."""
    inputs = Inputs(data, Period.parse(period), as_of, lang, load_config(), odoo, **extra)
    return builder(name)(inputs)


def table(view: ReportView, caption_or_section: str) -> Table:
    """The first table with this caption, or the first table of the section with this title."""
    for section in view.sections:
        for block in section.blocks:
            if isinstance(block, Table) and (
                block.caption == caption_or_section or section.title == caption_or_section
            ):
                return block
    raise AssertionError(f"no table {caption_or_section!r}")


def column(tb: Table, label: str) -> int:
    return [c.label for c in tb.columns].index(label)
