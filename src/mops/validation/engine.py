"""Run a validation: read the files, type the cells, run the rules, collect the findings."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mops.errors import ConfigError, WorkbookError
from mops.schemas.registry import WORKBOOKS
from mops.validation.cells import type_sheet
from mops.validation.context import Context, Dataset, TypedSheet
from mops.validation.findings import Finding, Severity
from mops.validation.registry import load_rules
from mops.workbook import prefetch
from mops.workbook.frames import BookFrames, read_frames
from mops.workbook.prefetch import expand_paths
from mops.workbook.safety import check_workbook_file

MISSING_SHEET = "missing-sheet"


@dataclass
class InputProblem:
    """A file that could not be read at all (exit code 2)."""

    file: str
    message: str


@dataclass
class Report:
    """The outcome of one validation run."""

    findings: list[Finding]
    files: list[str]
    input_problems: list[InputProblem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # sheet key → rows read
    as_of: dt.date | None = None
    seconds: float = 0.0

    def counts(self) -> Counter:
        """Findings counted by (rule id, severity)."""
        return Counter((f.rule_id, str(f.severity)) for f in self.findings)

    @property
    def exit_code(self) -> int:
        """2 when input could not be read, 1 when there are errors, else 0."""
        if self.input_problems or any(
            f.rule_id in ("missing-column", MISSING_SHEET) and f.severity is Severity.ERROR
            for f in self.findings
        ):
            return 2
        return 1 if any(f.severity is Severity.ERROR for f in self.findings) else 0


def _rule_settings(config: dict[str, Any], rules: dict) -> tuple[set[str], dict[str, Severity]]:
    disabled: set[str] = set()
    severities: dict[str, Severity] = {}
    for rule_id, settings in config.get("rules", {}).items():
        if rule_id not in rules and rule_id != MISSING_SHEET:
            raise ConfigError(f'mops.toml: [rules."{rule_id}"] names no rule.')
        if not isinstance(settings, dict):
            raise ConfigError(f'mops.toml: [rules."{rule_id}"] must be a table.')
        if settings.get("enabled", True) is False:
            disabled.add(rule_id)
        if "severity" in settings:
            try:
                severities[rule_id] = Severity(settings["severity"])
            except ValueError as exc:
                raise ConfigError(
                    f'mops.toml: rules."{rule_id}".severity must be error, warning or info.'
                ) from exc
    return disabled, severities


def validate_paths(
    paths: Iterable[Path | str],
    config: dict[str, Any],
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


def validate_dataset(
    paths: Iterable[Path | str],
    config: dict[str, Any],
    *,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    advance: Callable[[int, int], None] | None = None,
) -> tuple[Report, Dataset]:
    """Validate like ``validate_paths``, and also return the typed rows the rules saw."""
    started = time.perf_counter()
    rules = load_rules()
    disabled, severities = _rule_settings(config, rules)
    limits = config["limits"]
    files = expand_paths(paths)
    # Steps: reading each file, typing each file's sheets, and each rule that runs.
    checks = [r for r in rules.values() if r.check is not None and r.id not in disabled]
    total = 2 * len(files) + len(checks)
    done = 0

    def step(message: str | None = None) -> None:
        nonlocal done
        if message is not None and progress:
            progress(message)
        else:
            done += 1
            if advance:
                advance(done, total)

    findings: list[Finding] = []
    problems: list[InputProblem] = []
    books: list[BookFrames] = []
    for path in files:
        step(str(path))
        try:
            check_workbook_file(
                path,
                max_uncompressed_mb=limits["max_uncompressed_mb"],
                max_rows=limits["max_rows"],
            )
            books.append(read_frames(path, prefetch.take(path)))
        except WorkbookError as exc:
            problems.append(InputProblem(str(path), str(exc)))
        step()

    def enabled(rule_id: str) -> bool:
        return rule_id not in disabled

    def severity(rule_id: str) -> Severity:
        return severities.get(rule_id) or rules[rule_id].severity

    sheets: dict[str, list[TypedSheet]] = {}
    rows: Counter = Counter()
    for book in books:
        step(str(book.path))
        for key, frame in book.sheets.items():
            typed = type_sheet(frame, enabled, severity, findings.append, rules.__contains__)
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
    findings.sort(key=lambda f: (f.severity.rank, *f.sort_key()))
    report = Report(
        findings=findings,
        files=[str(p) for p in files],
        input_problems=problems,
        rows=dict(rows),
        as_of=ctx.as_of,
        seconds=time.perf_counter() - started,
    )
    return report, ctx.dataset


MISSING_SHEET_MESSAGES = (
    "活頁簿缺少工作表「{zh}」：請勿刪除或改名工作表，或從 mops 產生的空白活頁簿複製。",
    "The workbook lacks the sheet '{en}': don't delete or rename sheets; copy it from a blank "
    "workbook made by mops.",
)


def _missing_sheets(book: BookFrames) -> list[Finding]:
    """A declared sheet of this workbook that the file does not have."""
    out = []
    for sheet in book.definition.sheets:
        if sheet.key in book.sheets:
            continue
        zh, en = MISSING_SHEET_MESSAGES
        out.append(
            Finding(
                MISSING_SHEET, Severity.ERROR, str(book.path), sheet.key, sheet.zh, None, None,
                None, None, None, zh.format(zh=sheet.zh), en.format(en=sheet.en),
            )
        )  # fmt: skip
    return out


def declared_workbooks() -> list[str]:
    """The file names of the declared workbooks, for messages."""
    return [wb.filename for wb in WORKBOOKS]
