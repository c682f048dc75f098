"""mops.toml: shipped defaults, the firm's overrides, and refusal of typos and nonsense."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mops.config import defaults, load_config
from mops.errors import ConfigError


def test_defaults_hold_the_policy_numbers():
    config = defaults()
    assert config["customers"]["cadence_days"] == {"A": 7, "B": 14, "C": 30, "D": 90}
    assert config["service"]["complaint_response_hours"] == 24
    assert config["service"]["inquiry_response_working_hours"] == 8
    assert config["expenses"]["overspend_warn"] == Decimal("0.90")
    assert isinstance(config["expenses"]["overspend_warn"], Decimal)
    assert config["campaigns"]["evaluation_due_days"] == 30
    assert config["staff"]["onboarding_within_days"] == 30


def test_firm_file_overrides_one_value(tmp_path):
    path = tmp_path / "mops.toml"
    path.write_text(
        '[customers.cadence_days]\nA = 5\n[rules."P5.3-cadence"]\nenabled = false\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config["customers"]["cadence_days"] == {"A": 5, "B": 14, "C": 30, "D": 90}
    assert config["rules"]["P5.3-cadence"] == {"enabled": False}


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[expenses]\noverspend_warn = 'high'\n", "expenses.overspend_warn"),
        ("[expenses]\noverspend_warn = 1.2\noverspend_error = 1.0\n", "overspend_warn"),
        ("[customers.cadence_days]\nA = 0\n", "cadence_days.A"),
        ("[general]\nlanguage = 'fr'\n", "general.language"),
        ("[nonsense]\nx = 1\n", "nonsense"),
        ("this is = = not toml", "mops.toml"),
    ],
)
def test_bad_settings_are_refused_by_name(tmp_path, content, needle):
    path = tmp_path / "mops.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert needle in str(info.value)


def test_secrets_have_no_place_in_the_file(tmp_path):
    path = tmp_path / "mops.toml"
    path.write_text('[odoo]\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"odoo\.password"):
        load_config(path)
