"""The generated workbooks open in a real spreadsheet application (LibreOffice, headless).

Converting to .xlsx and reading LibreOffice's own output back proves it understood the
drop-downs, number formats and tables, not merely that it did not crash. (Converting every
committed workbook to PDF, which proves LibreOffice opens and renders every sheet, is in
test_print.py, which prints them once for its page counts too.)
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from mops.schemas.model import ColType, Owner
from mops.schemas.registry import WORKBOOKS

from conftest import WORKBOOKS_DIR
from libreoffice import SOFFICE, convert

if SOFFICE is None and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is required under CI; .ci/run installs it", pytrace=False)
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """The Chinese committed workbooks as LibreOffice saves them back to .xlsx (the ones read
    back), in one run: LibreOffice's start-up is most of the cost. (Their rendering to PDF is
    checked in test_print.py, which prints every committed workbook once.)"""
    root = tmp_path_factory.mktemp("lo")
    convert([WORKBOOKS_DIR / wb.filename for wb in WORKBOOKS], "xlsx", root / "xlsx")
    return root


@pytest.mark.parametrize("wb", WORKBOOKS, ids=[wb.key for wb in WORKBOOKS])
def test_libreoffice_keeps_dropdowns_formats_and_tables(converted, wb):
    resaved = converted / "xlsx" / wb.filename
    book = openpyxl.load_workbook(resaved)
    for sheet in wb.sheets:
        ws = book[sheet.zh]
        assert [ws.cell(1, i + 1).value for i in range(len(sheet.columns))] == [
            c.zh for c in sheet.columns
        ]
        lists = {
            rng.min_col
            for dv in ws.data_validations.dataValidation
            if dv.type == "list"
            for rng in dv.sqref.ranges
        }
        for i, c in enumerate(sheet.columns, start=1):
            # Odoo-owned (grey) columns have no drop-down: mops fills them in.
            if c.type in (ColType.ENUM, ColType.BOOLEAN) and c.owner is not Owner.ODOO:
                assert i in lists, f"{sheet.key}.{c.key}: drop-down lost in LibreOffice"
        # Frozen panes are view settings, which headless LibreOffice does not load or save;
        # test_writer checks them in the generated file itself.
        assert ws.tables or ws.auto_filter.ref, f"{sheet.key}: table/filter lost"
        dims = {i: d for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
        for i, c in enumerate(sheet.columns, start=1):
            if c.type in (ColType.DATE, ColType.MONEY, ColType.PERCENT):
                fmt = book._number_formats
                style = book._cell_styles[dims[i].style_id] if i in dims else None
                assert style is not None, f"{sheet.key}.{c.key}: column style lost"
                code = (
                    fmt[style.numFmtId - 164]
                    if style.numFmtId >= 164
                    else openpyxl.styles.numbers.BUILTIN_FORMATS.get(style.numFmtId)
                )
                expected = {"date": "yyyy", "money": "#,##0", "percent": "%"}[c.type.value]
                assert expected in code.lower(), (sheet.key, c.key, code)
