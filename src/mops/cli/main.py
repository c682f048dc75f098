"""The ``mops`` command: each subcommand parses options, calls one library function, renders.

Errors from mops (``MopsError``) are printed as one clear line with their exit code, never as a
traceback. Messages follow ``--lang`` (zh-TW by default, or the configuration's language).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mops import __version__
from mops.config import load_config
from mops.errors import MopsError, TargetExistsError
from mops.i18n import current_lang, text
from mops.schemas.model import Lang

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

LANG_CHOICE = click.Choice([lang.value for lang in Lang])

CLI_TEXT = {
    Lang.ZH_TW: {
        "wrote": "已寫入 {n} 本活頁簿到 {dir}",
        "file": "檔案",
        "workbook": "活頁簿",
        "sheets": "工作表",
        "rows": "列數",
        "planted": "刻意埋入的錯誤與檢核結果",
        "found": "已找到",
        "validating": "檢核中……",
        "demo_validated": "檢核找到 {found}/{planted} 個刻意埋入的錯誤；"
        "共錯誤 {e} 筆、警告 {w} 筆、提示 {i} 筆（{s:.1f} 秒）。",
        "demo_next": "看完整清單：mops validate {dir}；"
        "寫回活頁簿：mops validate {dir} --write-back",
        "kind": "類型",
        "rule": "規則",
        "count": "筆數",
        "demo_done": "示範資料已產生：{n} 本活頁簿，共 {rows} 列，用時 {s:.1f} 秒，位於 {dir}",
        "odoo_server": "伺服器",
        "odoo_database": "資料庫",
        "odoo_version": "版本",
        "odoo_user": "使用者",
        "odoo_connecting": "連線 Odoo 中……",
        "odoo_reading": "讀取 Odoo 中……",
        "odoo_writing": "寫入 Odoo 中……",
        "odoo_module": "模組",
        "odoo_state": "狀態",
        "odoo_installed": "已安裝",
        "odoo_not_installed": "未安裝",
        "odoo_not_found": "找不到",
        "odoo_access": "存取權限",
        "odoo_access_ok": "存取權限：齊全。",
        "odoo_access_missing": "缺少的存取權限（請 Odoo 管理員調整使用者群組）",
        "odoo_model": "模型",
        "odoo_operation": "操作",
        "odoo_model_missing": "{model} 不存在（模組未安裝）",
        "odoo_provisioned": "mops 設定：已完成。",
        "odoo_not_provisioned": "mops 設定：尚有 {n} 項未建立或需更新、{c} 項衝突；"
        "請執行 mops odoo setup --dry-run 查看。",
        "odoo_plan_unknown": "mops 設定：無法判斷（使用者不能讀取 ir.model / ir.model.fields / "
        "ir.model.data）。",
        "odoo_check_ok": "檢查通過：mops 可以使用這台 Odoo。",
        "odoo_check_failed": "檢查未通過：請處理上列缺少的項目。",
        "odoo_action": "動作",
        "odoo_item": "項目",
        "odoo_detail": "說明",
        "odoo_create": "新增",
        "odoo_enable": "開啟設定",
        "odoo_enable_detail": "{label}；{models} 的記錄在開啟後規劃",
        "odoo_features_done": "已開啟設定：{names}。",
        "odoo_update": "更新",
        "odoo_adopt": "沿用",
        "odoo_conflict": "衝突",
        "odoo_field": "{label}（{type}）",
        "odoo_options": "加入選項 {keys}",
        "odoo_index": "建立索引",
        "odoo_no_copy": "複製記錄時不複製",
        "odoo_set": "{field} = {value}",
        "odoo_link": "連結 {field}：{targets}",
        "odoo_adopt_detail": "已有同名記錄 #{id}，加上外部識別碼",
        "odoo_conflict_model_missing": "模型不存在：請先安裝提供它的模組",
        "odoo_conflict_field_type": "欄位已存在，但類型是 {found}，不是 {expected}；"
        "mops 不會更改它，請人工處理",
        "odoo_conflict_xmlid_model": "外部識別碼指向 {found} 的記錄，不是 {expected}",
        "odoo_nothing": "已全部設定完成，沒有要新增或更新的項目。",
        "odoo_dry_run": "試行（--dry-run）：以上為將執行的變更，Odoo 未做任何修改；共 {n} 項。",
        "odoo_setup_done": "設定完成：新增欄位 {fc}、更新欄位 {fu}、新增記錄 {rc}、沿用記錄 {ra}、"
        "更新記錄 {ru}（{calls} 次 RPC，{s:.1f} 秒）。",
        "odoo_setup_conflicts": "有 {n} 項衝突須由人決定（見上表）；mops 不會更改它們。",
    },
    Lang.EN: {
        "wrote": "Wrote {n} workbooks to {dir}",
        "file": "File",
        "workbook": "Workbook",
        "sheets": "Sheets",
        "rows": "Rows",
        "planted": "Mistakes planted on purpose, and what validation found",
        "found": "Found",
        "validating": "Validating …",
        "demo_validated": "Validation found {found}/{planted} planted mistakes; {e} errors, "
        "{w} warnings, {i} info in all ({s:.1f} s).",
        "demo_next": "Full list: mops validate {dir}; into the workbooks: mops validate {dir} "
        "--write-back",
        "kind": "Kind",
        "rule": "Rule",
        "count": "Count",
        "demo_done": "Demo data written: {n} workbooks, {rows} rows in {s:.1f} s, in {dir}",
        "odoo_server": "Server",
        "odoo_database": "Database",
        "odoo_version": "Version",
        "odoo_user": "User",
        "odoo_connecting": "Connecting to Odoo …",
        "odoo_reading": "Reading from Odoo …",
        "odoo_writing": "Writing to Odoo …",
        "odoo_module": "Module",
        "odoo_state": "State",
        "odoo_installed": "installed",
        "odoo_not_installed": "not installed",
        "odoo_not_found": "not found",
        "odoo_access": "Access rights",
        "odoo_access_ok": "Access rights: complete.",
        "odoo_access_missing": "Missing access rights (ask an Odoo administrator to change the "
        "user's groups)",
        "odoo_model": "Model",
        "odoo_operation": "Operation",
        "odoo_model_missing": "{model} does not exist (its module is not installed)",
        "odoo_provisioned": "mops setup: complete.",
        "odoo_not_provisioned": "mops setup: {n} item(s) to create or update, {c} conflict(s); "
        "run mops odoo setup --dry-run to see them.",
        "odoo_plan_unknown": "mops setup: unknown (the user may not read ir.model, "
        "ir.model.fields or ir.model.data).",
        "odoo_check_ok": "Check passed: mops can work with this Odoo.",
        "odoo_check_failed": "Check failed: see what is missing above.",
        "odoo_action": "Action",
        "odoo_item": "Item",
        "odoo_detail": "Detail",
        "odoo_create": "create",
        "odoo_enable": "switch on",
        "odoo_enable_detail": "{label}; the records of {models} are planned once it is on",
        "odoo_features_done": "Switched on: {names}.",
        "odoo_update": "update",
        "odoo_adopt": "adopt",
        "odoo_conflict": "conflict",
        "odoo_field": "{label} ({type})",
        "odoo_options": "add options {keys}",
        "odoo_index": "add an index",
        "odoo_no_copy": "not copied with the record",
        "odoo_set": "{field} = {value}",
        "odoo_link": "link {field}: {targets}",
        "odoo_adopt_detail": "record #{id} of the same name exists; give it the external id",
        "odoo_conflict_model_missing": "no such model: install the module that brings it first",
        "odoo_conflict_field_type": "the field exists as {found}, not {expected}; mops does not "
        "change it, a person has to decide",
        "odoo_conflict_xmlid_model": "the external id points at a record of {found}, "
        "not {expected}",
        "odoo_nothing": "Everything is set up; nothing to create or update.",
        "odoo_dry_run": "Dry run: the changes above were not made; {n} in all.",
        "odoo_setup_done": "Setup done: {fc} field(s) created, {fu} updated; {rc} record(s) "
        "created, {ra} adopted, {ru} updated ({calls} RPC calls, {s:.1f} s).",
        "odoo_setup_conflicts": "{n} conflict(s) for a person to decide (see the table); "
        "mops leaves them as they are.",
    },
}


def as_of_option(help_text: str, default: str | None = None):
    """The --as-of option: the day deadlines are judged against, as YYYY-MM-DD."""
    return click.option(
        "--as-of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def _t(key: str, **params: object) -> str:
    return CLI_TEXT[current_lang.get()][key].format(**params)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of messages (zh-TW, en).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A mops.toml to use instead of ./mops.toml or $MOPS_CONFIG.",
)
@click.version_option(__version__, prog_name="mops")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, config_path: Path | None) -> None:
    """mops: marketing operations workbooks, company policy and Odoo 17, joined.

    \b
    Examples:
      mops demo                      # write the demo workbooks into ./demo
      mops workbooks new --out wb    # write the blank workbook suite into ./wb
      mops --lang en workbooks new   # the same, with English headers and messages
    """
    config = load_config(config_path)
    ctx.obj = {"config": config}
    current_lang.set(Lang(lang or config["general"]["language"]))


@cli.group()
def workbooks() -> None:
    """Blank workbooks generated from the declarations."""


@workbooks.command("new")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--lang", "wb_lang", type=LANG_CHOICE, default=None, help="Header language.")
@click.option("--force", is_flag=True, help="Overwrite workbooks that already exist.")
def workbooks_new(out_dir: Path, wb_lang: str | None, force: bool) -> None:
    """Write the blank workbook suite into a folder.

    \b
    Example:
      mops workbooks new --lang en --out blank-en
    """
    from mops.schemas.registry import WORKBOOKS
    from mops.workbook.writer import write_workbook

    lang = Lang(wb_lang) if wb_lang else current_lang.get()
    targets = [out_dir / wb.filename for wb in WORKBOOKS]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise TargetExistsError(
            text("target_exists", path=", ".join(str(p) for p in existing)),
            hint=text("target_exists_hint"),
        )
    table = Table(_t("file"), _t("workbook"), _t("sheets"))
    for wb, path in zip(WORKBOOKS, targets, strict=True):
        write_workbook(wb, path, lang=lang)
        table.add_row(str(path), wb.title(lang), "、".join(s.name(lang) for s in wb.sheets))
    out.print(table)
    out.print(_t("wrote", n=len(targets), dir=out_dir))


@workbooks.command("list")
def workbooks_list() -> None:
    """List the declared workbooks, their sheets and column counts."""
    from mops.schemas.registry import WORKBOOKS

    lang = current_lang.get()
    table = Table(_t("file"), _t("workbook"), _t("sheets"))
    for wb in WORKBOOKS:
        sheets = "\n".join(f"{s.name(lang)} ({len(s.columns)})" for s in wb.sheets)
        table.add_row(wb.filename, wb.title(lang), sheets)
    out.print(table)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="demo")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
@as_of_option("The day the demo year ends ('today' of the demo).", default="2026-11-26")
@click.option("--force", is_flag=True, help="Write into a folder that holds other workbooks.")
@click.pass_context
def demo(ctx: click.Context, directory: Path, seed: int, as_of: dt.datetime, force: bool) -> None:
    """Generate a believable demo year, validate it, and show what was found.

    Writes the six workbooks (and planted.json, the list of mistakes planted on purpose) into
    DIRECTORY, validates them against the policy as of --as-of, and reports, kind by kind,
    whether validation found the planted mistakes. Needs no Odoo and no network.

    \b
    Example:
      mops demo demo-data --seed 7
    """
    from mops.demo import PLANTED_FILE, check_planted, write_demo
    from mops.schemas.registry import WORKBOOKS
    from mops.validation.engine import validate_paths
    from mops.validation.report import totals

    lang = current_lang.get()
    existing = [directory / wb.filename for wb in WORKBOOKS if (directory / wb.filename).exists()]
    if existing and not force and not (directory / PLANTED_FILE).exists():
        # Only a folder mops demo made before may be overwritten without --force.
        raise TargetExistsError(
            text("target_exists", path=", ".join(str(p) for p in existing)),
            hint=text("target_exists_hint"),
        )
    result = write_demo(directory, lang=lang, seed=seed, as_of=as_of.date())
    table = Table(_t("workbook"), _t("sheets"), _t("rows"), title=str(directory))
    total = 0
    for wb in WORKBOOKS:
        for sheet in wb.sheets:
            n = result.counts.get(sheet.key, 0)
            total += n
            table.add_row(wb.title(lang), sheet.name(lang), f"{n:,}")
    out.print(table)
    out.print(_t("demo_done", n=len(WORKBOOKS), rows=f"{total:,}", s=result.seconds, dir=directory))
    workbook_files = [directory / wb.filename for wb in WORKBOOKS]
    with err.status(_t("validating")):
        report = validate_paths(workbook_files, ctx.obj["config"], as_of=as_of.date())
    checks = check_planted(result.data, report.findings)
    planted = Table(_t("kind"), _t("rule"), _t("count"), _t("found"), title=_t("planted"))
    for check in checks:
        style = "green" if check.found == check.planted else "bold red"
        planted.add_row(check.kind, check.rule_id, str(check.planted), f"[{style}]{check.found}[/]")
    out.print(planted)
    t = totals(report)
    found = sum(c.found for c in checks)
    out.print(
        _t(
            "demo_validated",
            found=found,
            planted=sum(c.planted for c in checks),
            e=t["error"],
            w=t["warning"],
            i=t["info"],
            s=report.seconds,
        )
    )
    out.print(_t("demo_next", dir=directory))
    missed = [c for c in checks if c.found < c.planted]
    if missed or report.input_problems:
        ctx.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option("Judge deadlines as of this day instead of today, for reproducible results.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (schema mops.findings/1, see docs/findings-json.md) for tools.",
)
@click.option("--write-back", is_flag=True, help="Annotate each workbook with its findings.")
@click.option("--lang", "msg_lang", type=LANG_CHOICE, default=None, help="Language of findings.")
@click.option("--limit", type=int, default=50, show_default=True, help="Findings listed; 0 = all.")
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_of: dt.datetime | None,
    fmt: str,
    write_back: bool,
    msg_lang: str | None,
    limit: int,
) -> None:
    """Check workbooks against their declared layout and the company policy.

    PATHS are workbooks or folders of workbooks. Exit code: 0 no errors, 1 findings of
    severity error, 2 a file that could not be read.

    \b
    Examples:
      mops validate demo
      mops validate customers.xlsx staff.xlsx --as-of 2026-11-26 --write-back
      mops validate demo --format json --lang en > findings.json
    """
    from mops.workbook import prefetch

    # Parse in the background while the validation engine (polars, rules) is imported.
    prefetch.start(prefetch.expand_paths(paths), ctx.obj["config"]["limits"])
    from mops.validation.engine import validate_paths
    from mops.validation.report import render, to_json

    if msg_lang:
        current_lang.set(Lang(msg_lang))
    lang = current_lang.get()
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    # A bar on stderr, shown only on a terminal (transient): files read, sheets typed, rules run.
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    )  # fmt: skip
    with bar:
        task = bar.add_task("", total=None)
        report = validate_paths(
            paths,
            ctx.obj["config"],
            as_of=as_of.date() if as_of else None,
            progress=lambda message: bar.update(task, description=message[-40:]),
            advance=lambda done, total: bar.update(task, completed=done, total=total),
        )
        if write_back:
            from mops.validation.annotate import annotate_files

            bar.update(task, description="write-back", total=None)
            annotate_files(report, lang)
    if fmt == "json":
        click.echo(to_json(report, lang))
    else:
        render(report, out, lang, limit=limit)
    ctx.exit(report.exit_code)


class _DefaultGroup(click.Group):
    """A command group that runs ``run`` when no subcommand is named."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert the default command unless a subcommand or --help comes first."""
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("sync", cls=_DefaultGroup)
def sync_group() -> None:
    """Sync customers, contacts and opportunities with Odoo 17, both ways.

    mops sync PATHS… (the same as mops sync run PATHS…) validates the workbooks, compares them
    with Odoo and with the last sync, and applies the plan: creates, updates, conflicts
    reported, rows with errors skipped. mops sync log shows what past runs changed.

    \b
    Examples:
      mops sync demo --dry-run                 # show the plan only
      mops sync demo --dry-run --save-plan p.json && mops sync --plan p.json
      mops sync customers.xlsx staff.xlsx      # apply
      mops sync log demo --limit 50
    """


