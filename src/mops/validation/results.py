"""The outcome of a validation run as a value: findings, files, counts, exit code, JSON.

The JSON form is described in docs/findings-json.md; its ``schema`` field names the version,
and fields are only ever added to it, never renamed or removed, within a version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from mops.records import Finding, Severity
from mops.schemas.model import Lang

JSON_SCHEMA = "mops.findings/1"
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

    @property
    def totals(self) -> dict[str, int]:
        """Findings counted by severity: {"error": n, "warning": n, "info": n}."""
        counts = Counter(str(f.severity) for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def to_json(self, lang: Lang | str = Lang.ZH_TW) -> str:
        """The report as JSON in the documented schema ``mops.findings/1``."""
        from mops import __version__

        by_rule: dict[str, dict[str, int]] = {}
        for (rule_id, level), n in sorted(self.counts().items()):
            by_rule.setdefault(rule_id, {})[level] = n
        document = {
            "schema": JSON_SCHEMA,
            "mops_version": __version__,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "language": str(Lang(lang)),
            "files": self.files,
            "rows": self.rows,
            "input_problems": [{"file": p.file, "message": p.message} for p in self.input_problems],
            "summary": {**self.totals, "by_rule": by_rule},
            "exit_code": self.exit_code,
            "findings": [f.as_dict(lang) for f in self.findings],
        }
        return json.dumps(document, ensure_ascii=False, indent=2)
