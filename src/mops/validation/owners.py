"""Who answers for each finding: the person its row names, so each can pick out their own.

A sheet's ``owner_column`` (``mops.schemas.model.SheetDef``) is a person column (a customer's
account manager, a claim's claimant) or a reference to a record whose own sheet names one (a
contact's customer, an instalment's contract): the owner is then that record's person, found by
the reference's normal key as every rule compares it. Findings not about a row, and rows whose
owner cell is blank, have none. A rule that knows better (the follow-up cadence answers to the
customer's account manager, whatever row it sits on) sets ``Finding.owner`` itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

import polars as pl

from mops.records import ROW, Finding
from mops.schemas.model import ColType
from mops.validation.context import OWNER, SRC, Dataset
from mops.validation.rules.common import id_key

KEY = "_owner_key"
MAX_HOPS = 3  # references followed to find a person (a cycle of declarations ends here)


def assign_owners(findings: list[Finding], dataset: Dataset) -> list[Finding]:
    """The findings with ``owner`` filled in from their rows (those that have none yet)."""
    wanted: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for f in findings:
        if f.owner is None and f.row is not None:
            wanted[f.sheet].add((f.file, f.row))
    found: dict[tuple[str, str, int], str] = {}
    for key, rows in wanted.items():
        for (file, row), owner in _owners(dataset, key, rows).items():
            found[(key, file, row)] = owner
    if not found:
        return findings
    out = []
    for f in findings:
        owner = found.get((f.sheet, f.file, f.row or 0)) if f.owner is None else None
        out.append(replace(f, owner=owner) if owner else f)
    return out


def _owners(dataset: Dataset, key: str, rows: Iterable[tuple[str, int]]) -> dict:
    """(file, row) → the owner's name, for the given rows of one sheet."""
    parts = dataset.parts(key)
    frame = dataset.frame(key)
    if not parts or frame is None:
        return {}
    column = parts[0].source.definition.owner_column
    if column is None or column not in frame.columns:
        return {}
    src_of = {str(p.source.path): i for i, p in enumerate(parts)}
    pairs = [(src_of[file], row) for file, row in rows if file in src_of]
    if not pairs:
        return {}
    wanted = pl.DataFrame(
        {SRC: [s for s, _ in pairs], ROW: [r for _, r in pairs]},
        schema={SRC: frame.schema[SRC], ROW: frame.schema[ROW]},
    )
    picked = frame.select(SRC, ROW, column).join(wanted, on=[SRC, ROW], how="semi")
    owners = _resolve(dataset, key, column, picked, MAX_HOPS)
    return {
        (str(parts[src].source.path), row): owner
        for src, row, owner in owners.select(SRC, ROW, OWNER).iter_rows()
        if owner
    }


def _resolve(
    dataset: Dataset, key: str, column: str, rows: pl.DataFrame, hops: int
) -> pl.DataFrame:
    """``rows`` with OWNER: the person ``column`` names, or the one of the record it refers to."""
    declared = dataset.parts(key)[0].source.definition.column(column)
    if declared.type is ColType.PERSON:
        return rows.with_columns(pl.col(column).cast(pl.String).alias(OWNER))
    target = _people_by_key(dataset, declared.ref or "", hops - 1)
    if target is None:
        return rows.with_columns(pl.lit(None, dtype=pl.String).alias(OWNER))
    return rows.with_columns(id_key(pl.col(column).cast(pl.String)).alias(KEY)).join(
        target, on=KEY, how="left"
    )


def _people_by_key(dataset: Dataset, ref: str, hops: int) -> pl.DataFrame | None:
    """KEY → OWNER for every record of the sheet ``ref`` (``sheet.column``) points into."""
    sheet_key, _, key_column = ref.partition(".")
    parts = dataset.parts(sheet_key)
    frame = dataset.frame(sheet_key)
    if hops <= 0 or not parts or frame is None or key_column not in frame.columns:
        return None
    column = parts[0].source.definition.owner_column
    if column is None or column not in frame.columns:
        return None
    records = frame.select(key_column, column).filter(pl.col(key_column).is_not_null())
    owners = _resolve(dataset, sheet_key, column, records, hops)
    return (
        owners.select(id_key(pl.col(key_column).cast(pl.String)).alias(KEY), OWNER)
        .filter(pl.col(OWNER).is_not_null())
        .unique(subset=[KEY], keep="first", maintain_order=True)
    )
