"""Load mops.toml: the shipped defaults, overlaid with the firm's own file.

Decimals in the file are read as ``Decimal`` (``parse_float``), so thresholds such as
``overspend_warn = 0.90`` never pass through binary floating point. Every key of a firm's file
must exist in the defaults and have the same type; a typo is an error that names the key,
instead of a setting silently ignored.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from mops.errors import ConfigError

CONFIG_ENV = "MOPS_CONFIG"
FILENAME = "mops.toml"
OPEN_TABLES = {("rules",), ("sync", "conflicts")}  # tables whose keys are not fixed in the defaults


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def defaults() -> dict[str, Any]:
    """The shipped default configuration."""
    text = resources.files("mops").joinpath(FILENAME).read_text(encoding="utf-8")
    return _load_toml(text, "mops/" + FILENAME)


def _same_type(default: object, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return type(default) is type(value)
    if isinstance(default, Decimal):
        return isinstance(value, Decimal | int)
    return isinstance(value, type(default))


def _merge(base: dict, over: dict, source: str, path: tuple[str, ...] = ()) -> dict:
    merged = dict(base)
    for key, value in over.items():
        here = (*path, key)
        name = ".".join(here)
        if path in OPEN_TABLES:
            merged[key] = value
            continue
        if key not in base:
            raise ConfigError(f"{source}: unknown setting '{name}'.", hint="Check its spelling.")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: '{name}' must be a table.")
            merged[key] = _merge(base[key], value, source, here)
        elif not _same_type(base[key], value):
            raise ConfigError(
                f"{source}: '{name}' must be {type(base[key]).__name__}, not {value!r}."
            )
        else:
            merged[key] = Decimal(value) if isinstance(base[key], Decimal) else value
    return merged


def find_config_file(explicit: Path | str | None = None) -> Path | None:
    """The firm's configuration file: the given path, $MOPS_CONFIG, or ./mops.toml."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found.")
        return path
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file named by {CONFIG_ENV} not found.")
        return path
    local = Path.cwd() / FILENAME
    return local if local.is_file() else None


def load_config(path: Path | str | None = None) -> dict[str, Any]:
    """The configuration in force: defaults overlaid with the firm's file, if any."""
    config = defaults()
    found = find_config_file(path)
    if found is not None:
        try:
            text = found.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{found}: cannot be read ({exc}).") from exc
        config = _merge(config, _load_toml(text, str(found)), str(found))
    _check(config)
    return config


def _check(config: dict[str, Any]) -> None:
    """Refuse values that cannot be right whatever the firm wants."""
    expenses = config["expenses"]
    if not 0 < expenses["overspend_warn"] <= expenses["overspend_error"]:
        raise ConfigError("expenses: need 0 < overspend_warn <= overspend_error.")
    from mops.schemas.enums import TIER

    cadence = config["customers"]["cadence_days"]
    missing = [o.key for o in TIER.options if o.key not in cadence]
    if missing:
        raise ConfigError(f"customers.cadence_days: no cadence for tier {', '.join(missing)}.")
    for tier, days in cadence.items():
        if not isinstance(days, int) or days <= 0:
            raise ConfigError(f"customers.cadence_days.{tier}: must be a positive whole number.")
    service = config["service"]
    days = service["working_days"]
    if not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise ConfigError("service.working_days: list ISO weekdays, 1 (Monday) to 7 (Sunday).")
    try:
        opens, closes = (
            dt.time.fromisoformat(service[k]) for k in ("working_day_start", "working_day_end")
        )
    except ValueError as exc:
        raise ConfigError('service.working_day_start/end: write times as "09:00".') from exc
    if opens >= closes:
        raise ConfigError("service: working_day_start must come before working_day_end.")
    if config["general"]["language"] not in ("zh-TW", "en"):
        raise ConfigError('general.language: must be "zh-TW" or "en".')
