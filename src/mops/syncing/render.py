"""Show a sync plan, an apply result and the journal as rich tables, in zh-TW or English."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mops.i18n import text
from mops.schemas.model import Lang
from mops.schemas.registry import sheet as declared_sheet
from mops.syncing.applier import ApplyResult
from mops.syncing.mapping import ref_key
from mops.syncing.plan import Plan, PlanItem
from mops.syncing.run import SyncOutcome
from mops.syncing.state import JournalEntry, Run


def _t(lang: Lang, key: str, **params: object) -> str:
    return text(f"sync.{key}", lang, **params)


def _type_label(plan: Plan, name: str, lang: Lang) -> str:
    sheet = next((i.source.sheet for i in plan.items if i.record_type == name and i.source), None)
    return declared_sheet(sheet).name(lang) if sheet else name


def _column_label(item: PlanItem, column: str | None, lang: Lang) -> str:
    if not column or item.source is None:
        return column or ""
    try:
        return declared_sheet(item.source.sheet).column(column).label(lang)
    except KeyError:
        return column


def _where(item: PlanItem) -> str:
    return f"{item.source.tab}!{item.source.row}" if item.source else ""


def _limited(rows: Sequence, limit: int) -> tuple[Sequence, int]:
    if limit and len(rows) > limit:
        return rows[:limit], len(rows) - limit
    return rows, 0


def render_plan(plan: Plan, out: Console, lang: Lang, *, limit: int = 30, title: str = "") -> None:
    """The plan: counts per record type, then conflicts, skipped rows and changes."""
    counts = plan.counts()
    table = Table(
        _t(lang, "type"), _t(lang, "model"),
        *(_t(lang, a) for a in ("create", "update", "unchanged", "conflict", "skipped", "pull")),
        title=title or _t(lang, "plan_title"),
    )  # fmt: skip
    for name in plan.types:
        c = counts.get(name)
        if not c:
            continue
        cells = [
            f"{c[a]:,}" for a in ("create", "update", "unchanged", "conflict", "skipped", "pull")
        ]
        if c["conflict"]:
            cells[3] = f"[bold red]{cells[3]}[/]"
        if c["skipped"]:
            cells[4] = f"[yellow]{cells[4]}[/]"
        table.add_row(_type_label(plan, name, lang), plan.models[name], *cells)
    out.print(table)
    for note in plan.notes:
        out.print(Text.assemble((_t(lang, "note") + ": ", "yellow"), note.message(lang)))
    conflicts = [(i, c) for i in plan.items for c in i.conflicts]
    if conflicts:
        t = Table(
            _t(lang, "key"), _t(lang, "where"), _t(lang, "column"), _t(lang, "workbook"),
            _t(lang, "odoo"), _t(lang, "policy"), title=_t(lang, "conflicts"),
        )  # fmt: skip
        shown, more = _limited(conflicts, limit)
        for item, c in shown:
            if c.reason == "deleted_in_odoo":
                t.add_row(item.key, _where(item), "", "", _t(lang, "deleted"), c.policy)
                continue
            odoo = (
                c.shown_odoo if c.reason != "no_cell" else f"{c.shown_odoo} ({_t(lang, 'no_cell')})"
            )
            t.add_row(
                item.key, _where(item), _column_label(item, c.column or c.field, lang),
                Text(c.shown_workbook), Text(odoo), c.policy,
            )  # fmt: skip
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))
    skipped = [i for i in plan.items if i.action == "skipped"]
    if skipped:
        t = Table(
            _t(lang, "key"),
            _t(lang, "where"),
            _t(lang, "column"),
            _t(lang, "reason"),
            title=_t(lang, "skips"),
        )
        shown, more = _limited(skipped, limit)
        for item in shown:
            for issue in item.issues[:3]:
                column = _column_label(item, issue.column, lang) or (issue.field or "")
                t.add_row(
                    item.key, _where(item), column, Text(f"[{issue.code}] {issue.message(lang)}")
                )
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))
    refused = [(i, r) for i in plan.items for r in i.refusals]
    if refused:
        t = Table(
            _t(lang, "key"), _t(lang, "where"), _t(lang, "column"), _t(lang, "reason"),
            title=_t(lang, "refusals"),
        )  # fmt: skip
        shown, more = _limited(refused, limit)
        for item, issue in shown:
            column = _column_label(item, issue.column, lang) or (issue.field or "")
            t.add_row(item.key, _where(item), column, Text(issue.message(lang)))
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))
    steps = [
        (i, f"{s.model}.{s.method} ({', '.join(s.names)})") for i in plan.items for s in i.linked
    ]
    steps += [(i, m) for i in plan.items for m in i.actions]
    if steps:
        t = Table(_t(lang, "key"), _t(lang, "where"), _t(lang, "step"), title=_t(lang, "steps"))
        shown, more = _limited(steps, limit)
        for item, method in shown:
            t.add_row(item.key, _where(item), method)
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))
    changes = [(i, c) for i in plan.items for c in i.changes]
    if changes:
        t = Table(
            _t(lang, "key"),
            _t(lang, "where"),
            _t(lang, "column"),
            _t(lang, "old_new"),
            title=_t(lang, "changes"),
        )
        shown, more = _limited(changes, limit)
        for item, c in shown:
            t.add_row(
                item.key, _where(item), _column_label(item, c.column or c.field, lang),
                Text(f"{c.shown_old} → {c.shown_new}"),
            )  # fmt: skip
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))


def render_pulled(results: Sequence, out: Console, lang: Lang, *, limit: int = 30) -> None:
    """What the pull-back wrote into each workbook, and what it could not write."""
    problems = [p for r in results for p in r.problems]
    for r in results:
        if r.written:
            out.print(_t(lang, "pulled", n=r.written, file=r.file, backup=r.backup))
        elif not r.problems:
            out.print(_t(lang, "pulled_none", file=r.file))
    if problems:
        t = Table(_t(lang, "where"), _t(lang, "reason"), title=_t(lang, "pull_problems"))
        shown, more = _limited(problems, limit)
        for p in shown:
            where = f"{p.sheet}!{p.cell}" if p.cell else p.sheet
            t.add_row(where, Text(p.message(lang)))
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))


def render_result(
    result: ApplyResult, out: Console, lang: Lang, *, limit: int = 30, pulled: bool = False
) -> None:
    """What apply did, and the records Odoo refused."""
    if result.refusals:
        t = Table(
            _t(lang, "key"),
            _t(lang, "where"),
            _t(lang, "model"),
            _t(lang, "field"),
            _t(lang, "reason"),
            title=_t(lang, "refusals"),
        )
        shown, more = _limited(result.refusals, limit)
        for r in shown:
            where = f"{r.source.tab}!{r.source.row}" if r.source else ""
            t.add_row(r.key, where, r.model, r.issue.field or "", Text(r.issue.message(lang)))
        out.print(t)
        if more:
            out.print(_t(lang, "more", n=more))
    if result.pull and not pulled:
        out.print(_t(lang, "pull_note", n=len(result.pull)))
    out.print(
        _t(
            lang, "created", created=sum(result.created.values()),
            updated=sum(result.updated.values()), adopted=sum(result.adopted.values()),
            refused=len(result.refusals),
        )
    )  # fmt: skip
    if result.actions:
        out.print(_t(lang, "steps_taken", n=sum(result.actions.values())))


def render_outcome(
    outcome: SyncOutcome, out: Console, lang: Lang, *, limit: int = 30, saved: str = ""
) -> None:
    """A whole ``mops sync``: the plan, then (unless a dry run) the result."""
    title = _t(lang, "plan_title") if outcome.dry_run else _t(lang, "result_title")
    render_plan(outcome.plan, out, lang, limit=limit, title=title)
    if outcome.result is not None:
        render_result(outcome.result, out, lang, limit=limit, pulled=bool(outcome.pulled))
        render_pulled(outcome.pulled, out, lang, limit=limit)
        for done in outcome.annotated:
            if done.backup is not None:
                out.print(
                    _t(
                        lang, "annotated", file=done.path, cells=done.cells_marked,
                        rows=done.findings_rows, backup=done.backup,
                    ),
                    soft_wrap=True,
                )  # fmt: skip
        for file, why in outcome.not_annotated:
            out.print(Text(_t(lang, "not_annotated", file=file, why=why), style="bold red"))
        out.print(
            _t(
                lang, "stats", calls=outcome.plan_calls + outcome.result.calls,
                seconds=outcome.plan_seconds + outcome.result.seconds, state=outcome.state_path,
                run=outcome.result.run_id,
            )
        )  # fmt: skip
    else:
        pulls = [c for c in outcome.plan.pull_back() if ref_key(c.value) is None]
        if pulls:
            out.print(_t(lang, "pull_note", n=len(pulls)))
        out.print(
            _t(
                lang, "plan_stats", calls=outcome.plan_calls, seconds=outcome.plan_seconds,
                state=outcome.state_path,
            )
        )  # fmt: skip
    if saved:
        out.print(_t(lang, "saved", path=saved))


def render_log(runs: list[Run], entries: list[JournalEntry], out: Console, lang: Lang) -> None:
    """The latest runs and journal entries."""
    if not runs:
        out.print(_t(lang, "empty_log"))
        return
    t = Table(
        _t(lang, "run"),
        _t(lang, "started"),
        _t(lang, "finished"),
        _t(lang, "status"),
        _t(lang, "dry"),
        _t(lang, "message"),
        title=_t(lang, "runs_title"),
    )
    for r in runs:
        started, finished = (x[:19].replace("T", " ") if x else "" for x in (r.started, r.finished))
        t.add_row(
            str(r.run_id),
            started,
            finished,
            r.status,
            "✓" if r.dry_run else "",
            Text(r.message or ""),
        )
    out.print(t)
    if not entries:
        return
    t = Table(
        _t(lang, "run"), _t(lang, "at"), _t(lang, "key"), _t(lang, "action"), _t(lang, "field"),
        _t(lang, "old_new"), _t(lang, "where"), title=_t(lang, "log_title"),
    )  # fmt: skip
    for e in entries:
        where = f"{Path(e.workbook).name} {e.sheet}!{e.row}" if e.workbook else ""
        if e.action in ("update", "conflict"):
            change = f"{_plain(e.old)} → {_plain(e.new)}"
        elif e.action in ("create", "adopt"):
            change = f"Odoo ID {e.odoo_id}"  # the values created are in the state file
        else:
            change = _plain(e.new)
        at = e.at[:19].replace("T", " ")
        t.add_row(str(e.run_id), at, e.key, e.action, e.field or "", Text(change), Text(where))
    out.print(t)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
