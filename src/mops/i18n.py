"""Messages mops shows to people, in Traditional Chinese (default) and English.

The language is a context variable set once by the caller (the CLI's ``--lang``, the nightly
job's configuration), so library code can say ``text("key", ...)`` without passing the language
through every call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from mops.schemas.model import Lang

current_lang: ContextVar[Lang] = ContextVar("mops_lang", default=Lang.ZH_TW)

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh-TW, English)
    "file_missing": ("找不到檔案。", "file not found."),
    "not_a_workbook": (
        "不是 Excel 活頁簿（.xlsx/.xlsm），無法讀取。",
        "is not an Excel workbook (.xlsx/.xlsm) and cannot be read.",
    ),
    "unknown_workbook": (
        "無法辨識這是哪一本 mops 活頁簿：沒有一個工作表名稱或標題符合宣告。",
        "is not a workbook mops knows: no sheet name or header matches a declaration.",
    ),
    "header_not_found": (
        "找不到標題列（前 {rows} 列中沒有符合宣告的欄位名稱）。",
        "no header row found (none of the first {rows} rows matches the declared labels).",
    ),
    "missing_columns": ("缺少欄位：{columns}。", "missing columns: {columns}."),
    "duplicate_column": (
        "欄位「{label}」出現兩次（{first} 與 {second}）。",
        "column '{label}' appears twice ({first} and {second}).",
    ),
    "target_exists": (
        "檔案已存在，可能已有同仁填寫的資料，不予覆寫：{path}",
        "the file already exists and may hold someone's work; not overwritten: {path}",
    ),
    "target_exists_hint": (
        "請指定其他資料夾（--out），或確認可覆寫時加上 --force。",
        "Choose another folder (--out), or add --force if it may be overwritten.",
    ),
}


def text(key: str, **params: object) -> str:
    """The message ``key`` in the current language, with ``params`` filled in."""
    zh, en = MESSAGES[key]
    template = en if current_lang.get() is Lang.EN else zh
    return template.format(**params)


@contextmanager
def language(lang: Lang | str) -> Iterator[Lang]:
    """Use ``lang`` for messages inside the block."""
    token = current_lang.set(Lang(lang))
    try:
        yield current_lang.get()
    finally:
        current_lang.reset(token)