@sync_group.command("run")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing to Odoo.")
@click.option(
    "--save-plan",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Save the plan as JSON, to review and apply later with --plan.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Apply a saved plan (refused if Odoo changed since it was made).",
)
@as_of_option("Validate as of this day instead of today.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sync state file (default: .mops-sync.sqlite beside the first workbook).",
)
@click.option("--limit", type=int, default=30, show_default=True, help="Rows listed; 0 = all.")
@click.option(
    "--no-pull-back",
    is_flag=True,
    help="Leave the workbooks as they are (Odoo ids, stages and Odoo's edits are not written).",
)
@click.option("--lang", "msg_lang", type=LANG_CHOICE, default=None, help="Language of messages.")
@click.pass_context
def sync_run(
    ctx: click.Context,
    paths: tuple[Path, ...],
    dry_run: bool,
    save_plan: Path | None,
    plan_file: Path | None,
    as_of: dt.datetime | None,
    state_path: Path | None,
    limit: int,
    no_pull_back: bool,
    msg_lang: str | None,
) -> None:
    """Sync workbooks (files or folders) with Odoo: plan, then apply.

    After applying, what Odoo owns (Odoo ids, stages, won/lost, done activities, edits made in
    Odoo) is written into the workbooks, cell by cell, only where the row still holds the same
    record, with a backup in .mops-backups/ beside each workbook.

    Exit code: 0 all in step, 1 conflicts or rows skipped or refused, 2 unreadable input or an
    outdated saved plan, 3 Odoo unreachable or the login refused. The Odoo password comes from
    the environment variable named in mops.toml [odoo] (MOPS_ODOO_PASSWORD) or the keyring.

    \b
    Examples:
      mops sync demo --dry-run
      mops sync demo --as-of 2026-11-26
      mops sync --plan plan.json --state demo/.mops-sync.sqlite
    """
    from mops.sync.render import render_outcome
    from mops.sync.run import sync_paths

    if msg_lang:
        current_lang.set(Lang(msg_lang))
    lang = current_lang.get()
    if not paths and plan_file is None:
        raise click.UsageError("give the workbooks (files or folders), or --plan FILE")
    with err.status("", spinner="dots") as status:
        outcome = sync_paths(
            paths,
            ctx.obj["config"],
            dry_run=dry_run,
            plan_file=plan_file,
            save_plan=save_plan,
            as_of=as_of.date() if as_of else None,
            state_path=state_path,
            progress=status.update,
            pull_back=not no_pull_back,
        )
    render_outcome(outcome, out, lang, limit=limit, saved=str(save_plan) if save_plan else "")
    ctx.exit(outcome.exit_code)


