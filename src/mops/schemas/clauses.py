"""The policy clause behind each rule a column declaration names.

A column says which policy rule requires it (``policy=("P5.2-complete",)``), so that validation
reports a blank cell under that rule. People are shown the clause itself (§5.2), never the rule
id: the Guide sheet and the header comments read it here. The rules are registered above the
schemas (``mops.validation``), so the clause is declared again at the ground;
tests/test_writer.py checks that both agree.
"""

from __future__ import annotations

RULE_CLAUSES: dict[str, str] = {
    "P4.2-task-owner": "§4.2",
    "P5.2-complete": "§5.2",
}


def clause(rule_id: str) -> str:
    """The policy clause (``§5.2``) of a rule a column declaration names."""
    try:
        return RULE_CLAUSES[rule_id]
    except KeyError:
        raise KeyError(f"no policy clause declared for rule {rule_id!r}") from None
