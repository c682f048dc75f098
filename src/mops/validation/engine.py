"""Run a validation: read the files, type the cells, run the rules, collect the findings."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from mops.config import Config
from mops.errors import ConfigError, WorkbookError
from mops.i18n import pair
from mops.records import Finding, Severity
from mops.validation.cells import type_sheet
from mops.validation.context import Context, Dataset, TypedSheet
from mops.validation.owners import assign_owners
from mops.validation.registry import load_rules
from mops.validation.results import MISSING_SHEET, InputProblem, Report
from mops.workbook import prefetch
from mops.workbook.frames import BookFrames, read_book
from mops.workbook.prefetch import expand_paths


def _rule_settings(config: Config, rules: dict) -> tuple[set[str], dict[str, Severity]]:
    disabled: set[str] = set()
    severities: dict[str, Severity] = {}
    for rule_id, settings in config.rules.items():
        if rule_id not in rules and rule_id != MISSING_SHEET:
            raise ConfigError(f'mops.toml: [rules."{rule_id}"] names no rule.')
        if not settings.enabled:
            disabled.add(rule_id)
        if settings.severity is not None:
            severities[rule_id] = Severity(settings.severity)
    return disabled, severities


def validate_paths(
    paths: Iterable[Path | str],
    config: Config,
    *,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    advance: Callable[[int, int], None] | None = None,
) -> Report:
    """Validate every workbook found at ``paths`` against the declarations and the policy.

    ``progress`` hears what is being done (a file name, a sheet, a rule); ``advance`` hears
    (steps done, steps in all), for a progress bar.
    """
    return validate_dataset(paths, config, as_of=as_of, progress=progress, advance=advance)[0]


class _Steps:
    """Progress reporting: reading each file, typing each file's sheets, each rule that runs."""

    def __init__(self, total: int, progress, advance) -> None:
        self.total, self.done = total, 0
        self.progress, self.advance = progress, advance

    def __call__(self, message: str | None = None) -> None:
        if message is not None:
            if self.progress:
                self.progress(message)
            return
        self.done += 1
        if self.advance:
            self.advance(self.done, self.total)


def read_books(
    files: list[Path], config: Config, steps=None
) -> tuple[list[BookFrames], list[InputProblem]]:
    """Read each workbook file after its safety check; a file that cannot be read is a problem."""
    step = steps or (lambda message=None: None)
    books: list[BookFrames] = []
    problems: list[InputProblem] = []
    for path in files:
        step(str(path))
        try:
            books.append(read_book(path, config.limits, preloaded=prefetch.take(path)))
        except WorkbookError as exc:
            problems.append(InputProblem(str(path), str(exc)))
        step()
    return books, problems


def validate_dataset(
    paths: Iterable[Path | str],
    config: Config,
    *,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    advance: Callable[[int, int], None] | None = None,
) -> tuple[Report, Dataset]:
    """Validate like ``validate_paths``, and also return the typed rows the rules saw."""
    started = time.perf_counter()
    files = expand_paths(paths)
    checks = _checks(config)
    steps = _Steps(2 * len(files) + len(checks), progress, advance)
    books, problems = read_books(files, config, steps)
    report, dataset = validate_books(books, config, as_of=as_of, steps=steps)
    report.files = [str(p) for p in files]
    report.input_problems = problems
    report.seconds = time.perf_counter() - started
    return report, dataset


def _checks(config: Config):
    rules = load_rules()
    disabled, _ = _rule_settings(config, rules)
    return [r for r in rules.values() if r.check is not None and r.id not in disabled]


def validate_books(
    books: list[BookFrames],
    config: Config,
    *,
    as_of: dt.date | None = None,
    steps=None,
) -> tuple[Report, Dataset]:
    """Type the cells and run the rules on workbooks already read (from files or from memory)."""
    started = time.perf_counter()
    step = steps or (lambda message=None: None)
    rules = load_rules()
    disabled, severities = _rule_settings(config, rules)
    checks = [r for r in rules.values() if r.check is not None and r.id not in disabled]
    findings: list[Finding] = []

    def enabled(rule_id: str) -> bool:
        return rule_id not in disabled

    def severity(rule_id: str) -> Severity:
        return severities.get(rule_id) or rules[rule_id].severity

    sheets: dict[str, list[TypedSheet]] = {}
    rows: Counter = Counter()
    for book in books:
        step(str(book.path))
        for key, frame in book.sheets.items():
            typed = type_sheet(
                frame, enabled, severity, findings.append, rules.__contains__, tz=config.general.tz
            )
            sheets.setdefault(key, []).append(typed)
            rows[key] += frame.frame.height
        if enabled(MISSING_SHEET):
            findings.extend(_missing_sheets(book))
        step()
    ctx = Context(
        dataset=Dataset(sheets),
        config=config,
        as_of=as_of or dt.date.today(),
        severities=severities,
        findings=findings,
    )
    present = ctx.dataset.keys()
    for rule in checks:
        step(rule.id)
        if set(rule.needs) <= present:
            ctx.rule = rule
            rule.check(ctx)
        step()
    ctx.rule = None
    findings = assign_owners(findings, ctx.dataset)
    findings.sort(key=lambda f: (f.severity.rank, *f.sort_key()))
    report = Report(
        findings=findings,
        files=[str(b.path) for b in books],
        rows=dict(rows),
        as_of=ctx.as_of,
        seconds=time.perf_counter() - started,
    )
    return report, ctx.dataset


def _missing_sheets(book: BookFrames) -> list[Finding]:
    """A declared sheet of this workbook that the file does not have."""
    out = []
    for sheet in book.definition.sheets:
        if sheet.key in book.sheets:
            continue
        zh, en = pair("missing_sheet")
        out.append(
            Finding(
                MISSING_SHEET, Severity.ERROR, str(book.path), sheet.key, sheet.zh, None, None,
                None, None, None, zh.format(zh=sheet.zh), en.format(en=sheet.en),
            )
        )  # fmt: skip
    return out
