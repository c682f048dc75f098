"""What a sync could not do, as findings on the rows and cells concerned (pure: data in, data out).

A row the sync skipped, a record Odoo refused, a field changed on both sides and left for a
person to settle, a value that could not be written back: each becomes a ``Finding`` at its row
and cell, so it reaches the workbook's Findings sheet and the cell's comment exactly as a
validation finding does. ``cell_of`` gives the A1 address of a declared column in a row as the
file has it (the reader's header mapping); it returns None when that is not known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mops.records import CellRef, Finding, Severity
from mops.syncing.plan import Conflict, Issue, Plan, PlanItem, Source
from mops.validation.registry import SYNC_CONFLICT, SYNC_REFUSED, SYNC_SKIPPED

SKIPPED = SYNC_SKIPPED.id
REFUSED = SYNC_REFUSED.id
CONFLICT = SYNC_CONFLICT.id

CellOf = Callable[[str, str, str | None, int], str | None]  # (file, sheet, column, row) → A1

CONFLICT_TEXT = {
    "both_changed": (
        "「{label}」兩邊都改了：活頁簿是「{workbook}」，Odoo 是「{odoo}」；mops 沒有覆寫任何一邊。"
        "請決定要保留哪個值，把活頁簿或 Odoo 改成一致，下次同步就會解除。",
        "'{label}' changed on both sides: the workbook holds '{workbook}', Odoo '{odoo}'; mops "
        "overwrote neither. Decide which value is right and make the workbook or Odoo agree; "
        "the next sync then clears this.",
    ),
    "deleted_in_odoo": (
        "這筆記錄（{key}）已在 Odoo 刪除，但活頁簿還有它；mops 不會自動重建。"
        "若仍需要，請在 Odoo 還原；若不需要，請在活頁簿刪除或標示這一列。",
        "This record ({key}) was deleted in Odoo but is still in the workbook; mops does not "
        "recreate it. Restore it in Odoo if it is still needed, or remove or mark the row.",
    ),
    "no_cell": (
        "「{label}」在 Odoo 改成了「{odoo}」，但這個值無法填入活頁簿的這一欄；請人工確認。",
        "'{label}' was changed in Odoo to '{odoo}', a value this column of the workbook cannot "
        "hold; please check it by hand.",
    ),
}
SKIPPED_TEXT = (
    "這一列（{key}）這次沒有同步到 Odoo：{reason}",
    "This row ({key}) was not synced to Odoo this time: {reason}",
)
REFUSED_TEXT = (
    "Odoo 拒絕了這筆記錄（{key}，{model}）：{reason}",
    "Odoo refused this record ({key}, {model}): {reason}",
)


def _ref(source: Source, column: str | None, cell_of: CellOf) -> CellRef:
    cell = cell_of(source.file, source.sheet, column, source.row) if column else None
    if cell is None:
        column = None
    return CellRef(source.file, source.sheet, source.tab, source.row, column, cell)


def _label(item: PlanItem, column: str | None, field: str | None) -> str:
    return column or field or ""


def _issue_findings(
    item: PlanItem, issues: Iterable[Issue], rule_id: str, severity: Severity, cell_of: CellOf
) -> list[Finding]:
    if item.source is None:
        return []
    found = []
    for issue in issues:
        zh, en = SKIPPED_TEXT if rule_id == SKIPPED else REFUSED_TEXT
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
    zh, en = CONFLICT_TEXT.get(c.reason, CONFLICT_TEXT["both_changed"])
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
    """The plan's skipped rows and unsettled conflicts, as findings on their rows and cells."""
    found: list[Finding] = []
    for item in plan.items:
        if item.action == "skipped":
            found += _issue_findings(item, item.issues, SKIPPED, Severity.WARNING, cell_of)
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
