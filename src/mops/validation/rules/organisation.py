"""§2 Organisation: every person named is on the roster, in a role fit for the duty."""

from __future__ import annotations

import polars as pl

from mops.records import Severity
from mops.schemas.model import ColType
from mops.schemas.registry import ROSTER_NAME_COLUMN, ROSTER_SHEET, all_sheets
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import distinct_keys, id_key


def _labels(column: str, enum_def, lang: str) -> pl.Expr:
    """An enum key column turned into its labels in one language."""
    table = {o.key: (o.zh if lang == "zh" else o.en) for o in enum_def.options}
    return pl.col(column).replace_strict(table, default="")


def _person_columns():
    for declared in all_sheets():
        for column in declared.columns:
            if column.type is ColType.PERSON:
                yield declared, column


@rule(
    "P2-owner-known",
    severity=Severity.ERROR,
    policy="§2",
    needs=(ROSTER_SHEET,),
)
def owner_known(ctx: Context) -> None:
    """Owner, assignee and approver columns name someone on the roster."""
    roster = ctx.frame(ROSTER_SHEET)
    if roster is None or ROSTER_NAME_COLUMN not in roster.columns:
        return
    name = id_key(pl.col(ROSTER_NAME_COLUMN))
    names = roster.select(name).to_series().drop_nulls().unique()
    inactive = (
        roster.filter(pl.col("active").not_().fill_null(False)).select(name).to_series()
        if "active" in roster.columns
        else pl.Series([], dtype=pl.String)
    )
    for declared, column in _person_columns():
        frame = ctx.frame(declared.key)
        if frame is None or column.key not in frame.columns:
            continue
        named = frame.filter(pl.col(column.key).is_not_null())
        people = distinct_keys(named, column.key)
        unknown = people.filter(~pl.col("key").is_in(names.implode())).get_column("value").implode()
        ctx.flag(
            declared.key,
            with_rows(named.filter(pl.col(column.key).is_in(unknown)), [column.key]),
            column.key,
            "unknown",
        )
        if declared.key == ROSTER_SHEET:
            continue  # a leaver's own row and manager link are history, not assignments
        left = people.filter(pl.col("key").is_in(inactive.implode()))
        if left.is_empty():
            continue
        ctx.flag(
            declared.key,
            with_rows(
                named.filter(pl.col(column.key).is_in(left.get_column("value").implode())),
                [column.key],
            ),
            column.key,
            "inactive",
            severity=Severity.WARNING,
        )


@rule(
    "P2-role-fits",
    severity=Severity.WARNING,
    policy="§2",
    needs=(ROSTER_SHEET,),
)
def role_fits(ctx: Context) -> None:
    """A duty goes to a fitting role: approvals to management, complaints to customer service …"""
    from mops.schemas.enums import ROLE, STAFF_GROUP

    roster = ctx.frame(ROSTER_SHEET)
    if roster is None or not {"name", "role", "group"} <= set(roster.columns):
        return
    people = roster.select(
        id_key(pl.col("name")).alias("_person"),
        pl.col("role").alias("_role"),
        pl.col("group").alias("_group"),
    ).unique(subset="_person", keep="first")
    for declared, column in _person_columns():
        if not (column.roles or column.groups):
            continue
        frame = ctx.frame(declared.key)
        if frame is None or column.key not in frame.columns:
            continue
        joined = frame.join(people, left_on=id_key(pl.col(column.key)), right_on="_person")
        fits = pl.col("_role").is_in(list(column.roles)) | pl.col("_group").is_in(
            list(column.groups)
        )
        bad = joined.filter(~fits.fill_null(False))
        if bad.is_empty():
            continue
        allowed = [ROLE.option(r) for r in column.roles] + [
            STAFF_GROUP.option(g) for g in column.groups
        ]
        bad = bad.with_columns(
            _labels("_role", ROLE, "zh").alias("role_zh"),
            _labels("_role", ROLE, "en").alias("role_en"),
            _labels("_group", STAFF_GROUP, "zh").alias("group_zh"),
            _labels("_group", STAFF_GROUP, "en").alias("group_en"),
        )
        ctx.flag(
            declared.key,
            bad.select(column.key, "role_zh", "role_en", "group_zh", "group_en", "_src", "_row"),
            column.key,
            "role",
            allowed_zh="、".join(o.zh for o in allowed),
            allowed_en=" or ".join(o.en for o in allowed),
        )
