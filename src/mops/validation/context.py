"""What a rule sees and how it reports: the typed dataset, the configuration, and ``flag``.

A rule is a small named function registered with ``@rule`` (see ``mops.validation.registry``).
It reads typed polars frames from ``ctx.frame(sheet_key)``, selects the offending rows with
vectorised expressions, and hands them to ``ctx.flag``, which turns each row into a Finding
with the right file, tab, cell and messages in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from mops.config import Config
from mops.records import ROW, Finding, Severity, SheetFrame, show

SRC = "_src"  # index of the SheetFrame a row came from, when one sheet spans several files
OWNER = "_owner"  # a column of flagged rows naming who answers for the finding, if not its row


@dataclass(frozen=True)
class Rule:
    """A named check with its default severity, the policy clause behind it, and its messages."""

    id: str
    severity: Severity
    policy: str
    title_zh: str
    title_en: str
    messages: Mapping[str, tuple[str, str]]
    needs: tuple[str, ...] = ()
    check: Callable[[Context], None] | None = None  # None: built into the cell pass


@dataclass
class TypedSheet:
    """A sheet as found in one file, with its cells typed as declared."""

    source: SheetFrame
    frame: pl.DataFrame


class Dataset:
    """Every typed sheet found in the files given to one validation run."""

    def __init__(self, sheets: Mapping[str, list[TypedSheet]]) -> None:
        self._sheets = dict(sheets)
        self._frames: dict[str, pl.DataFrame] = {}

    def keys(self) -> set[str]:
        """The sheet keys present."""
        return set(self._sheets)

    def parts(self, key: str) -> list[TypedSheet]:
        """The typed sheets with this key, one per file."""
        return self._sheets.get(key, [])

    def frame(self, key: str) -> pl.DataFrame | None:
        """All rows of a sheet across files, with SRC and ROW; None when no file has it."""
        if key not in self._frames:
            parts = self._sheets.get(key)
            if not parts:
                return None
            frames = [
                p.frame.with_columns(pl.lit(i, dtype=pl.Int32).alias(SRC))
                for i, p in enumerate(parts)
            ]
            self._frames[key] = pl.concat(frames, how="diagonal_relaxed")
        return self._frames[key]

    def source(self, key: str, src: int) -> SheetFrame:
        """The file and tab a row came from."""
        return self._sheets[key][src].source


@dataclass
class Context:
    """The state of one validation run, shared by every rule."""

    dataset: Dataset
    config: Config
    as_of: dt.date
    severities: dict[str, Severity]  # severities the firm configured, by rule id
    findings: list[Finding] = field(default_factory=list)
    rule: Rule | None = None

    def frame(self, key: str) -> pl.DataFrame | None:
        """The typed rows of a sheet (see Dataset.frame)."""
        return self.dataset.frame(key)

    def has(self, key: str, *columns: str) -> bool:
        """Whether the sheet is present with all these columns found in every file."""
        parts = self.dataset.parts(key)
        return bool(parts) and all(c in p.frame.columns for p in parts for c in columns)

    def flag(
        self,
        key: str,
        rows: pl.DataFrame,
        column: str | None,
        code: str,
        *,
        severity: Severity | None = None,
        rule: Rule | None = None,
        **extra: object,
    ) -> None:
        """Report every row of ``rows`` (which carry SRC and ROW) as a finding of the rule.

        The message template of ``code`` may use any column of the row by key, ``value`` (the
        flagged column's value), ``label`` (its header) and ``extra``. A column ``OWNER`` in
        ``rows`` names who answers for the finding when that is not the row's own owner.
        """
        rule = rule or self.rule
        assert rule is not None, "flag() outside a rule"
        if rows.is_empty():
            return
        zh, en = rule.messages[code]
        # The firm's configured severity wins; else the rule's choice for this case; else default.
        level = self.severities.get(rule.id) or severity or rule.severity
        for record in rows.iter_rows(named=True):
            source = self.dataset.source(key, record[SRC])
            row = record.get(ROW)
            found = column is not None and column in source.columns
            label = source.labels.get(column, column) if column else None
            value = record.get(column) if column else None
            params = {k: show(v) for k, v in record.items()}
            params.update({k: show(v) for k, v in extra.items()})
            params.update(value=show(value), label=label or "", row=row or "")
            self.findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=Severity(level),
                    file=str(source.path),
                    sheet=key,
                    tab=source.tab,
                    row=row,
                    column=column,
                    cell=source.cell(column, row) if found and row else None,
                    label=label,
                    value=value,
                    message_zh=zh.format(**params),
                    message_en=en.format(**params),
                    owner=record.get(OWNER) or None,
                )
            )

    def flag_sheet(self, key: str, code: str, *, severity: Severity | None = None, **extra) -> None:
        """Report a finding about a whole sheet (no row), once per file holding it."""
        rule = self.rule
        assert rule is not None
        zh, en = rule.messages[code]
        params = {k: show(v) for k, v in extra.items()}
        for part in self.dataset.parts(key):
            self.findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=Severity(self.severities.get(rule.id) or severity or rule.severity),
                    file=str(part.source.path),
                    sheet=key,
                    tab=part.source.tab,
                    row=None,
                    column=None,
                    cell=None,
                    label=None,
                    value=None,
                    message_zh=zh.format(**params),
                    message_en=en.format(**params),
                )
            )


def with_rows(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """``frame`` reduced to the given columns plus SRC and ROW, for ``flag``."""
    keep = [c for c in dict.fromkeys([*columns, SRC, ROW]) if c in frame.columns]
    return frame.select(keep)
