"""mops.toml: shipped defaults, the firm's overrides, and refusal of typos and nonsense."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from mops.config import Config, RuleSetting, defaults, load_config
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
    config = load_config(path, environ={})
    assert config.customers.cadence_days == {"A": 5, "B": 14, "C": 30, "D": 90}
    assert config.rules["P5.3-cadence"] == RuleSetting(enabled=False)
    assert config.source("customers.cadence_days.A") == str(path)
    assert config.source("customers.cadence_days.B") == "default"


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


def test_the_configuration_is_typed_and_frozen():
    config = load_config(environ={})
    assert isinstance(config, Config)
    assert config.expenses.overspend_warn == Decimal("0.90")
    assert config.service.working_days == (1, 2, 3, 4, 5)
    assert str(config.general.tz) == "Asia/Taipei"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.general.language = "en"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.customers.cadence_days["A"] = 1  # type: ignore[index]


def test_the_environment_overrides_the_file_and_says_so(tmp_path):
    path = tmp_path / "mops.toml"
    path.write_text('[odoo]\nurl = "https://file.example"\nlogin = "file"\n', encoding="utf-8")
    environ = {
        "MOPS_ODOO_URL": "https://env.example",
        "MOPS_ODOO_DATABASE": "prod",
        "MOPS_ODOO_VERIFY_TLS": "false",
        "MOPS_ODOO_PASSWORD": "not a setting, ignored",
        "MOPS_SERVICE_WORKING_DAYS": "1,2,3,4,5,6",
    }
    config = load_config(path, environ=environ)
    assert config.odoo.url == "https://env.example"
    assert config.odoo.database == "prod"
    assert config.odoo.login == "file"
    assert config.odoo.verify_tls is False
    assert config.service.working_days == (1, 2, 3, 4, 5, 6)
    assert config.source("odoo.url") == "$MOPS_ODOO_URL"
    assert config.source("odoo.login") == str(path)
    assert config.source("odoo.timeout_seconds") == "default"
    assert not any("not a setting" in str(value) for _, value, _ in config.flat())


@pytest.mark.parametrize(
    ("name", "value"),
    [("MOPS_ODOO_VERIFY_TLS", "maybe"), ("MOPS_LIMITS_MAX_ROWS", "many")],
)
def test_a_bad_environment_value_is_refused_by_its_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_config(environ={name: value})


def test_a_time_zone_that_does_not_exist_is_refused(tmp_path):
    path = tmp_path / "mops.toml"
    path.write_text('[general]\ntimezone = "Asia/Taipie"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"general\.timezone"):
        load_config(path, environ={})


def test_rule_settings_are_checked_when_loaded():
    with pytest.raises(ConfigError, match="severity"):
        load_config(overrides={"rules": {"enum": {"severity": "fatal"}}}, environ={})
    with pytest.raises(ConfigError, match="enable"):
        load_config(overrides={"rules": {"enum": {"enable": False}}}, environ={})


def test_config_show_names_where_each_value_came_from(tmp_path):
    path = tmp_path / "mops.toml"
    path.write_text('[odoo]\nlogin = "bot"\n', encoding="utf-8")
    env = {**os.environ, "MOPS_ODOO_URL": "https://env.example", "MOPS_CONFIG": str(path)}
    env.pop("MOPS_ODOO_LOGIN", None)
    done = subprocess.run(
        [sys.executable, "-m", "mops", "--lang", "en", "config", "show"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True,
    )  # fmt: skip
    lines = {line.split(" = ")[0]: line for line in done.stdout.splitlines() if " = " in line}
    assert "https://env.example" in lines["odoo.url"]
    assert "$MOPS_ODOO_URL" in lines["odoo.url"]
    assert str(path) in lines["odoo.login"]
    assert "default" in lines["odoo.database"]
