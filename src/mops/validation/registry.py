"""The one place every validation rule is registered, by id.

Field checks (required, type, enum …) run inside the vectorised cell pass and are registered
here with ``check=None``; policy and cross-sheet rules are functions decorated with ``@rule`` in
the modules of ``mops.validation.rules``. Either kind can be switched off or given another
severity in mops.toml (``[rules."P5.3-cadence"] enabled = false``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mops.records import Severity
from mops.validation.context import Context, Rule

RULES: dict[str, Rule] = {}


def register(rule_obj: Rule) -> Rule:
    """Add a rule to the registry; ids are unique."""
    if rule_obj.id in RULES:
        raise ValueError(f"rule {rule_obj.id} registered twice")
    RULES[rule_obj.id] = rule_obj
    return rule_obj


def rule(
    rule_id: str,
    *,
    severity: Severity,
    policy: str,
    title: tuple[str, str],
    messages: Mapping[str, tuple[str, str]],
    needs: tuple[str, ...] = (),
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register the decorated function as the check of rule ``rule_id``.

    ``needs`` names the sheets the rule reads; it is skipped when any is absent from the run.
    """

    def decorate(func: Callable[[Context], None]) -> Callable[[Context], None]:
        register(Rule(rule_id, severity, policy, title[0], title[1], messages, needs, func))
        return func

    return decorate


def builtin(rule_id: str, severity: Severity, title: tuple[str, str]) -> Rule:
    """Register a field check of the cell pass (its messages come from the value parser)."""
    return register(Rule(rule_id, severity, "", title[0], title[1], {}, (), None))


# Field checks of the cell pass. Their messages are made by mops.parsing.
REQUIRED = builtin("required", Severity.ERROR, ("必填欄位空白", "Required cell is blank"))
TYPE = builtin("type", Severity.ERROR, ("資料類型不符", "Value of the wrong type"))
ENUM = builtin("enum", Severity.ERROR, ("不在選項清單中", "Value not in the list"))
EMAIL = builtin("email-format", Severity.ERROR, ("電子郵件格式錯誤", "Malformed e-mail"))
PHONE = builtin("phone-format", Severity.ERROR, ("電話格式錯誤", "Malformed phone number"))
RANGE = builtin("range", Severity.ERROR, ("超出允許範圍", "Value out of range"))
TOO_LONG = builtin("too-long", Severity.ERROR, ("文字過長", "Text too long"))
FORMAT = builtin("format", Severity.ERROR, ("格式不符", "Value of the wrong form"))
FORMULA = builtin("formula", Severity.ERROR, ("公式沒有計算結果", "Formula without a value"))
ASSUMED = builtin("assumed", Severity.INFO, ("已自動判讀", "Read with an assumption"))
DUPLICATE = builtin("duplicate", Severity.ERROR, ("重複資料", "Duplicate"))
MISSING_COLUMN = builtin("missing-column", Severity.ERROR, ("缺少欄位", "Missing column"))

# What a sync could not do, reported on the rows concerned (mops.syncing.findings).
SYNC_SKIPPED = builtin("sync-skipped", Severity.WARNING, ("未同步的列", "Row not synced"))
SYNC_REFUSED = builtin("sync-refused", Severity.ERROR, ("Odoo 拒絕的記錄", "Refused by Odoo"))
SYNC_CONFLICT = builtin(
    "sync-conflict", Severity.WARNING, ("活頁簿與 Odoo 都改了", "Changed in both places")
)

PROBLEM_RULES = {
    "bad_email": EMAIL.id,
    "bad_phone": PHONE.id,
    "not_in_list": ENUM.id,
    "too_long": TOO_LONG.id,
    "below_minimum": RANGE.id,
    "above_maximum": RANGE.id,
    "formula_without_value": FORMULA.id,
}


def rule_for_problem(code: str) -> str:
    """The rule id under which a value problem of the parser is reported."""
    return PROBLEM_RULES.get(code, TYPE.id)


def load_rules() -> dict[str, Rule]:
    """Import every rule module (registering its rules) and return the registry."""
    from mops.validation import rules  # noqa: F401  (imports register the rules)

    return RULES
