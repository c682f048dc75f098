"""One message catalogue: every message in both languages, the same placeholders, every id used
in the code defined, and no message table left in the code."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from string import Formatter

import pytest

from mops.i18n import catalogue, language, text
from mops.validation.registry import load_rules

SRC = Path(__file__).resolve().parents[1] / "src" / "mops"
MESSAGES = catalogue()


def _fields(template: str) -> list[str]:
    """The placeholders; a value shown in each language (``status_zh``/``status_en``, or
    ``zh``/``en``) counts as one placeholder."""
    names = {name for _, name, _, _ in Formatter().parse(template) if name is not None}
    return sorted({re.sub(r"(^|_)(zh|en)$", r"\1*", name) for name in names})


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_and_the_same_placeholders(key):
    zh, en = MESSAGES[key]
    assert zh.strip() and en.strip(), key
    assert _fields(zh) == _fields(en), key


def test_every_catalogue_file_is_well_formed_and_ids_are_unique():
    folder = resources.files("mops").joinpath("data", "messages")
    seen: dict[str, str] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".toml"):
            continue
        for key, value in tomllib.loads(entry.read_text(encoding="utf-8")).items():
            assert set(value) == {"zh-TW", "en"}, (entry.name, key)
            assert key not in seen, f"{key} in {seen.get(key)} and {entry.name}"
            seen[key] = entry.name
    assert len(seen) == len(MESSAGES)


LITERAL_ID = re.compile(r"""\b(?:text|pair|both|_t)\(\s*(?:lang,\s*)?f?"([^"{}]+)"\s*[,)]""")


def test_every_message_id_the_code_names_exists():
    missing = []
    for path in SRC.rglob("*.py"):
        for key in LITERAL_ID.findall(path.read_text(encoding="utf-8")):
            full = f"sync.{key}" if path.name == "render.py" and "syncing" in str(path) else key
            if full not in MESSAGES:
                missing.append((path.name, key))
    assert not missing


def test_every_rule_has_a_title_and_its_messages_in_the_catalogue():
    for rule in load_rules().values():
        assert rule.title_zh and rule.title_en, rule.id
        assert f"rule.{rule.id}.title" in MESSAGES


def test_no_message_table_is_left_in_the_code():
    # Two-language tables live in the catalogue, not in dicts keyed by language in the code.
    offenders = []
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"Lang\.ZH_TW:\s*[{(]", source) and path.name != "labels.py":
            offenders.append(path.relative_to(SRC))
    assert not offenders


def test_one_way_to_choose_the_language():
    assert text("config_default", "en") == "default"
    with language("en"):
        assert text("config_default") == "default"
        assert text("config_default", "zh-TW") == "預設"
    assert text("config_default") == "預設"
