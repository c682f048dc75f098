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
from mops.records import Finding, Severity, SheetFrame
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
    files: list[Path],
    config: Config,
    steps=None,
    on_sheet: Callable[[SheetFrame], object] = lambda frame: None,
) -> tuple[list[BookFrames], list[InputProblem]]:
    """Read each workbook file after its safety check; a file that cannot be read is a problem.

    Files the background has parsed already are read first (the books come back in the order
    of ``files`` all the same); ``on_sheet`` is as for ``read_book``.
    """
    step = steps or (lambda message=None: None)
    books: dict[Path, BookFrames] = {}
    problems: dict[Path, InputProblem] = {}
    for path in prefetch.parsed_first(files):
        step(str(path))
        try:
            books[path] = read_book(
                path, config.limits, preloaded=prefetch.take(path), on_sheet=on_sheet
            )
        except WorkbookError as exc:
            problems[path] = InputProblem(str(path), str(exc))
        step()
    return [books[p] for p in files if p in books], [problems[p] for p in files if p in problems]


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
    checking = _Checking(config)
    steps = _Steps(2 * len(files) + len(checking.checks), progress, advance)
    # Each sheet is typed as soon as it is read, while the next ones may still be parsing.
    books, problems = read_books(files, config, steps, on_sheet=checking.type)
    report, dataset = checking.finish(books, as_of=as_of, steps=steps)
    report.files = [str(p) for p in files]
    report.input_problems = problems
    report.seconds = time.perf_counter() - started
    return report, dataset


class _Checking:
    """The rules in force under a configuration, the sheets typed so far and their findings."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rules = load_rules()
        self.disabled, self.severities = _rule_settings(config, self.rules)
        self.checks = [
            r for r in self.rules.values() if r.check is not None and r.id not in self.disabled
        ]
        # id of a sheet's frame → the sheet typed and its findings (kept apart until ``finish``:
        # a book whose later sheet cannot be read reports that alone, like a book never read)
        self.typed: dict[int, tuple[TypedSheet, list[Finding]]] = {}

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def severity(self, rule_id: str) -> Severity:
        return self.severities.get(rule_id) or self.rules[rule_id].severity

    def type(self, frame: SheetFrame) -> tuple[TypedSheet, list[Finding]]:
        """The sheet's cells typed as declared (once), and what the cell pass found there."""
        done = self.typed.get(id(frame))
        if done is None or done[0].source is not frame:
            found: list[Finding] = []
            typed = type_sheet(
                frame, self.enabled, self.severity, found.append, self.rules.__contains__,
                tz=self.config.general.tz,
            )  # fmt: skip
            done = self.typed[id(frame)] = (typed, found)
        return done

    def finish(
        self, books: list[BookFrames], *, as_of: dt.date | None = None, steps=None
    ) -> tuple[Report, Dataset]:
        """Type what is not typed yet, run the rules over the whole dataset, make the report.

        The findings are those of ``books`` only, in the same order whatever order the sheets
        were typed in.
        """
        started = time.perf_counter()
        step = steps or (lambda message=None: None)
        findings: list[Finding] = []
        sheets: dict[str, list[TypedSheet]] = {}
        rows: Counter = Counter()
        for book in books:
            step(str(book.path))
            for key, frame in book.sheets.items():
                typed, found = self.type(frame)
                sheets.setdefault(key, []).append(typed)
                findings.extend(found)
                rows[key] += frame.frame.height
            if self.enabled(MISSING_SHEET):
                findings.extend(_missing_sheets(book))
            step()
        ctx = Context(
            dataset=Dataset(sheets),
            config=self.config,
            as_of=as_of or dt.date.today(),
            severities=self.severities,
            findings=findings,
        )
        present = ctx.dataset.keys()
        for rule in self.checks:
            step(rule.id)
            if set(rule.needs) <= present:
                ctx.rule = rule
                rule.check(ctx)
            step()
        ctx.rule = None
        ordered = assign_owners(findings, ctx.dataset)
        ordered.sort(key=lambda f: (f.severity.rank, *f.sort_key()))
        report = Report(
            findings=ordered,
            files=[str(b.path) for b in books],
            rows=dict(rows),
            as_of=ctx.as_of,
            seconds=time.perf_counter() - started,
        )
        return report, ctx.dataset


def validate_books(
    books: list[BookFrames],
    config: Config,
    *,
    as_of: dt.date | None = None,
    steps=None,
) -> tuple[Report, Dataset]:
    """Type the cells and run the rules on workbooks already read (from files or from memory)."""
    return _Checking(config).finish(books, as_of=as_of, steps=steps)


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
