"""docs/policy.md names exactly the registered rules, and sends no reader to the team folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mops.validation.engine import MISSING_SHEET
from mops.validation.registry import load_rules

ROOT = Path(__file__).resolve().parent.parent
POLICY_DOC = ROOT / "docs" / "policy.md"
README = ROOT / "README.md"
DEFAULT_CONFIG = ROOT / "src" / "mops" / "mops.toml"

# A policy rule id: P, the clause, a dash, a name (P5.3-cadence, P2-owner-known).
POLICY_ID = re.compile(r"\bP\d+(?:\.\d+)*-[a-z0-9]+(?:-[a-z0-9]+)*")
# What a rule id looks like inside backticks: a policy id, or lower-case words joined by dashes
# (required, date-order). Sheet keys and config keys are therefore not written this way.
ID_LIKE = re.compile(r"P\d+(?:\.\d+)*-[a-z0-9]+(?:-[a-z0-9]+)*|[a-z]+(?:-[a-z]+)*")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
SECTION = re.compile(r"^## §(\d+)\b", re.M)


def rule_ids() -> set[str]:
    return set(load_rules())


def documented_ids(text: str) -> set[str]:
    """Every rule-id-looking token of the page: in backticks, or a policy id anywhere."""
    inline = INLINE_CODE.findall(FENCE.sub("", text))
    found = {token for token in inline if ID_LIKE.fullmatch(token)}
    return found | set(POLICY_ID.findall(text))


def backticked(text: str) -> set[str]:
    return set(INLINE_CODE.findall(FENCE.sub("", text)))


def sections(text: str) -> dict[str, str]:
    """The text of each "## §N …" section, by N."""
    out = {}
    for match in SECTION.finditer(text):
        end = text.find("\n## ", match.end())
        out[match.group(1)] = text[match.start() : end if end != -1 else len(text)]
    return out


@pytest.fixture(scope="module")
def doc() -> str:
    return POLICY_DOC.read_text(encoding="utf-8")


def test_every_registered_rule_is_documented(doc: str) -> None:
    missing = sorted(rule_ids() - backticked(doc))
    assert not missing, f"docs/policy.md does not describe these registered rules: {missing}"


def test_every_documented_rule_id_is_registered(doc: str) -> None:
    # missing-sheet is reported by the engine itself (not a registered rule) and can be
    # switched off in mops.toml, so the page may name it.
    known = rule_ids() | {MISSING_SHEET}
    unknown = sorted(documented_ids(doc) - known)
    assert not unknown, f"docs/policy.md names rule ids that are not registered: {unknown}"


def test_policy_rules_sit_under_their_section(doc: str) -> None:
    by_section = sections(doc)
    misplaced = []
    for rule in load_rules().values():
        if not rule.policy:
            continue
        number = rule.policy.lstrip("§").split(".")[0]
        if f"`{rule.id}`" not in by_section.get(number, ""):
            misplaced.append(f"{rule.id} ({rule.policy})")
    assert not misplaced, f"not described in their policy section of docs/policy.md: {misplaced}"


@pytest.mark.parametrize("number", [str(n) for n in range(1, 10)])
def test_every_policy_section_is_covered(doc: str, number: str) -> None:
    assert number in sections(doc), f"docs/policy.md has no '## §{number}' section"


def test_policy_doc_does_not_send_readers_to_the_team_folder(doc: str) -> None:
    for needle in ("shared/", "POLICY-MAP", "policy.zh-TW"):
        assert needle not in doc, f"docs/policy.md mentions {needle!r}"


@pytest.mark.parametrize(
    "path",
    [README, DEFAULT_CONFIG, README.parent / "docs" / "findings-json.md"],
    ids=["README.md", "mops.toml", "findings-json.md"],
)
def test_readme_and_config_point_at_the_policy_doc(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # The team folder is off limits to users: nothing a user reads sends them there.
    for needle in ("shared/", "POLICY-MAP", "DESIGN.md"):
        assert needle not in text, f"{path.name} mentions {needle!r}"
    assert "policy.md" in text, f"{path.name} does not point at docs/policy.md"
