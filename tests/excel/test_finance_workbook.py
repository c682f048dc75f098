"""finance.xlsm: generated as declared, its macros are mops's and xlwings' own, every button
runs an existing Python entry point, the VBA project survives mops's write-back byte for byte,
and the file opens in openpyxl and in LibreOffice, which binds the buttons to the macros."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import mops.excel
from mops.workbook import vba_project
from mops.workbook.xlsm import BUTTONS, write_finance_workbook
from mops.workbook.xlsm import vba_project as shipped_project

from libreoffice import SOFFICE, convert

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

REPO = Path(__file__).resolve().parents[2]
BAS = REPO / "integrations" / "excel" / "mops.bas"
COMMITTED = [
    (REPO / "workbooks" / "finance.xlsm", "zh-TW"),
    (REPO / "workbooks" / "en" / "finance.xlsm", "en"),
]
MACRO = re.compile(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>")
SUB = re.compile(r'^Sub (\w+)\(\)\s*\n\s*RunPython "([^"]*)"\s*\nEnd Sub', re.MULTILINE)
CALL = re.compile(r"^import mops\.excel; mops\.excel\.(\w+)\(\)$")


def _subs(source: str) -> dict[str, str]:
    """Sub name → the Python command it hands RunPython."""
    return dict(SUB.findall(source.replace("\r\n", "\n")))


def _button_macros(path: Path) -> dict[str, str]:
    """Caption → macro of every form-control button in the workbook."""
    with zipfile.ZipFile(path) as z:
        vml = [z.read(n).decode() for n in z.namelist() if n.endswith(".vml")]
    found = {}
    for drawing in vml:
        for shape in drawing.split("<v:shape ")[1:]:
            if 'ObjectType="Button"' in shape:
                caption = re.search(r"<font[^>]*>([^<]*)</font>", shape).group(1)
                found[caption] = MACRO.search(shape).group(1)
    return found


@pytest.mark.parametrize(("path", "lang"), COMMITTED, ids=["zh-TW", "en"])
def test_committed_finance_workbook_matches_declarations(tmp_path, path, lang):
    fresh = write_finance_workbook(tmp_path / "finance.xlsm", lang=lang)
    assert fresh.read_bytes() == path.read_bytes(), (
        f"{path} drifted; regenerate with `mops workbooks finance --lang {lang} "
        f"--out {path.parent.relative_to(REPO)} --force` and commit it"
    )


def test_the_vba_project_is_xlwings_own_with_the_mops_module_of_the_bas_file():
    project = shipped_project()
    assert vba_project.module_names(project) == [
        "ThisWorkbook", "Sheet1", "mops", "Sheet2", "xlwings", "Dictionary",
    ]  # fmt: skip
    source = vba_project.module_source(project, "mops")
    assert source.replace("\r\n", "\n") == BAS.read_text(encoding="utf-8")
    assert "Function RunPython(" in vba_project.module_source(project, "xlwings")


def test_the_shipped_vba_project_is_what_the_build_makes_from_xlwings():
    xlwings = pytest.importorskip("xlwings")
    quickstart = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(quickstart) as z:
        base = z.read("xl/vbaProject.bin")
    rebuilt = vba_project.build(base, BAS.read_text(encoding="utf-8"))
    assert rebuilt == shipped_project(), (
        "rebuild with `python -m mops.workbook.vba_project integrations/excel/mops.bas "
        "src/mops/data/excel/vbaProject.bin`"
    )
    # Every stream but the replaced module and the three that name it is xlwings' own.
    ours, theirs = vba_project.read_streams(rebuilt), vba_project.read_streams(base)
    kept = {k for k in theirs if k not in ("VBA/Module1", "VBA/dir", "PROJECT", "PROJECTwm")}
    assert {k: ours[k] for k in kept} == {k: theirs[k] for k in kept}


def test_compression_round_trips():
    for data in (b"", b"a", b"abc" * 3000, bytes(range(256)) * 40, os.urandom(9000)):
        assert vba_project.decompress(vba_project.compress(data)) == data


@pytest.mark.parametrize(("path", "lang"), COMMITTED, ids=["zh-TW", "en"])
def test_every_button_runs_a_sub_that_runs_an_existing_python_entry_point(path, lang):
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == shipped_project()
        types = z.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    macros = _button_macros(path)
    assert sorted(macros.values()) == sorted(b.macro for b in BUTTONS)
    subs = _subs(vba_project.module_source(shipped_project(), "mops"))
    assert set(subs) == set(macros.values())  # no Sub without its button, nor the reverse
    for button in BUTTONS:
        entry = CALL.match(subs[button.macro]).group(1)
        assert entry == button.entry
        function = getattr(mops.excel, entry)
        # RunPython calls it with no argument.
        assert all(
            p.default is not inspect.Parameter.empty or p.kind is p.VAR_KEYWORD
            for p in inspect.signature(function).parameters.values()
        ), entry
    # The entry points import without xlwings: only a call from Excel needs it.
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['xlwings'] = None; import mops.excel"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert done.returncode == 0


def test_it_opens_in_openpyxl_with_its_macros_kept(tmp_path):
    path = REPO / "workbooks" / "finance.xlsm"
    book = openpyxl.load_workbook(path, keep_vba=True)
    assert book.sheetnames[:6] == ["控制台", "說明", "合同", "付款期程", "費用預算", "費用申請"]
    assert book.active.title == "控制台"
    book.save(tmp_path / "resaved.xlsm")
    book.vba_archive.close()  # openpyxl keeps the project in a zip of its own, left open
    with zipfile.ZipFile(tmp_path / "resaved.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == shipped_project()


def test_write_back_keeps_the_vba_project_and_the_buttons_byte_for_byte(finance_folder, mops):
    path = finance_folder / "finance.xlsm"
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in z.namelist()}
    done = mops("validate", str(finance_folder), "--as-of", "2026-11-26", "--write-back")
    assert done.returncode == 1, done.stdout  # the demo's planted mistakes
    with zipfile.ZipFile(path) as z:
        after = {n: z.read(n) for n in z.namelist()}
        types = z.read("[Content_Types].xml").decode()
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    control = [n for n in before if n.startswith("xl/drawings/vmlDrawing")]
    buttons = [n for n in control if b'ObjectType="Button"' in before[n]]
    assert buttons and all(after[n] == before[n] for n in buttons)
    assert after["xl/workbook.xml"] != before["xl/workbook.xml"]  # a Findings sheet was added
    assert "macroEnabled.main+xml" in types
    assert _button_macros(path) == _button_macros(REPO / "workbooks" / "finance.xlsm")
    # … and through a reconciliation's write-back, which adds its sheet beside the Findings.
    done = mops("reconcile", "all", str(finance_folder), "--offline", "--as-of", "2026-11-26",
                "--write-back")  # fmt: skip
    assert done.returncode == 1, done.stdout  # the planted finance mistakes
    with zipfile.ZipFile(path) as z:
        again = {n: z.read(n) for n in z.namelist()}
    assert again["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert all(again[n] == before[n] for n in buttons)
    assert _button_macros(path) == _button_macros(REPO / "workbooks" / "finance.xlsm")
    book = openpyxl.load_workbook(path, keep_vba=True)
    book.vba_archive.close()
    assert {"檢核結果", "對帳結果"} <= set(book.sheetnames)


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_and_binds_each_button_to_its_macro(finance_folder, tmp_path, mops):
    # A filled, written-back workbook: what finance really has after a night.
    mops("validate", str(finance_folder), "--as-of", "2026-11-26", "--write-back")
    mops("reconcile", "all", str(finance_folder), "--offline", "--as-of", "2026-11-26",
         "--write-back")  # fmt: skip
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(finance_folder / "finance.xlsm", src / "finance.xlsm")
    shutil.copy(REPO / "workbooks" / "en" / "finance.xlsm", src / "finance-en.xlsm")
    # The PDFs of their first pages (the buttons' sheet, the guide, the first of the data):
    # all 150 pages of the demo year took 14 s to lay out, and printing whole sheets is
    # test_print.py's matter.
    first_pages = 'pdf:calc_pdf_Export:{"PageRange":{"type":"string","value":"1-12"}}'
    for fmt, out in (("ods", "ods"), (first_pages, "pdf")):
        convert(sorted(src.iterdir()), fmt, tmp_path / out)
    for name in ("finance", "finance-en"):
        assert (tmp_path / "pdf" / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
        with zipfile.ZipFile(tmp_path / "ods" / f"{name}.ods") as z:
            module = z.read("Basic/VBAProject/mops.xml").decode()
            content = z.read("content.xml").decode()
            assert "Basic/VBAProject/xlwings.xml" in z.namelist()
        # LibreOffice read the VBA project itself: the module's Subs, each button bound to one.
        for button in BUTTONS:
            assert f"Sub {button.macro}()" in module
            assert f"VBAProject.mops.{button.macro}?language=Basic" in content
