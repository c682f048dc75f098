"""The blank workbooks committed under workbooks/ are exactly what the declarations generate."""

from __future__ import annotations

import pytest

from mops.schemas.registry import WORKBOOKS
from mops.workbook.writer import write_workbook

from conftest import WORKBOOKS_DIR

CASES = [(wb, "zh-TW", WORKBOOKS_DIR) for wb in WORKBOOKS] + [
    (wb, "en", WORKBOOKS_DIR / "en") for wb in WORKBOOKS
]


@pytest.mark.parametrize(
    ("wb", "lang", "folder"), CASES, ids=[f"{lang}-{wb.key}" for wb, lang, _ in CASES]
)
def test_committed_workbook_matches_declarations(tmp_path, wb, lang, folder):
    committed = folder / wb.filename
    assert committed.exists(), f"{committed} is missing"
    fresh = write_workbook(wb, tmp_path / wb.filename, lang=lang)
    assert fresh.read_bytes() == committed.read_bytes(), (
        f"{committed} drifted from the declarations; regenerate with "
        f"`mops workbooks new --lang {lang} --out {folder.relative_to(WORKBOOKS_DIR.parent)} "
        "--force` and commit it"
    )


def test_no_stray_files_in_workbooks_folder():
    expected = {wb.filename for wb in WORKBOOKS}
    assert {p.name for p in WORKBOOKS_DIR.glob("*.xlsx")} == expected
    assert {p.name for p in (WORKBOOKS_DIR / "en").glob("*.xlsx")} == expected
