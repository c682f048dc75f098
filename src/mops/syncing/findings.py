"""What a sync could not do, as findings on the rows and cells concerned (pure: data in, data out).

A row the sync skipped, a record Odoo refused, a field changed on both sides and left for a
person to settle, a value that could not be written back: each becomes a ``Finding`` at its row
and cell, so it reaches the workbook's Findings sheet and the cell's comment exactly as a
validation finding does. ``cell_of`` gives the A1 address of a declared column in a row as the
file has it (the reader's header mapping); it returns None when that is not known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mops.i18n import pair
from mops.records import CellRef, Finding, Severity
from mops.syncing.plan import Conflict, Issue, Plan, PlanItem, Source
from mops.validation.registry import SYNC_ARCHIVED, SYNC_CONFLICT, SYNC_REFUSED, SYNC_SKIPPED

SKIPPED = SYNC_SKIPPED.id
REFUSED = SYNC_REFUSED.id
CONFLICT = SYNC_CONFLICT.id
ARCHIVED = SYNC_ARCHIVED.id
FINDING_TEXT = {
    SKIPPED: "sync.finding.skipped",
    REFUSED: "sync.finding.refused",
    ARCHIVED: "sync.finding.archived",
}

CellOf = Callable[[str, str, str | None, int], str | None]  # (file, sheet, column, row) → A1


def _ref(source: Source, column: str | None, cell_of: CellOf) -> CellRef:
    cell = cell_of(source.file, source.sheet, column, source.row) if column else None
    if cell is None:
        column = None
    return CellRef(source.file, source.sheet, source.tab, source.row, column, cell)


def _label(item: PlanItem, column: str | None, field: str | None) -> str:
    return column or field or ""


def _issue_findings(
    item: PlanItem,
    issues: Iterable[Issue],
    rule_id: str,
    severity: Severity,
    cell_of: CellOf,
    text: str | None = None,
) -> list[Finding]:
    if item.source is None:
        return []
    found = []
    for issue in issues:
        zh, en = pair(text or FINDING_TEXT[rule_id])
        params = {"key": item.key, "model": item.model}
        found.append(
            Finding.at(
                _ref(item.source, issue.column, cell_of),
                rule_id,
                severity,
                zh.format(reason=issue.message_zh, **params),
                en.format(reason=issue.message_en, **params),
                label=issue.column or issue.field,
            )
        )
    return found


def _conflict_finding(item: PlanItem, c: Conflict, cell_of: CellOf) -> Finding | None:
    if item.source is None or c.policy != "report":
        return None  # settled by its configured policy: nothing for a person to do
    reason = c.reason if c.reason in ("deleted_in_odoo", "no_cell") else "both_changed"
    zh, en = pair(f"sync.finding.conflict_{reason}")
    params = {
        "key": item.key,
        "label": _label(item, c.column, c.field),
        "workbook": c.shown_workbook,
        "odoo": c.shown_odoo,
    }
    return Finding.at(
        _ref(item.source, c.column, cell_of),
        CONFLICT,
        Severity.WARNING,
        zh.format(**params),
        en.format(**params),
        label=c.column or c.field,
        value=c.shown_workbook or None,
    )


def plan_findings(plan: Plan, cell_of: CellOf) -> list[Finding]:
    """The plan's skipped rows, records archived in Odoo, unsettled conflicts and changes Odoo's
    records cannot take (a posted invoice), as findings."""
    found: list[Finding] = []
    for item in plan.items:
        found += _issue_findings(
            item, item.refusals, REFUSED, Severity.ERROR, cell_of, "sync.finding.not_written"
        )
        if item.action == "skipped":
            found += _issue_findings(item, item.issues, SKIPPED, Severity.WARNING, cell_of)
            continue
        archived = [i for i in item.issues if i.code == "archived"]
        found += _issue_findings(item, archived, ARCHIVED, Severity.WARNING, cell_of)
        for c in item.conflicts:
            finding = _conflict_finding(item, c, cell_of)
            if finding is not None:
                found.append(finding)
    return found


def refusal_findings(refusals: Iterable, cell_of: CellOf) -> list[Finding]:
    """The records Odoo refused (``applier.Refusal``), as errors on their rows and cells."""
    found: list[Finding] = []
    for r in refusals:
        if r.source is None:
            continue
        item = PlanItem(r.record_type, r.key, r.model, "refused", source=r.source)
        found += _issue_findings(item, [r.issue], REFUSED, Severity.ERROR, cell_of)
    return found
