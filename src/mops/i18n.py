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
    # Files that cannot be read safely (mops.workbook.safety); each names the file before it.
    "path_is_folder": (
        "這是資料夾，不是檔案；請指定資料夾裡的 .xlsx 活頁簿。",
        "is a folder, not a file; give the .xlsx workbook inside it.",
    ),
    "not_regular_file": (
        "不是一般檔案（可能是裝置或管線），無法讀取。",
        "is not a regular file (a device or a pipe) and cannot be read.",
    ),
    "file_empty": (
        "檔案是空的（0 位元組），可能存檔或複製時中斷；請重新取得原檔。",
        "is empty (0 bytes); saving or copying it was probably interrupted. Get the file again.",
    ),
    "file_no_permission": (
        "沒有讀取這個檔案的權限；請檢查檔案權限，或請檔案擁有者開放讀取。",
        "cannot be read: permission denied. Check the file's permissions or ask its owner.",
    ),
    "file_unreadable": (
        "無法讀取檔案（{reason}）；請確認檔案沒有被其他程式鎖定。",
        "cannot be read ({reason}); check that no other program has it locked.",
    ),
    "file_corrupt": (
        "檔案內容無法辨識：不是 Excel 活頁簿（.xlsx），或檔案已損毀；請重新取得原檔。",
        "cannot be recognised: it is not an Excel workbook (.xlsx), or it is damaged. "
        "Get the file again.",
    ),
    "wrong_format": (
        "這是「{kind}」，不是 Excel 活頁簿（.xlsx）；mops 需要 .xlsx：{advice}",
        "is {kind}, not an Excel workbook (.xlsx); mops needs .xlsx: {advice}",
    ),
    "kind_csv": ("CSV 文字檔", "a CSV text file"),
    "kind_text": ("純文字檔", "a plain text file"),
    "kind_html": ("網頁（HTML）檔", "a web page (HTML)"),
    "kind_xml2003": ("Excel 2003 XML 試算表", "an Excel 2003 XML spreadsheet"),
    "kind_xls": ("舊版 Excel 97-2003 活頁簿（.xls）", "an old Excel 97-2003 workbook (.xls)"),
    "kind_ole": (
        "舊版 Office 二進位檔（不是活頁簿）",
        "an old binary Office file (not a workbook)",
    ),
    "kind_xlsb": ("Excel 二進位活頁簿（.xlsb）", "an Excel binary workbook (.xlsb)"),
    "kind_ods": ("OpenDocument 試算表（.ods）", "an OpenDocument spreadsheet (.ods)"),
    "kind_odf": ("OpenDocument 文件（不是試算表）", "an OpenDocument file (not a spreadsheet)"),
    "kind_numbers": ("Apple Numbers 試算表", "an Apple Numbers spreadsheet"),
    "kind_docx": ("Word 文件", "a Word document"),
    "kind_pptx": ("PowerPoint 簡報", "a PowerPoint presentation"),
    "kind_pdf": ("PDF 文件", "a PDF document"),
    "kind_image": ("圖片檔", "an image"),
    "kind_archive": ("壓縮檔", "a compressed archive"),
    "advice_excel": (
        "請在 Excel 另存為 .xlsx（檔案 > 另存新檔 > 存檔類型選「Excel 活頁簿」）。",
        "save it as .xlsx in Excel (File > Save As > Excel Workbook).",
    ),
    "advice_ods": (
        "請在 LibreOffice Calc 或 Excel 開啟後另存為 .xlsx（Excel 活頁簿）。",
        "open it in LibreOffice Calc or Excel and save it as .xlsx (Excel Workbook).",
    ),
    "advice_numbers": (
        "請在 Numbers 選「檔案 > 輸出為 > Excel」，輸出 .xlsx。",
        "in Numbers choose File > Export To > Excel to get an .xlsx.",
    ),
    "advice_other": ("請確認選對了檔案。", "check that you chose the right file."),
    "encrypted": (
        "活頁簿設有開啟密碼（已加密），mops 無法讀取；請在 Excel 移除密碼："
        "檔案 > 資訊 > 保護活頁簿 > 以密碼加密，清除密碼後存檔。",
        "the workbook is password-protected (encrypted) and mops cannot read it; remove the "
        "password in Excel: File > Info > Protect Workbook > Encrypt with Password, clear it "
        "and save.",
    ),
    "zip_corrupt": (
        "檔案已損毀或不完整（可能只下載或複製了一部分），無法開啟；請重新取得原檔。",
        "is damaged or incomplete (perhaps only partly downloaded or copied) and cannot be "
        "opened. Get the file again.",
    ),
    "part_corrupt": (
        "活頁簿內的「{part}」已損毀或無法解壓縮；請重新取得原檔。",
        "part '{part}' inside the workbook is damaged or cannot be decompressed. "
        "Get the file again.",
    ),
    "xml_corrupt": (
        "活頁簿內的「{part}」不是有效的 XML，檔案可能已損毀；請重新取得原檔。",
        "part '{part}' inside the workbook is not valid XML; the file may be damaged. "
        "Get the file again.",
    ),
    "not_ooxml_zip": (
        "這是 zip 壓縮檔，但不是 Excel 活頁簿（缺少 {missing}）；若活頁簿在壓縮檔裡，請先解壓縮。",
        "is a zip archive but not an Excel workbook (no {missing}); if the workbook is inside "
        "the archive, extract it first.",
    ),
    "zip_bomb": (
        "解壓縮後共 {size} MB，超過上限 {limit} MB（疑似壓縮炸彈）；"
        "若確為正常檔案，請調整 mops.toml 的 limits.max_uncompressed_mb。",
        "inflates to {size} MB, over the limit of {limit} MB (a possible zip bomb); if the file "
        "is genuine, raise limits.max_uncompressed_mb in mops.toml.",
    ),
    "zip_bomb_part": (
        "活頁簿內的「{part}」解壓縮後超過上限 {limit} MB（疑似壓縮炸彈），已停止讀取。",
        "part '{part}' inflates beyond the limit of {limit} MB (a possible zip bomb); "
        "reading stopped.",
    ),
    "zip_ratio": (
        "活頁簿內的「{part}」壓縮比 {ratio:,}:1 異常（疑似壓縮炸彈），不予讀取。",
        "part '{part}' has a compression ratio of {ratio:,}:1 (a possible zip bomb); refused.",
    ),
    "zip_size_lie": (
        "活頁簿內的「{part}」實際大小與宣告不符（疑似壓縮炸彈或檔案損毀），不予讀取。",
        "part '{part}' does not match its declared size (a possible zip bomb, or damage); refused.",
    ),
    "unsafe_xml": (
        "活頁簿內的「{part}」含有不安全的 XML（DTD 或實體宣告，可能是 XXE 或實體膨脹攻擊），"
        "不予讀取；Excel 不會寫出這種內容，請向提供者確認檔案來源。",
        "part '{part}' contains unsafe XML (a DTD or entity declarations: a possible XXE or "
        "entity-expansion attack); refused. Excel never writes this; check where the file "
        "came from.",
    ),
    "too_many_rows": (
        "工作表「{sheet}」有 {rows:,} 列，超過上限 {limit:,} 列；"
        "請分檔或調整 mops.toml 的 limits.max_rows。",
        "sheet '{sheet}' has {rows:,} rows, over the limit of {limit:,}; split the file or "
        "raise limits.max_rows in mops.toml.",
    ),
    "wrong_extension": (
        "內容是 Excel 活頁簿（.xlsx），但副檔名是「{suffix}」；請將副檔名改為 .xlsx。",
        "holds an Excel workbook (.xlsx) but its name ends in '{suffix}'; rename it to .xlsx.",
    ),
    "sheet_empty": (
        "工作表是空的：沒有標題列也沒有資料；請貼上範本的標題列，或刪除這個工作表。",
        "the sheet is empty: no header row and no data; paste the template's header row, "
        "or delete the sheet.",
    ),
    # Writing into a workbook in place (mops.workbook.annotate, .cell_values and .commit).
    "writeback_open_in_excel": (
        "活頁簿正在 Excel 中開啟（{lock}），無法寫回檢核結果。",
        "the workbook is open in Excel ({lock}); the findings cannot be written back.",
    ),
    "writeback_open_in_excel_hint": (
        "請先在 Excel 儲存並關閉活頁簿，再執行一次。",
        "Save and close it in Excel, then run again.",
    ),
    "writeback_open_in_libreoffice": (
        "活頁簿正在 LibreOffice 中開啟（{lock}），無法寫回檢核結果。",
        "the workbook is open in LibreOffice ({lock}); the findings cannot be written back.",
    ),
    "writeback_no_sheet": ("找不到工作表「{sheet}」。", "there is no sheet named '{sheet}'."),
    "writeback_not_worksheet": (
        "「{sheet}」不是一般工作表，無法標示儲存格。",
        "'{sheet}' is not a worksheet; its cells cannot be marked.",
    ),
    "writeback_damaged": (
        "活頁簿內容（{part}）無法解析，可能已損毀。",
        "part {part} of the workbook cannot be parsed; the file may be damaged.",
    ),
    "writeback_strict": (
        "這是 Strict Open XML 格式，mops 無法寫回。",
        "the file is in Strict Open XML format, which mops cannot write back into.",
    ),
    "writeback_strict_hint": (
        "請在 Excel 以「Excel 活頁簿（.xlsx）」格式另存新檔後再執行。",
        "Save it in Excel as 'Excel Workbook (.xlsx)' and run again.",
    ),
    "writeback_write_failed": (
        "無法寫回活頁簿，原檔案未變更。",
        "the workbook could not be written back; the original file is unchanged.",
    ),
    # The Odoo connection (mops.odoo.settings, mops.odoo.client, mops.odoo.provision).
    "odoo_url_invalid": (
        "mops.toml 的 odoo.url 設定「{url}」不是 http 或 https 網址。",
        "odoo.url: '{url}' is not an http(s) address.",
    ),
    "odoo_url_has_path": (
        "mops.toml 的 odoo.url 只要填伺服器位址，不要加上路徑：「{url}」。",
        "odoo.url: give the server address only, without a path: '{url}'.",
    ),
    "odoo_url_hint": (
        '請在 mops.toml 設定，例如 url = "https://odoo.example.com.tw"。',
        'Set it in mops.toml, e.g. url = "https://odoo.example.com.tw".',
    ),
    "odoo_setting_missing": (
        "mops.toml 沒有設定 odoo.{key}。",
        "odoo.{key}: not set in mops.toml.",
    ),
    "odoo_setting_missing_hint": (
        "請在 mops.toml 的 [odoo] 區段填入 {key}，或設定環境變數 {env}。",
        "Set {key} in the [odoo] section of mops.toml, or the environment variable {env}.",
    ),
    "odoo_no_password": (
        "找不到 Odoo 密碼：請設定環境變數 {env}，或將密碼存入系統鑰匙圈"
        "（服務「{service}」，使用者「{user}」）。",
        "No Odoo password: set the environment variable {env}, or store it in the system "
        "keyring (service '{service}', user '{user}').",
    ),
    "odoo_no_password_hint": (
        "mops 不會從活頁簿或設定檔讀取密碼。",
        "mops never reads the password from a workbook or a configuration file.",
    ),
    "odoo_no_answer": (
        "Odoo（{url}）沒有回應 {what} 請求（{error}），已嘗試 {attempts} 次。",
        "Odoo at {url} did not answer {what} ({error}) after {attempts} attempt(s).",
    ),
    "odoo_no_answer_hint": (
        "請確認網路連線正常、Odoo 伺服器正在運作，稍後再執行一次。",
        "Check the network and that the Odoo server is running, then run again.",
    ),
    "odoo_bad_answer": (
        "無法與 Odoo（{url}）正常連線：{error}。",
        "Odoo at {url}: {error}.",
    ),
    "odoo_bad_answer_hint": (
        "請確認 mops.toml 的 odoo.url 是 Odoo 伺服器的位址。",
        "Check that odoo.url in mops.toml is the address of an Odoo server.",
    ),
    "odoo_login_refused": (
        "Odoo（{url}）拒絕了 {login} 登入資料庫 {database}："
        "請確認環境變數 {env} 中的密碼（或 API 金鑰）與使用者。",
        "Odoo at {url} refused the login of '{login}' to database '{database}': check the "
        "password (or API key) in {env}, and the user.",
    ),
    "odoo_session_refused": (
        "Odoo 拒絕了登入或連線階段：{message}。",
        "Odoo refused the login or the session: {message}.",
    ),
    "odoo_session_refused_hint": (
        "請確認密碼（或 API 金鑰）仍然有效，再執行一次。",
        "Check that the password (or API key) is still valid, then run again.",
    ),
    "odoo_server_refused": (
        "Odoo 拒絕了 {model}.{method}（{kind}）：{message}",
        "Odoo {kind} on {model}.{method}: {message}",
    ),
    "odoo_features_off": (
        "Odoo 沒有開啟以下設定：{features}；其他項目都沒有變更。",
        "Odoo did not switch on {features}; nothing else was changed.",
    ),
    "odoo_features_off_hint": (
        "請在 Odoo 的「設定」中開啟後，再執行一次 mops odoo setup。",
        "Switch it on in Odoo's Settings, then run mops odoo setup again.",
    ),
    # Syncing with Odoo (mops.syncing).
    "sync_nothing_sent": ("沒有傳送任何資料到 Odoo。", "Nothing was sent to Odoo."),
    "sync_no_workbook": (
        "指定的路徑中找不到任何活頁簿。",
        "No workbook found in the paths given.",
    ),
    "sync_no_workbook_hint": (
        "請指定 .xlsx 活頁簿，或存放活頁簿的資料夾。",
        "Give .xlsx workbooks, or a folder that holds them.",
    ),
    "plan_file_unreadable": (
        "{path}：無法讀取（{error}）。",
        "{path}: cannot be read ({error}).",
    ),
    "plan_file_unreadable_hint": (
        "請確認 --plan 指定的檔案路徑，以及是否有讀取權限。",
        "Check the path given to --plan, and that the file may be read.",
    ),
    "plan_unreadable": (
        "無法讀取儲存的計畫：{error}。",
        "The saved plan cannot be read: {error}.",
    ),
    "plan_unreadable_hint": (
        "這不是 mops 儲存的計畫檔，或檔案已損毀；請重新產生計畫："
        "mops sync --dry-run --save-plan 計畫檔。",
        "It is not a plan saved by mops, or it is damaged; make a new plan: "
        "mops sync --dry-run --save-plan FILE.",
    ),
    "plan_other_server": (
        "{path}：這份計畫是為 {url} 的資料庫 {database} 產生的。",
        "{path}: the plan was made for {url} database {database}.",
    ),
    "plan_other_server_hint": (
        "目前設定的是 {current_url} 的資料庫 {current_database}；請為它重新產生計畫："
        "mops sync --dry-run --save-plan 計畫檔。",
        "mops.toml points at {current_url} database {current_database}; make a new plan for "
        "it: mops sync --dry-run --save-plan FILE.",
    ),
    "plan_outdated_run": (
        "這份計畫產生後，已有另一次同步執行過（執行編號 {last}，計畫產生時為 {known}）；"
        "沒有寫入任何資料。",
        "Another sync ran since this plan was made (run {last}, the plan knew run {known}); "
        "nothing was written.",
    ),
    "plan_outdated_odoo": (
        "這份計畫產生後，Odoo 上已有 {count} 筆資料變更：{shown}；沒有寫入任何資料。",
        "Odoo changed since this plan was made: {count} record(s) moved: {shown}; "
        "nothing was written.",
    ),
    "plan_outdated_hint": (
        "請重新產生計畫：mops sync --dry-run --save-plan 計畫檔。",
        "Make a new plan: mops sync --dry-run --save-plan FILE.",
    ),
    "odoo_not_provisioned": (
        "Odoo（{url}，資料庫 {database}）上沒有任何 mops 需要的設定資料。",
        "Odoo at {url} (database {database}) has none of the records mops provisions.",
    ),
    "odoo_not_provisioned_hint": (
        "請先執行 mops odoo setup（mops odoo check 會列出缺少的項目）。",
        "Run mops odoo setup first (mops odoo check tells what is missing).",
    ),
    "odoo_lacks_field": (
        "Odoo 的 {model} 缺少 mops 需要的欄位：{message}。",
        "Odoo lacks a field mops needs on {model}: {message}.",
    ),
    "odoo_run_setup_hint": ("請先執行 mops odoo setup。", "Run mops odoo setup first."),
    # The command line's own words (tables, summaries, progress).
    "wrote": (
        "已寫入 {n} 本活頁簿到 {dir}",
        "Wrote {n} workbooks to {dir}",
    ),
    "file": (
        "檔案",
        "File",
    ),
    "workbook": (
        "活頁簿",
        "Workbook",
    ),
    "sheets": (
        "工作表",
        "Sheets",
    ),
    "rows": (
        "列數",
        "Rows",
    ),
    "planted": (
        "刻意埋入的錯誤與檢核結果",
        "Mistakes planted on purpose, and what validation found",
    ),
    "found": (
        "已找到",
        "Found",
    ),
    "validating": (
        "檢核中……",
        "Validating …",
    ),
    "demo_validated": (
        "檢核找到 {found}/{planted} 個刻意埋入的錯誤；"
        "共錯誤 {e} 筆、警告 {w} 筆、提示 {i} 筆（{s:.1f} 秒）。",
        "Validation found {found}/{planted} planted mistakes; "
        "{e} errors, {w} warnings, {i} info in all ({s:.1f} s).",
    ),
    "demo_next": (
        "看完整清單：mops validate {dir}；寫回活頁簿：mops validate {dir} --write-back",
        "Full list: mops validate {dir}; into the workbooks: mops validate {dir} --write-back",
    ),
    "kind": (
        "類型",
        "Kind",
    ),
    "rule": (
        "規則",
        "Rule",
    ),
    "count": (
        "筆數",
        "Count",
    ),
    "demo_done": (
        "示範資料已產生：{n} 本活頁簿，共 {rows} 列，用時 {s:.1f} 秒，位於 {dir}",
        "Demo data written: {n} workbooks, {rows} rows in {s:.1f} s, in {dir}",
    ),
    "odoo_server": (
        "伺服器",
        "Server",
    ),
    "odoo_database": (
        "資料庫",
        "Database",
    ),
    "odoo_version": (
        "版本",
        "Version",
    ),
    "odoo_user": (
        "使用者",
        "User",
    ),
    "odoo_connecting": (
        "連線 Odoo 中……",
        "Connecting to Odoo …",
    ),
    "odoo_reading": (
        "讀取 Odoo 中……",
        "Reading from Odoo …",
    ),
    "odoo_writing": (
        "寫入 Odoo 中……",
        "Writing to Odoo …",
    ),
    "odoo_module": (
        "模組",
        "Module",
    ),
    "odoo_state": (
        "狀態",
        "State",
    ),
    "odoo_installed": (
        "已安裝",
        "installed",
    ),
    "odoo_not_installed": (
        "未安裝",
        "not installed",
    ),
    "odoo_not_found": (
        "找不到",
        "not found",
    ),
    "odoo_access": (
        "存取權限",
        "Access rights",
    ),
    "odoo_access_ok": (
        "存取權限：齊全。",
        "Access rights: complete.",
    ),
    "odoo_access_missing": (
        "缺少的存取權限（請 Odoo 管理員調整使用者群組）",
        "Missing access rights (ask an Odoo administrator to change the user's groups)",
    ),
    "odoo_model": (
        "模型",
        "Model",
    ),
    "odoo_operation": (
        "操作",
        "Operation",
    ),
    "odoo_model_missing": (
        "{model} 不存在（模組未安裝）",
        "{model} does not exist (its module is not installed)",
    ),
    "odoo_provisioned": (
        "mops 設定：已完成。",
        "mops setup: complete.",
    ),
    "odoo_plan_unknown": (
        "mops 設定：無法判斷（使用者不能讀取 ir.model / ir.model.fields / ir.model.data）。",
        "mops setup: unknown (the user may not read ir.model, ir.model.fields or ir.model.data).",
    ),
    "config_default": ("預設", "default"),
    "odoo_setup_pending": (
        "mops 設定：尚有 {n} 項未建立或需更新、{c} 項衝突；請執行 mops odoo setup --dry-run 查看。",
        "mops setup: {n} item(s) to create or update, {c} conflict(s); "
        "run mops odoo setup --dry-run to see them.",
    ),
    "odoo_check_ok": (
        "檢查通過：mops 可以使用這台 Odoo。",
        "Check passed: mops can work with this Odoo.",
    ),
    "odoo_check_failed": (
        "檢查未通過：請處理上列缺少的項目。",
        "Check failed: see what is missing above.",
    ),
    "odoo_action": (
        "動作",
        "Action",
    ),
    "odoo_item": (
        "項目",
        "Item",
    ),
    "odoo_detail": (
        "說明",
        "Detail",
    ),
    "odoo_create": (
        "新增",
        "create",
    ),
    "odoo_enable": (
        "開啟設定",
        "switch on",
    ),
    "odoo_enable_detail": (
        "{label}；{models} 的記錄在開啟後規劃",
        "{label}; the records of {models} are planned once it is on",
    ),
    "odoo_features_done": (
        "已開啟設定：{names}。",
        "Switched on: {names}.",
    ),
    "odoo_update": (
        "更新",
        "update",
    ),
    "odoo_adopt": (
        "沿用",
        "adopt",
    ),
    "odoo_conflict": (
        "衝突",
        "conflict",
    ),
    "odoo_field": (
        "{label}（{type}）",
        "{label} ({type})",
    ),
    "odoo_options": (
        "加入選項 {keys}",
        "add options {keys}",
    ),
    "odoo_index": (
        "建立索引",
        "add an index",
    ),
    "odoo_no_copy": (
        "複製記錄時不複製",
        "not copied with the record",
    ),
    "odoo_set": (
        "{field} = {value}",
        "{field} = {value}",
    ),
    "odoo_link": (
        "連結 {field}：{targets}",
        "link {field}: {targets}",
    ),
    "odoo_adopt_detail": (
        "已有同名記錄 #{id}，加上外部識別碼",
        "record #{id} of the same name exists; give it the external id",
    ),
    "odoo_conflict_model_missing": (
        "模型不存在：請先安裝提供它的模組",
        "no such model: install the module that brings it first",
    ),
    "odoo_conflict_field_type": (
        "欄位已存在，但類型是 {found}，不是 {expected}；mops 不會更改它，請人工處理",
        "the field exists as {found}, not {expected}; "
        "mops does not change it, a person has to decide",
    ),
    "odoo_conflict_xmlid_model": (
        "外部識別碼指向 {found} 的記錄，不是 {expected}",
        "the external id points at a record of {found}, not {expected}",
    ),
    "odoo_nothing": (
        "已全部設定完成，沒有要新增或更新的項目。",
        "Everything is set up; nothing to create or update.",
    ),
    "odoo_dry_run": (
        "試行（--dry-run）：以上為將執行的變更，Odoo 未做任何修改；共 {n} 項。",
        "Dry run: the changes above were not made; {n} in all.",
    ),
    "odoo_setup_done": (
        "設定完成：新增欄位 {fc}、更新欄位 {fu}、新增記錄 {rc}、沿用記錄 {ra}、"
        "更新記錄 {ru}（{calls} 次 RPC，{s:.1f} 秒）。",
        "Setup done: {fc} field(s) created, {fu} updated; "
        "{rc} record(s) created, {ra} adopted, {ru} updated ({calls} RPC calls, {s:.1f} s).",
    ),
    "odoo_setup_conflicts": (
        "有 {n} 項衝突須由人決定（見上表）；mops 不會更改它們。",
        "{n} conflict(s) for a person to decide (see the table); mops leaves them as they are.",
    ),
    "sync_no_paths": (
        "請指定要同步的活頁簿（檔案或資料夾），或用 --plan 指定已存的計畫。",
        "give the workbooks (files or folders) to sync, or a saved plan with --plan.",
    ),
    "sync_no_paths_hint": (
        "例如：mops sync demo --dry-run",
        "For example: mops sync demo --dry-run",
    ),
    "sync_no_state": (
        "{path}：這裡沒有同步紀錄。",
        "{path}: no sync state here.",
    ),
    "sync_no_state_hint": (
        "請先執行 mops sync；或用 --state 指定同步狀態檔。",
        "Run mops sync first, or name the state file with --state.",
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
