"""Report 9, Run summary: what a validate run found (and, when given, what a sync or a
reconciliation did), by the person who answers for it. The nightly job's morning digest.

Its input is the validate ``Report`` plus any number of ``RunStep`` values, one per later step
of the same run (sync, reconcile), each a title and its counts.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass

from mops.i18n import text
from mops.reports.common import Inputs
from mops.reports.model import Chart, Column, Kpi, ReportView, Section, Series, Table

SEVERITIES = ("error", "warning", "info")
TOP_RULES = 15


@dataclass(frozen=True)
class RunStep:
    """A later step of the run: its title and what it counted (label, number)."""

    title: str
    counts: tuple[tuple[str, int], ...]
    note: str = ""


def build(inp: Inputs) -> ReportView:
    """The run summary of the validation the reports were made from (and the steps given)."""
    t = inp.t
    report = inp.validation
    findings = list(report.findings) if report is not None else []
    by_owner: dict[str, Counter] = defaultdict(Counter)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    by_file: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        level = str(f.severity)
        by_owner[f.owner or t("rpt.sum.no_owner")][level] += 1
        by_rule[f.rule_id][level] += 1
        by_file[os.path.basename(f.file)][level] += 1

    def counts_table(
        groups: dict[str, Counter],
        first: Column,
        caption: str,
        limit: int | None = None,
        mark: bool = False,
    ) -> Table:
        ordered = sorted(
            groups.items(),
            key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], -kv[1]["info"], kv[0]),
        )[:limit]
        return Table(
            columns=(first, *(inp.col(f"sev_{s}", "int") for s in SEVERITIES)),
            rows=tuple((name, *(c[s] for s in SEVERITIES)) for name, c in ordered),
            flags=tuple("alert" if mark and c["error"] else "" for _, c in ordered),
            caption=caption,
            empty=t("rpt.sum.clean"),
        )

    owners = counts_table(by_owner, inp.col("person"), t("rpt.sum.by_owner"), mark=True)
    rules = counts_table(
        {f"{rule} {_title(rule, inp)}": c for rule, c in by_rule.items()},
        inp.col("rule", "long"),
        t("rpt.sum.by_rule", n=TOP_RULES),
        TOP_RULES,
    )
    files = counts_table(by_file, inp.col("file"), t("rpt.sum.by_file"))
    top = sorted(by_owner.items(), key=lambda kv: -(kv[1]["error"] + kv[1]["warning"]))[:12]
    chart = Chart(
        "bars",
        t("rpt.sum.chart_owner"),
        tuple(name for name, _ in top),
        tuple(
            Series(t(f"rpt.col.sev_{s}"), tuple(c[s] for _, c in top)) for s in ("error", "warning")
        ),
        kind="int",
        x_label=t("rpt.sum.axis_findings"),
    )
    rows_read = Table(
        columns=(inp.col("sheet"), inp.col("rows", "int")),
        rows=tuple(sorted((report.rows or {}).items())) if report is not None else (),
        caption=t("rpt.sum.rows_read"),
    )
    totals = Counter(str(f.severity) for f in findings)
    kpis = (
        Kpi(t("rpt.col.sev_error"), totals["error"], "int", alert=bool(totals["error"])),
        Kpi(t("rpt.col.sev_warning"), totals["warning"], "int"),
        Kpi(t("rpt.col.sev_info"), totals["info"], "int"),
        Kpi(
            t("rpt.sum.kpi_files"),
            len(report.files) if report is not None else 0,
            "int",
            t("rpt.sum.kpi_unreadable", n=len(report.input_problems))
            if report is not None and report.input_problems
            else "",
        ),
    )
    sections = [
        Section(
            t("rpt.sum.s_validate"),
            (owners, chart, rules, files, rows_read),
            t("rpt.sum.s_validate_intro"),
        )
    ]
    if report is not None and report.input_problems:
        sections.append(
            Section(
                t("rpt.sum.s_unreadable"),
                (
                    Table(
                        (inp.col("file"), inp.col("problem", "long")),
                        tuple((p.file, p.message) for p in report.input_problems),
                    ),
                ),
            )
        )
    for step in inp.extras:
        if isinstance(step, RunStep):
            sections.append(
                Section(
                    step.title,
                    (Table((inp.col("what"), inp.col("count", "int")), step.counts),),
                    step.note,
                )
            )
    return ReportView(
        name="summary",
        title=t("rpt.sum.title"),
        policy=t("rpt.sum.policy"),
        period=inp.period,
        as_of=inp.as_of,
        lang=inp.lang,
        kpis=kpis,
        sections=tuple(sections),
        sources=tuple(os.path.basename(f) for f in (report.files if report is not None else ())),
    )


def _title(rule_id: str, inp: Inputs) -> str:
    from mops.i18n import catalogue

    key = f"rule.{rule_id}.title"
    return text(key, inp.lang) if key in catalogue() else ""
