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
        "planted": "刻意埋入的錯誤（供檢核示範）",
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
        "planted": "Mistakes planted on purpose (for validation to find)",
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
def demo(directory: Path, seed: int, as_of: dt.datetime, force: bool) -> None:
    """Generate a believable year of demo workbooks (no Odoo, no network needed).

    \b
    Example:
      mops demo demo-data --seed 7
    """
    from mops.demo import PLANTED_FILE, write_demo
    from mops.schemas.registry import WORKBOOKS

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
            n = result.counts[wb.key][sheet.key]
            total += n
            table.add_row(wb.title(lang), sheet.name(lang), f"{n:,}")
    out.print(table)
    planted = Table(_t("kind"), _t("rule"), _t("count"), title=_t("planted"))
    for (kind, rule), n in sorted(result.planted_counts.items()):
        planted.add_row(kind, rule, str(n))
    out.print(planted)
    out.print(
        _t("demo_done", n=len(result.files), rows=f"{total:,}", s=result.seconds, dir=directory)
    )


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
        cli.main(args=argv, prog_name="mops", standalone_mode=False)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
