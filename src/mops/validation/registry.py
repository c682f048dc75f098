"""The one place every validation rule is registered, by id.

Field checks (required, type, enum …) run inside the vectorised cell pass and are registered
here with ``check=None``; policy and cross-sheet rules are functions decorated with ``@rule`` in
the modules of ``mops.validation.rules``. Either kind can be switched off or given another
severity in mops.toml (``[rules."P5.3-cadence"] enabled = false``).
"""

from __future__ import annotations

from collections.abc import Callable

from mops.i18n import table
from mops.records import Severity
from mops.validation.context import Context, Rule

RULES: dict[str, Rule] = {}


def register(rule_obj: Rule) -> Rule:
    """Add a rule to the registry; ids are unique."""
    if rule_obj.id in RULES:
        raise ValueError(f"rule {rule_obj.id} registered twice")
    RULES[rule_obj.id] = rule_obj
    return rule_obj


def _made(
    rule_id: str,
    severity: Severity,
    policy: str,
    needs: tuple[str, ...],
    check: Callable[[Context], None] | None,
) -> Rule:
    """A rule with its title and messages from the catalogue (``rule.<id>.title``, ``.<code>``)."""
    messages = table(f"rule.{rule_id}")
    title_zh, title_en = messages.pop("title")
    return Rule(rule_id, severity, policy, title_zh, title_en, messages, needs, check)


def rule(
    rule_id: str,
    *,
    severity: Severity,
    policy: str,
    needs: tuple[str, ...] = (),
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register the decorated function as the check of rule ``rule_id``.

    ``needs`` names the sheets the rule reads; it is skipped when any is absent from the run.
    Its title and messages are in the message catalogue under ``rule.<rule_id>``.
    """

    def decorate(func: Callable[[Context], None]) -> Callable[[Context], None]:
        register(_made(rule_id, severity, policy, needs, func))
        return func

    return decorate


def builtin(rule_id: str, severity: Severity) -> Rule:
    """Register a field check of the cell pass (its messages come from the value parser)."""
    return register(_made(rule_id, severity, "", (), None))


# Field checks of the cell pass. Their messages are made by mops.parsing.
REQUIRED = builtin("required", Severity.ERROR)
TYPE = builtin("type", Severity.ERROR)
ENUM = builtin("enum", Severity.ERROR)
EMAIL = builtin("email-format", Severity.ERROR)
PHONE = builtin("phone-format", Severity.ERROR)
RANGE = builtin("range", Severity.ERROR)
TOO_LONG = builtin("too-long", Severity.ERROR)
FORMAT = builtin("format", Severity.ERROR)
FORMULA = builtin("formula", Severity.ERROR)
ASSUMED = builtin("assumed", Severity.INFO)
DUPLICATE = builtin("duplicate", Severity.ERROR)
MISSING_COLUMN = builtin("missing-column", Severity.ERROR)

# What a sync could not do, reported on the rows concerned (mops.syncing.findings).
SYNC_SKIPPED = builtin("sync-skipped", Severity.WARNING)
SYNC_REFUSED = builtin("sync-refused", Severity.ERROR)
SYNC_CONFLICT = builtin("sync-conflict", Severity.WARNING)
SYNC_ARCHIVED = builtin("sync-archived", Severity.WARNING)

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
