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
    },
}


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
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default="2026-11-26",
    show_default=True,
    help="The day the demo year ends ('today' of the demo).",
)
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
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge deadlines as of this day instead of today, for reproducible results.",
)
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
    with err.status("", spinner="dots") as status:

        def progress(path: str) -> None:
            status.update(path)

        report = validate_paths(
            paths, ctx.obj["config"], as_of=as_of.date() if as_of else None, progress=progress
        )
        if write_back:
            from mops.validation.annotate import annotate_files

            status.update("write-back")
            annotate_files(report, lang)
    if fmt == "json":
        click.echo(to_json(report, lang))
    else:
        render(report, out, lang, limit=limit)
    ctx.exit(report.exit_code)


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