@sync_group.command("log")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sync state file (default: .mops-sync.sqlite in PATH's folder).",
)
@click.option("--run", "run_id", type=int, default=None, help="Only this run's changes.")
@click.option("--limit", type=int, default=50, show_default=True, help="Entries listed; 0 = all.")
@click.option("--lang", "msg_lang", type=LANG_CHOICE, default=None, help="Language of messages.")
def sync_log(
    path: Path, state_path: Path | None, run_id: int | None, limit: int, msg_lang: str | None
) -> None:
    """Show past sync runs and what they changed, record by record, with the workbook row.

    PATH is the folder of the workbooks (or one of them).

    \b
    Examples:
      mops sync log demo
      mops sync log demo --run 3 --limit 0
    """
    from mops.errors import InputError
    from mops.sync.render import render_log
    from mops.sync.state import FILENAME, StateStore

    if msg_lang:
        current_lang.set(Lang(msg_lang))
    if state_path is None:
        state_path = (path if path.is_dir() else path.parent) / FILENAME
    if not state_path.is_file():
        raise InputError(f"{state_path}: no sync state here.", hint="Run mops sync first.")
    with StateStore(state_path) as state:
        runs = state.runs(limit=10 if run_id is None else 1000)
        if run_id is not None:
            runs = [r for r in runs if r.run_id == run_id]
        entries = state.journal(run_id=run_id, limit=limit)
    render_log(runs, entries, out, current_lang.get())


