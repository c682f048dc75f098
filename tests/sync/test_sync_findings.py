"""What a sync could not do lands on the workbook's Findings sheet and on its cells."""

from __future__ import annotations

import openpyxl
import pytest

from mops.i18n import language
from mops.schemas.registry import sheet

from .helpers import company_size_option, remove_option

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _findings_sheet(path):
    wb = openpyxl.load_workbook(path)
    sheet = wb["Findings"] if "Findings" in wb.sheetnames else wb["檢核結果"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    # The table starts at its header row, where the filter is (a summary is above it).
    top = int(sheet.auto_filter.ref.split(":")[0][1:])
    header = rows[top - 1]
    return wb, [dict(zip(header, r, strict=False)) for r in rows[top:]]


def test_refused_and_skipped_rows_are_written_back_as_findings(odoo, make_books, tmp_path):
    books = make_books(15)  # two of them "micro"
    books.rows["customers"][0]["email"] = "not an e-mail"  # an error: the row is skipped
    books.write()
    client = odoo.client()
    # Someone removed the option "micro" in Odoo: those customers are refused.
    remove_option(client, company_size_option(client))
    with language("en"):
        out = odoo.sync(books, tmp_path / "state.sqlite", pull_back=True)
    refused = [r for r in out.result.refusals if r.record_type == "customer"]
    skipped = [i for i in out.plan.items if i.action == "skipped"]
    assert refused and skipped
    by_rule = {f.rule_id for f in out.findings}
    assert {"sync-refused", "sync-skipped"} <= by_rule
    customers = books.folder / "customers.xlsx"
    assert any(a.path == customers for a in out.annotated)

    wb, lines = _findings_sheet(customers)
    rules = [line["Rule ID"] for line in lines]
    assert "sync-refused" in rules and "sync-skipped" in rules
    # The validation findings of the same run are there too (the sync validated first).
    assert {r for r in rules if not r.startswith("sync-")}
    # Each refused customer: a line naming its company-size cell, and a comment on that cell.
    label = sheet("customers").column("company_size").zh
    for r in refused:
        tab = wb[r.source.tab]
        wheres = [
            line["Where"].split("!")[1]
            for line in lines
            if line["Rule ID"] == "sync-refused" and line["Where"].startswith(f"{r.source.tab}!")
        ]
        cells = [tab[w] for w in wheres if tab[w].row == r.source.row]
        assert len(cells) == 1
        cell = cells[0]
        assert tab.cell(row=1, column=cell.column).value == label
        assert cell.comment is not None and "[Refused by Odoo]" in cell.comment.text
        assert "micro" in cell.comment.text
    assert out.exit_code == 1


def test_a_dry_run_writes_nothing_into_the_workbooks(odoo, make_books, tmp_path):
    books = make_books(5)
    books.rows["customers"][0]["email"] = "not an e-mail"  # skipped: a finding, not written
    books.write()
    before = {p: p.read_bytes() for p in books.paths}
    out = odoo.sync(books, tmp_path / "state.sqlite", dry_run=True, pull_back=True)
    assert out.findings and not out.annotated
    assert {p: p.read_bytes() for p in books.paths} == before
