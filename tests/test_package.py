"""Facts read straight from the package: sheet parts, first rows, formulas without values."""

from __future__ import annotations

import zipfile

from mops.workbook.package import first_value_row, formulas_without_value

PLAIN = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData><row r="3"><c r="B3" t="s"><v>0</v></c></row>'
    b'<row r="4"><c r="C4"><f>SUM(A1:A2)</f></c><c r="D4"><f>1+1</f><v>2</v></c>'
    b'<c r="E4"><f t="shared" si="0"/></c></row></sheetData>'
    b"<dataValidations><dataValidation><formula1>1</formula1></dataValidation>"
    b"</dataValidations></worksheet>"
)
PREFIXED = (
    b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1"><x:f>NOW()</x:f></x:c>'
    b'<x:c r="B1"><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>'
)
NO_FORMULAS = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
    b"<dataValidations><dataValidation><formula1>list</formula1></dataValidation>"
    b"</dataValidations></worksheet>"
)


def _zip(tmp_path, parts: dict[str, bytes]):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_formulas_without_a_cached_value(tmp_path):
    path = _zip(tmp_path, {"a.xml": PLAIN, "b.xml": PREFIXED, "c.xml": NO_FORMULAS})
    found = formulas_without_value(str(path), ["a.xml", "b.xml", "c.xml"])
    # D4 has its cached value; the data validation's <formula1> is not a cell formula.
    assert found == {"a.xml": ["C4", "E4"], "b.xml": ["A1"]}


def test_first_value_row_names_where_the_parse_starts(tmp_path):
    path = _zip(tmp_path, {"a.xml": PLAIN, "b.xml": PREFIXED})
    with zipfile.ZipFile(path) as zf:
        assert first_value_row(zf, "a.xml") == 3
        assert first_value_row(zf, "b.xml") == 1
