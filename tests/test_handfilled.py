"""Workbooks filled by hand, in Excel and LibreOffice, read without false alarms.

The corpus in tests/data/handfilled/ (built by tests/data/make_handfilled.py, which also writes
its ground truth, truth.json, from what it planted) holds what office staff leave in workbooks
over months: title blocks, moved and extra columns, renamed tabs, merged cells, comments, rich
text, hyperlinks, conditional formats, a chart, hidden rows and columns, a filter left on,
formulas copied down in advance, Total Rows, dates and amounts in every local form, full-width
and invisible characters. Validated with the real API, every planted violation is found on its
row under its rule, no correct cell gets an error or a warning, every lenient reading says what
it assumed, and writing the findings back keeps everything of the user's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.workbook.package import sheet_parts
from test_writeback import comments_in

from libreoffice import SOFFICE, convert

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

CORPUS = Path(__file__).resolve().parent / "data" / "handfilled"
TRUTH = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
AS_OF = dt.date.fromisoformat(TRUTH["as_of"])


def _key(file: str, sheet: str, row: int | None, rule: str) -> tuple:
    return (Path(file).name, sheet, row, rule)


@pytest.fixture(scope="module")
def report():
    return mops.validate(CORPUS, as_of=AS_OF)


def test_the_corpus_is_what_it_claims():
    files = sorted(p.name for p in CORPUS.glob("*.xlsx"))
    assert files == TRUTH["files"] and len(files) >= 3
    assert len(TRUTH["violations"]) >= 40
    assert len({v["rule"] for v in TRUTH["violations"]}) >= 15
    assert len(TRUTH["lenient"]) >= 150
    # Both ways people save: openpyxl-edited files carry Excel's cached results, the others were
    # written by LibreOffice itself.
    writers = Counter()
    for name in files:
        with zipfile.ZipFile(CORPUS / name) as zf:
            app = zf.read("docProps/app.xml").decode("utf-8")
        writers["LibreOffice" if "LibreOffice" in app else "other"] += 1
    assert writers["LibreOffice"] >= 2 and writers["other"] >= 2


def test_every_real_violation_is_found_on_its_row(report):
    found = {_key(f.file, f.sheet, f.row, f.rule_id) for f in report.findings}
    missed = [v for v in TRUTH["violations"] if _key(**_where(v)) not in found]
    assert not missed, json.dumps(missed, ensure_ascii=False, indent=1)


def _where(v: dict) -> dict:
    return {"file": v["file"], "sheet": v["sheet"], "row": v["row"], "rule": v["rule"]}


def test_no_error_or_warning_on_a_correct_cell(report):
    planted = {_key(**_where(v)) for v in TRUTH["violations"]}
    clean = {(c["file"], c["sheet"], cell) for c in TRUTH["clean"] for cell in c["cells"]}
    false_alarms = [
        f"{Path(f.file).name} {f.tab}!{f.cell or f.row} {f.rule_id} {f.severity}"
        f"{' (a correct cell)' if (Path(f.file).name, f.sheet, f.cell) in clean else ''}: "
        f"{f.message_en}"
        for f in report.findings
        if f.severity in ("error", "warning")
        and _key(f.file, f.sheet, f.row, f.rule_id) not in planted
    ]
    assert not false_alarms, "\n".join(false_alarms)
    assert not report.input_problems


def test_every_lenient_cell_says_what_was_assumed(report):
    assumed = {
        (Path(f.file).name, f.sheet, f.cell): f for f in report.findings if f.rule_id == "assumed"
    }
    silent = [c for c in TRUTH["lenient"] if (c["file"], c["sheet"], c["cell"]) not in assumed]
    assert not silent, json.dumps(silent, ensure_ascii=False, indent=1)
    for cell in TRUTH["lenient"]:
        finding = assumed[(cell["file"], cell["sheet"], cell["cell"])]
        assert finding.severity == "info"
        assert finding.message_zh and finding.message_en


def test_keys_and_names_are_read_in_their_normal_form(report):
    by_cell = {(Path(f.file).name, f.cell): f for f in report.findings if f.rule_id == "assumed"}
    # a campaign number typed full-width, in a reference and as the campaign's own number
    reference = by_cell[("expenses.xlsx", "G4")]
    assert reference.value == "ＭＣ２０２６－００３" and "MC2026-003" in reference.message_en
    # a name on the roster with a zero-width space after it: named, and found by everyone
    name = by_cell[("staff.xlsx", "B7")]
    assert "U+200B" in name.message_en and "U+200B" in name.message_zh
    unknown = [f for f in report.findings if f.rule_id == "P2-owner-known"]
    assert {f.value for f in unknown} == {"林經理", "王小華", "王大明", "許雅雯"}


def test_excel_structures_are_not_records(report):
    # Total Rows and rows of formulas copied down in advance are not read as rows; every
    # planted record is.
    assert {k: v for k, v in report.rows.items() if k in TRUTH["records"]} == TRUTH["records"]
    structure = {(s["file"], s["sheet"], s["row"]) for s in TRUTH["structure"]}
    assert len(structure) >= 20
    on_structure = [f for f in report.findings if (Path(f.file).name, f.sheet, f.row) in structure]
    assert not on_structure


# -- write-back keeps everything of the user's ----------------------------------------------

EXPECTED_USER_PARTS = {
    "customers.xlsx": ("xl/charts/", "xl/tables/", "xl/drawings/drawing"),
    "marketing-plan.xlsx": ("xl/tables/",),
    "sales.xlsx": ("xl/tables/",),
    "expenses.xlsx": ("xl/tables/",),
    "staff.xlsx": ("xl/tables/",),
}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rels_targets(parts: dict[str, bytes], part: str) -> set[str]:
    folder, base = part.rsplit("/", 1)
    rels = parts.get(f"{folder}/_rels/{base}.rels", b"").decode("utf-8")
    found = set()
    for target in re.findall(r'Target="([^"]+)"', rels):
        path = (target if target.startswith("/") else f"{folder}/{target}").split("/")
        out: list[str] = []
        for piece in path:
            if piece == "..":
                out.pop()
            elif piece not in (".", ""):
                out.append(piece)
        found.add("/".join(out))
    return found


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path, rich_text=True)


def _user_view(book: openpyxl.Workbook) -> dict:
    """What the user put in a workbook, as openpyxl sees it (mops's own sheet left out)."""
    view = {"names": sorted(book.defined_names), "sheets": {}}
    for ws in book.worksheets:
        if ws.title in ("檢核結果", "Findings"):
            continue
        view["sheets"][ws.title] = {
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "links": sorted(
                (cell.coordinate, cell.hyperlink.target)
                for row in ws.iter_rows()
                for cell in row
                if cell.hyperlink is not None
            ),
            "formats": sorted(str(cf.sqref) for cf in ws.conditional_formatting),
            "validations": len(ws.data_validations.dataValidation),
            "tables": sorted(
                (t.name, t.ref, t.totalsRowCount, str(t.autoFilter.filterColumn))
                for t in ws.tables.values()
            ),
            "hidden_rows": sorted(r for r, d in ws.row_dimensions.items() if d.hidden),
            "hidden_columns": sorted(c for c, d in ws.column_dimensions.items() if d.hidden),
            "charts": len(ws._charts),
            "values": [[c.value for c in row] for row in ws.iter_rows()],
        }
    return view


@pytest.fixture(scope="module")
def written_back(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handfilled")
    for path in CORPUS.glob("*.xlsx"):
        shutil.copyfile(path, folder / path.name)
    report = mops.validate(folder, as_of=AS_OF)
    results = mops.write_back(report)
    return folder, report, results


@pytest.mark.parametrize("name", TRUTH["files"])
def test_write_back_changes_only_what_it_patches(written_back, name):
    folder, report, results = written_back
    before, after = _parts(CORPUS / name), _parts(folder / name)
    assert any(r.path.name == name for r in results)
    tabs = {f.tab for f in report.findings if Path(f.file).name == name and f.cell}
    with zipfile.ZipFile(CORPUS / name) as zf:
        annotated = {part for tab, part in sheet_parts(zf).items() if tab in tabs}
    patched = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
    patched |= {"[Content_Types].xml", "docProps/custom.xml"}
    for part in annotated:
        folder_, base = part.rsplit("/", 1)
        patched |= {part, f"{folder_}/_rels/{base}.rels"}
        patched |= {
            t
            for t in _rels_targets(before, part) | _rels_targets(after, part)
            if re.search(r"comments|vml", t, re.I)
        }
    for part, data in before.items():
        assert part in after, f"{name}: {part} was dropped"
        if part in patched:
            continue
        if part.startswith("xl/worksheets/sheet"):
            # a sheet without findings only loses its "selected tab" mark: mops opens on its own
            data = re.sub(rb'\stabSelected="(?:1|true)"', b"", data)
        assert after[part] == data, f"{name}: {part} changed"
    for prefix in EXPECTED_USER_PARTS[name]:
        assert any(p.startswith(prefix) for p in before), (name, prefix)


@pytest.mark.parametrize("name", TRUTH["files"])
def test_write_back_keeps_charts_comments_links_formats_filters_and_names(written_back, name):
    folder, _, _ = written_back
    original, result = _load(CORPUS / name), _load(folder / name)
    assert _user_view(result) == _user_view(original)
    now = comments_in(folder / name)
    for where, text in comments_in(CORPUS / name).items():
        assert text in now[where], where


def test_the_user_s_own_things_are_in_the_corpus():
    customers = _load(CORPUS / "customers.xlsx")
    ws = customers["客戶名單"]
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.conditional_formatting and customers["統計"]._charts
    assert any(t.autoFilter.filterColumn for t in ws.tables.values())
    assert "重點客戶" in customers.defined_names
    assert any(d.hidden for d in ws.row_dimensions.values())
    assert any(d.hidden for d in ws.column_dimensions.values())
    assert any(c.hyperlink for row in ws.iter_rows() for c in row)
    assert any(c.comment for row in customers["客戶名單"].iter_rows() for c in row)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_written_back_workbooks(written_back, tmp_path):
    folder, _, _ = written_back
    files = sorted(folder.glob("*.xlsx"))
    convert(files, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out")
    for path in files:
        book = _load(tmp_path / "out" / path.name)
        assert "檢核結果" in book.sheetnames
        assert book.sheetnames[0] == _load(path).sheetnames[0]
