"""The zh-TW and English sentences of the cell parser's problems and assumptions, keyed by code."""

from __future__ import annotations

from mops.schemas.model import Lang

DATE_HINT_ZH = "2026-11-26 或 115/11/26"
DATE_HINT_EN = "2026-11-26 (or Minguo 115/11/26)"

MESSAGES_ZH: dict[str, str] = {
    # problems
    "formula_without_value": (
        "「{value}」是尚未計算結果的公式，請用 Excel 開啟檔案並存檔一次，或直接輸入值。"
    ),
    "error_value": "儲存格是錯誤值「{value}」，請修正公式，或改為直接輸入值。",
    "not_a_number": "無法將「{value}」讀為數字，請只輸入數字，例如 1234.5 或 -1,200。",
    "not_integer": "「{value}」不是整數，本欄只接受整數，例如 12。",
    "not_a_percent": "無法將「{value}」讀為百分比，請輸入例如 30% 或 0.3。",
    "foreign_currency": (
        "「{value}」看起來不是新台幣金額，請換算為新台幣後只輸入數字，例如 1200。"
    ),
    "not_a_date": f"無法辨識日期「{{value}}」，請以 {DATE_HINT_ZH} 的格式輸入。",
    "not_a_datetime": (
        "無法辨識日期時間「{value}」，請以 2026-11-26 14:30 或 115/11/26 下午2:30 的格式輸入。"
    ),
    "date_without_year": f"「{{value}}」缺少年份，請輸入完整日期，例如 {DATE_HINT_ZH}。",
    "ambiguous_date": (
        "「{value}」的年份或月日順序無法確定，請用四位數西元年輸入，例如 2026-11-26，"
        "或寫明民國年，例如 民國115年11月26日。"
    ),
    "weekday_mismatch": (
        "「{value}」的星期與日期不符（{date} 是星期{weekday_zh}），"
        "請確認後以 {date} 的格式重新輸入。"
    ),
    "time_without_date": "「{value}」只有時間、沒有日期，請輸入日期與時間，例如 2026-11-26 14:30。",
    "not_in_list": "「{value}」不在選項中，請從下拉選單選擇：{allowed_zh}。",
    "not_a_boolean": "無法將「{value}」讀為是或否，請從下拉選單選擇「是」或「否」。",
    "bad_email": "「{value}」不是有效的電子郵件地址，請只輸入一個地址，例如 name@example.com。",
    "bad_phone": (
        "「{value}」不像電話號碼，請輸入一個含區碼的號碼，例如 02-2345-6789 或 0912-345-678"
        "（分機可寫 #123）。"
    ),
    "too_long": "「{value}」共 {length} 個字，超過本欄上限 {max_length} 個字，請縮短。",
    "below_minimum": "「{value}」小於下限 {minimum}，請輸入 {minimum} 以上的值。",
    "above_maximum": "「{value}」大於上限 {maximum}，請輸入 {maximum} 以下的值。",
    # assumptions
    "text_date": (
        "「{value}」不是 Excel 日期，已讀為 {read}；建議以 Excel 日期輸入（例如 2026-11-26），"
        "才能正確排序與計算。"
    ),
    "minguo_date": "「{value}」視為民國年，已讀為 {read}；若不正確，請以 2026-11-26 的格式輸入。",
    "year_last_date": (
        "「{value}」視為年份在後的日期，已讀為 {read}；請以 2026-11-26 的格式輸入以免誤讀。"
    ),
    "excel_serial": "數字「{value}」視為 Excel 日期序號，已讀為 {read}；請將儲存格格式設為日期。",
    "time_dropped": "「{value}」含有時間，本欄只記日期，已讀為 {read}。",
    "fullwidth_digits": "「{value}」含全形字元，已讀為 {read}；請改用半形數字輸入。",
    "number_from_text": (
        "「{value}」是文字格式的數字，已讀為 {read}；請將儲存格改為數值格式，Excel 才能加總。"
    ),
    "currency_mark_removed": (
        "已去掉「{value}」中的幣別符號，讀為新台幣 {read}；請只輸入數字，Excel 才能加總。"
    ),
    "parentheses_negative": "「{value}」的括號視為負數，已讀為 {read}；負數請寫成 -1200。",
    "chinese_magnitude": "「{value}」中的「萬」或「億」已換算，讀為 {read}；請直接輸入完整數字。",
    "percent_from_text": "「{value}」是文字，已讀為 {read}；請將儲存格設為百分比格式後輸入數值。",
    "percent_over_one_read_as_percent": (
        "「{value}」大於 1，已視為 {read}；若不正確，請輸入帶百分號的值，例如 30% 或 150%。"
    ),
    "duration_as_hours": "時間長度「{value}」已換算為 {read} 小時；請直接輸入小時數，例如 1.5。",
    "leading_zero_restored": (
        "「{value}」開頭的 0 被 Excel 去掉了，已補回為 {read}；請將本欄設為文字格式再輸入。"
    ),
    "fullwidth_email": "「{value}」含全形字元，已改為半形 {read}；請改用半形輸入。",
    "email_extracted": "已從「{value}」取出電子郵件地址 {read}；本欄請只填地址。",
}

