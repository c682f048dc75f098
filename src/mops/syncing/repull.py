"""Read again, after an apply, what Odoo owns of the records the run created, wrote or stepped.

The plan's pull-back was computed from Odoo as it stood before the run: an invoice the run
created and posted was then not there, or a draft. Its Odoo-owned columns (state, payment
state, amount due …) are read again once the run is done, one read per record type, so the
workbook shows what Odoo holds now and the next sync, with nothing changed, writes no cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from mops.odoo.client import OdooClient
from mops.syncing.applier import ApplyResult
from mops.syncing.converters import KEEP, Lookups, OdooId
from mops.syncing.mapping import SyncMapping
from mops.syncing.plan import CellValue, Plan, cell_value
from mops.syncing.planner import Desired
from mops.syncing.remote import find_by_keys, read_paid_dates

__all__ = ["repull"]


def repull(
    client: OdooClient, plan: Plan, mapping: SyncMapping, desired: Desired, lookups: Lookups,
    result: ApplyResult,
) -> None:  # fmt: skip
    """Replace the result's pull-back of Odoo-owned columns (ids aside) of every record the run
    created, wrote or stepped by what Odoo holds now."""
    refused = {r.key for r in result.refusals}
    fresh: list[CellValue] = []
    redone: set[tuple[str, str, int, str]] = set()
    lookups = replace(lookups, paid_dates=dict(lookups.paid_dates))
    for rtype in mapping.types:
        pulled = [f for f in rtype.pulled if not isinstance(f.convert, OdooId)]
        items = [
            i for i in plan.items
            if i.record_type == rtype.name and i.writes and i.key not in refused
            and i.source is not None
        ]  # fmt: skip
        if not pulled or not items:
            continue
        found = find_by_keys(
            client, rtype.model, [i.key for i in items], rtype.read_fields(),
            key_field=rtype.key_field, key_format=rtype.key_format,
        )  # fmt: skip
        read_paid_dates(client, replace(mapping, types=(rtype,)), {rtype.name: found}, lookups)
        rows: Mapping[str, dict] = {
            rtype.key(r.key): r.values for r in desired.rows.get(rtype.name, [])
        }
        for item in items:
            record = found.get(item.key)
            values = rows.get(item.key)
            if record is None or values is None or item.source is None:
                continue
            for fm in pulled:
                assert fm.column is not None
                redone.add((item.source.file, item.source.sheet, item.source.row, fm.column))
                cell = fm.convert.pull(record, fm.field, lookups)
                if cell is not KEEP and cell != values.get(fm.column):
                    fresh.append(cell_value(item.source, fm.column, cell, _bare(item.key)))
    if not redone:
        return
    kept = [c for c in result.pull if (c.file, c.sheet, c.row, c.column) not in redone]
    result.pull = kept + fresh


def _bare(key: str) -> str:
    return key.split(":", 1)[1]