@cli.group("config")
def config_group() -> None:
    """The configuration in force (mops.toml)."""


@config_group.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print the configuration in force, defaults included."""
    config = ctx.obj["config"]

    def walk(table: dict, prefix: str = "") -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                out.print(f"{prefix}{key} = {value!s}")

    walk(config)


@cli.group()
def odoo() -> None:
    """Odoo 17: check the connection and provision what mops needs.

    The server, database and login come from mops.toml [odoo]; the password or API key from the
    environment variable named by odoo.password_env (MOPS_ODOO_PASSWORD) or the system keyring.

    \b
    Examples:
      mops odoo check
      mops odoo setup --dry-run
    """


def _odoo_client(ctx: click.Context):
    """A logged-in client for the configured server; the secret is never printed."""
    from mops.odoo.client import JsonRpcClient
    from mops.odoo.settings import secret, settings_from_config

    settings = settings_from_config(ctx.obj["config"])
    password = secret(settings)
    with err.status(_t("odoo_connecting")):
        return JsonRpcClient(settings, password)


@odoo.command("check")
@click.pass_context
def odoo_check(ctx: click.Context) -> None:
    """Check the server, the user's access rights, the modules and the mops setup.

    Reads only. Exit code 0 when mops has everything it needs, 1 when a module, an access
    right or part of the setup is missing, 3 when Odoo cannot be reached or refuses the login.

    \b
    Example:
      MOPS_ODOO_PASSWORD=… mops odoo check
    """
    from mops.odoo.check import check_server

    client = _odoo_client(ctx)
    with err.status(_t("odoo_reading")):
        report = check_server(client)
    for key, value in (
        ("odoo_server", report.url),
        ("odoo_database", report.database),
        ("odoo_version", report.server_version),
        ("odoo_user", f"{report.user_name} ({report.user_login})"),
    ):
        out.print(Text(f"{_t(key)}: {value}"))
    modules = Table(_t("odoo_module"), _t("odoo_state"))
    for name, state in report.modules.items():
        if name in report.missing_modules:
            shown = f"[bold red]{_t('odoo_not_installed') if state else _t('odoo_not_found')}[/]"
        else:
            shown = f"[green]{_t('odoo_installed')}[/]"
        modules.add_row(name, shown)
    out.print(modules)
    for model in report.missing_models:
        out.print(f"[bold red]{_t('odoo_model_missing', model=model)}[/]")
    if report.missing_access:
        access = Table(_t("odoo_model"), _t("odoo_operation"), title=_t("odoo_access_missing"))
        for model, operation in report.missing_access:
            access.add_row(model, operation)
        out.print(access)
    else:
        out.print(_t("odoo_access_ok"))
    if report.plan is None:
        out.print(f"[bold red]{_t('odoo_plan_unknown')}[/]")
    elif report.plan.empty:
        out.print(_t("odoo_provisioned"))
    else:
        plan = report.plan
        out.print(
            f"[bold red]{_t('odoo_not_provisioned', n=plan.changes, c=len(plan.conflicts))}[/]"
        )
    out.print(_t("odoo_check_ok") if report.ok else f"[bold red]{_t('odoo_check_failed')}[/]")
    ctx.exit(0 if report.ok else 1)


def _plan_rows(plan) -> list[tuple[str, str, str, str]]:
    """(action, model, item, detail) of every change and conflict of a setup plan."""
    rows = []
    for feature in plan.features:
        detail = _t("odoo_enable_detail", label=feature.label, models=", ".join(feature.models))
        rows.append((_t("odoo_enable"), "res.config.settings", feature.setting, detail))
    for change in plan.fields:
        spec = change.spec
        if change.action == "create":
            detail = _t("odoo_field", label=spec.label, type=spec.type)
        else:
            parts = []
            if change.new_options:
                parts.append(_t("odoo_options", keys=", ".join(change.new_options)))
            if change.changes.get("index"):
                parts.append(_t("odoo_index"))
            if change.changes.get("copied") is False:
                parts.append(_t("odoo_no_copy"))
            detail = "; ".join(parts)
        rows.append((_t(f"odoo_{change.action}"), spec.model, spec.name, detail))
    module = plan.spec.module
    for change in plan.records:
        spec = change.spec
        parts = [spec.name] if change.action == "create" else []
        if change.action == "adopt":
            parts.append(_t("odoo_adopt_detail", id=change.res_id))
        parts += [_t("odoo_set", field=k, value=v) for k, v in change.changes.items()]
        parts += [_t("odoo_link", field=k, targets=", ".join(v)) for k, v in change.links.items()]
        item = f"{module}.{spec.xmlid}"
        rows.append((_t(f"odoo_{change.action}"), spec.model, item, "; ".join(parts)))
    for conflict in plan.conflicts:
        detail = _t(
            f"odoo_conflict_{conflict.kind}", expected=conflict.expected, found=conflict.found
        )
        rows.append((_t("odoo_conflict"), conflict.model, conflict.name, detail))
    return rows


@odoo.command("setup")
@click.option("--dry-run", is_flag=True, help="Show what would be created; change nothing.")
@click.pass_context
def odoo_setup(ctx: click.Context, dry_run: bool) -> None:
    """Create the custom fields and records mops needs in Odoo (integrations/odoo/).

    Looks every field and record up first (records by their external id mops.…), so running
    it again creates nothing. A field that exists with another type is a conflict: it is
    reported, never changed. Exit code 0 when everything is set up, 1 when a conflict is
    left, 3 when Odoo cannot be reached or refuses a change.

    \b
    Examples:
      mops odoo setup --dry-run
      mops --lang en odoo setup
    """
    from mops.odoo.provision import apply_setup, load_spec, plan_setup

    spec = load_spec()
    client = _odoo_client(ctx)
    with err.status(_t("odoo_reading")):
        plan = plan_setup(client, spec)
    rows = _plan_rows(plan)
    if rows:
        table = Table(_t("odoo_action"), _t("odoo_model"), _t("odoo_item"), _t("odoo_detail"))
        for action, model, item, detail in rows:
            style = "bold red" if action == _t("odoo_conflict") else ""
            table.add_row(Text(action, style=style), model, item, Text(detail))
        out.print(table)
    if plan.empty:
        out.print(_t("odoo_nothing"))
    elif plan.changes and dry_run:
        out.print(_t("odoo_dry_run", n=plan.changes))
    elif plan.changes:
        with err.status(_t("odoo_writing")):
            result = apply_setup(client, plan)
        if plan.features:
            names = ", ".join(f.label for f in plan.features)
            out.print(_t("odoo_features_done", names=names))
        out.print(
            _t(
                "odoo_setup_done",
                fc=result.fields_created,
                fu=result.fields_updated,
                rc=result.records_created,
                ra=result.records_adopted,
                ru=result.records_updated,
                calls=result.calls,
                s=result.seconds,
            )
        )
    if plan.conflicts:
        out.print(f"[bold red]{_t('odoo_setup_conflicts', n=len(plan.conflicts))}[/]")
    ctx.exit(1 if plan.conflicts else 0)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a MopsError becomes one line on stderr and its exit code."""
    try:
        code = cli.main(args=argv, prog_name="mops", standalone_mode=False)
    except MopsError as exc:
        # Text, not markup: a message may hold "[sheet]" brackets that rich would swallow.
        err.print(Text.assemble(("mops: ", "bold red"), str(exc)))
        return exc.exit_code
    except click.exceptions.Abort:
        err.print("mops: aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    # Without standalone mode click returns ctx.exit()'s code, or the command's return value.
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