MESSAGES_EN: dict[str, str] = {
    # problems
    "formula_without_value": (
        '"{value}" is a formula with no calculated result; open the file in Excel and save it '
        "once, or type the value itself."
    ),
    "error_value": 'The cell holds the error "{value}"; fix the formula or type the value itself.',
    "not_a_number": 'Cannot read "{value}" as a number; type digits only, e.g. 1234.5 or -1,200.',
    "not_integer": '"{value}" is not a whole number; this column takes whole numbers, e.g. 12.',
    "not_a_percent": 'Cannot read "{value}" as a percentage; type e.g. 30% or 0.3.',
    "foreign_currency": (
        '"{value}" does not look like New Taiwan dollars; convert it to NT$ and type digits '
        "only, e.g. 1200."
    ),
    "not_a_date": f'Cannot read "{{value}}" as a date; type it as {DATE_HINT_EN}.',
    "not_a_datetime": (
        'Cannot read "{value}" as a date and time; type it as 2026-11-26 14:30 '
        "(or 115/11/26 下午2:30)."
    ),
    "date_without_year": f'"{{value}}" has no year; type the full date, e.g. {DATE_HINT_EN}.',
    "ambiguous_date": (
        'The year or the day/month order of "{value}" is unclear; type a four-digit year, '
        "e.g. 2026-11-26, or name the Minguo year, e.g. 民國115年11月26日."
    ),
    "weekday_mismatch": (
        'The weekday in "{value}" does not match the date ({date} is a {weekday_en}); check it '
        "and type it as {date}."
    ),
    "time_without_date": '"{value}" is a time without a date; type both, e.g. 2026-11-26 14:30.',
    "not_in_list": (
        '"{value}" is not one of the options; pick one from the drop-down: {allowed_en}.'
    ),
    "not_a_boolean": 'Cannot read "{value}" as yes or no; pick 是 (Yes) or 否 (No) from the list.',
    "bad_email": (
        '"{value}" is not a valid e-mail address; type one address, e.g. name@example.com.'
    ),
    "bad_phone": (
        '"{value}" does not look like a phone number; type one number with its area code, '
        "e.g. 02-2345-6789 or 0912-345-678 (extension as #123)."
    ),
    "too_long": (
        '"{value}" has {length} characters, more than the {max_length} this column allows; '
        "shorten it."
    ),
    "below_minimum": '"{value}" is below the minimum {minimum}; type {minimum} or more.',
    "above_maximum": '"{value}" is above the maximum {maximum}; type {maximum} or less.',
    # assumptions
    "text_date": (
        'Read "{value}", which is not an Excel date, as {read}; type dates as Excel dates '
        "(e.g. 2026-11-26) so they sort and calculate."
    ),
    "minguo_date": (
        'Read "{value}" as a Minguo (ROC) date, {read}; if that is wrong, type it as 2026-11-26.'
    ),
    "year_last_date": (
        'Read "{value}" as a date with the year last, {read}; type it as 2026-11-26 to avoid '
        "misreading."
    ),
    "excel_serial": (
        'Read the number "{value}" as an Excel date serial, {read}; format the cell as a date.'
    ),
    "time_dropped": '"{value}" has a time; this column keeps the date only, read as {read}.',
    "fullwidth_digits": (
        'Read "{value}", which has full-width characters, as {read}; type half-width digits.'
    ),
    "number_from_text": (
        'Read "{value}", a number stored as text, as {read}; format the cell as a number so '
        "Excel can add it up."
    ),
    "currency_mark_removed": (
        'Removed the currency mark from "{value}" and read NT$ {read}; type digits only so '
        "Excel can add it up."
    ),
    "parentheses_negative": 'Read "{value}" in parentheses as negative, {read}; type -1200.',
    "chinese_magnitude": 'Read 萬 or 億 in "{value}" as {read}; type the full number.',
    "percent_from_text": (
        'Read "{value}", which is text, as {read}; format the cell as a percentage and type '
        "the number."
    ),
    "percent_over_one_read_as_percent": (
        'Read "{value}", which is over 1, as {read}; if that is wrong, type it with a % sign, '
        "e.g. 30% or 150%."
    ),
    "duration_as_hours": 'Read the duration "{value}" as {read} hours; type hours, e.g. 1.5.',
    "leading_zero_restored": (
        'Excel dropped the leading 0 of "{value}"; read as {read}. Format the column as text '
        "before typing phone numbers."
    ),
    "fullwidth_email": 'Read "{value}", which has full-width characters, as {read}.',
    "email_extracted": 'Took the address {read} out of "{value}"; type the address only.',
}

# for a code with no sentence, or a sentence whose parameters do not fit
FALLBACK = {
    Lang.ZH_TW: "「{value}」無法讀取（{code}），請檢查後重新輸入。",
    Lang.EN: 'Cannot read "{value}" ({code}); check it and type it again.',
}
