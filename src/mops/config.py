"""The one configuration object: shipped defaults, the firm's mops.toml, then the environment.

``load_config()`` returns a frozen, typed ``Config``, loaded once by the caller (the CLI, the
nightly job, an Excel macro) and passed down; nothing below reads a file or the environment for
settings. Layers, each overriding only what it names:

1. the defaults shipped inside mops (``mops/mops.toml``, every key commented);
2. the firm's file: ``--config``, ``$MOPS_CONFIG`` or ``./mops.toml``;
3. the environment: ``MOPS_<TABLE>_<KEY>`` for every plain setting (``MOPS_ODOO_URL``,
   ``MOPS_ODOO_DATABASE``, ``MOPS_ODOO_LOGIN``, ``MOPS_GENERAL_LANGUAGE`` …), so a service
   can be configured without a file;
4. ``overrides``, a table given by the program itself (tests, embedding code).

Decimals are read as ``Decimal`` (``parse_float``), so thresholds such as ``overspend_warn =
0.90`` never pass through binary floating point. Every key must exist in the defaults and have
their type: a typo is an error that names the key, not a setting silently ignored. Secrets have no
key at all: the Odoo password comes from the environment variable ``odoo.password_env`` names, or
the keyring. ``Config.sources`` says where each value came from (``mops config show``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mops.errors import ConfigError

CONFIG_ENV = "MOPS_CONFIG"
ENV_PREFIX = "MOPS_"
FILENAME = "mops.toml"
OPEN_TABLES = {("rules",), ("sync", "conflicts")}  # tables whose keys are not fixed in the defaults
DEFAULT = "default"
SEVERITIES = ("error", "warning", "info")


# ---------------------------------------------------------------------------------------------
# The typed object


@dataclass(frozen=True)
class General:
    """``[general]``: language, the firm's time zone and currency."""

    language: str
    timezone: str
    currency: str
    currency_decimals: int

    @property
    def tz(self) -> ZoneInfo:
        """The firm's time zone, in which the workbooks' date-times are written."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Research:
    """``[research]``, policy §3."""

    report_every_months: int


@dataclass(frozen=True)
class Campaigns:
    """``[campaigns]``, policy §4."""

    progress_review_days: int
    evaluation_due_days: int


@dataclass(frozen=True)
class Customers:
    """``[customers]``, policy §5: contact cadence by tier."""

    cadence_days: Mapping[str, int]


@dataclass(frozen=True)
class Sales:
    """``[sales]``, policy §6."""

    receivable_grace_days: int


@dataclass(frozen=True)
class Service:
    """``[service]``, policy §7: response time limits and the working week."""

    complaint_response_hours: int
    inquiry_response_working_hours: int
    working_day_start: str
    working_day_end: str
    working_days: tuple[int, ...]
    effectiveness_check_days: int


@dataclass(frozen=True)
class Expenses:
    """``[expenses]``, policy §8."""

    claim_within_days: int
    overspend_warn: Decimal
    overspend_error: Decimal


@dataclass(frozen=True)
class Staff:
    """``[staff]``, policy §9."""

    onboarding_within_days: int


@dataclass(frozen=True)
class Validation:
    """``[validation]``: how findings are written back into the workbooks."""

    paint_info: bool


@dataclass(frozen=True)
class Reports:
    """``[reports]``: where a firm's own templates are, Minguo dates, the browser for PDF."""

    templates: str
    minguo_dates: bool
    browser: str


@dataclass(frozen=True)
class Limits:
    """``[limits]``: protection against files that would exhaust the machine."""

    max_uncompressed_mb: int
    max_rows: int


@dataclass(frozen=True)
class RuleSetting:
    """``[rules."<id>"]``: a rule switched off, or given another severity."""

    enabled: bool = True
    severity: str | None = None


@dataclass(frozen=True)
class Sync:
    """``[sync]``: how records are synced with Odoo."""

    next_step_days_back: int
    lease_wait_seconds: int
    lease_ttl_seconds: int
    workers: int
    conflicts: Mapping[str, str]


@dataclass(frozen=True)
class Odoo:
    """``[odoo]``: where the server is and who mops logs in as (never the password)."""

    url: str
    database: str
    login: str
    password_env: str
    verify_tls: bool
    timeout_seconds: int
    retry_backoff_seconds: Decimal
    protocol: str


@dataclass(frozen=True)
class Schedule:
    """``[schedule]``: when ``mops schedule`` runs each job, in the firm's time zone."""

    timezone: str
    nightly: str
    pull_every_minutes: int
    pull_from: str
    pull_until: str
    pull_days: tuple[int, ...]
    weekly_reports_day: int
    weekly_reports_time: str
    retries: int
    retry_backoff_seconds: int
    log_file: str
    log_max_kb: int
    log_backups: int

    @property
    def tz(self) -> ZoneInfo:
        """The zone the times are written in (``[general] timezone`` unless set here)."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Mail:
    """``[mail]``: the morning digest's SMTP server and who gets the run summary."""

    host: str
    port: int
    tls: str
    sender: str
    login: str
    password_env: str
    summary_to: tuple[str, ...]
    english: tuple[str, ...]


SECTIONS: dict[str, type] = {
    "general": General,
    "research": Research,
    "campaigns": Campaigns,
    "customers": Customers,
    "sales": Sales,
    "service": Service,
    "expenses": Expenses,
    "staff": Staff,
    "validation": Validation,
    "reports": Reports,
    "limits": Limits,
    "sync": Sync,
    "odoo": Odoo,
    "schedule": Schedule,
    "mail": Mail,
}


@dataclass(frozen=True)
class Config:
    """The configuration in force: every policy number and setting, typed and frozen."""

    general: General
    research: Research
    campaigns: Campaigns
    customers: Customers
    sales: Sales
    service: Service
    expenses: Expenses
    staff: Staff
    validation: Validation
    reports: Reports
    limits: Limits
    rules: Mapping[str, RuleSetting]
    sync: Sync
    odoo: Odoo
    schedule: Schedule
    mail: Mail
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def updated(self, section: str, **values: Any) -> Config:
        """A copy with some values of one table replaced (for programs and tests)."""
        if section not in SECTIONS:
            raise ConfigError(f"unknown setting '{section}'.")
        table = getattr(self, section)
        try:
            new = dataclasses.replace(table, **values)
        except TypeError as exc:
            raise ConfigError(f"{section}: {exc}") from exc
        sources = dict(self.sources) | {f"{section}.{k}": "program" for k in values}
        return dataclasses.replace(self, **{section: new}, sources=MappingProxyType(sources))

    def as_dict(self) -> dict[str, Any]:
        """Every setting as plain tables, in the file's order (for ``mops config show``)."""
        out: dict[str, Any] = {}
        for name in (f.name for f in dataclasses.fields(self) if f.name != "sources"):
            value = getattr(self, name)
            if name == "rules":
                out[name] = {
                    rule_id: {k: v for k, v in dataclasses.asdict(s).items() if v is not None}
                    for rule_id, s in value.items()
                }
            else:
                out[name] = {
                    f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                }
        return out

    def flat(self) -> list[tuple[str, object, str]]:
        """(dotted key, value, where it came from) for every plain setting."""
        rows: list[tuple[str, object, str]] = []

        def walk(table: Mapping[str, Any], prefix: str) -> None:
            for key, value in table.items():
                name = f"{prefix}{key}"
                if isinstance(value, Mapping):
                    walk(value, name + ".")
                else:
                    rows.append((name, value, self.source(name)))

        walk(self.as_dict(), "")
        return rows

    def source(self, key: str) -> str:
        """Where a dotted key's value came from: "default", a file, or $VARIABLE."""
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            found = self.sources.get(".".join(parts[:n]))
            if found:
                return found
        return DEFAULT


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value


# ---------------------------------------------------------------------------------------------
# Loading


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def defaults() -> dict[str, Any]:
    """The shipped default configuration, as plain tables."""
    text = resources.files("mops").joinpath(FILENAME).read_text(encoding="utf-8")
    return _load_toml(text, "mops/" + FILENAME)


def _same_type(default: object, value: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return type(default) is type(value)
    if isinstance(default, Decimal):
        return isinstance(value, Decimal | int)
    return isinstance(value, type(default))


def _merge(
    base: dict,
    over: Mapping,
    source: str,
    sources: dict[str, str],
    path: tuple[str, ...] = (),
) -> dict:
    merged = dict(base)
    for key, value in over.items():
        here = (*path, key)
        name = ".".join(here)
        if path in OPEN_TABLES:
            merged[key] = value
            sources[name] = source
            continue
        if key not in base:
            raise ConfigError(f"{source}: unknown setting '{name}'.", hint="Check its spelling.")
        if isinstance(base[key], dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{source}: '{name}' must be a table.")
            merged[key] = _merge(base[key], value, source, sources, here)
        elif not _same_type(base[key], value):
            raise ConfigError(
                f"{source}: '{name}' must be {type(base[key]).__name__}, not {value!r}."
            )
        else:
            merged[key] = Decimal(value) if isinstance(base[key], Decimal) else value
            sources[name] = source
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


def env_name(dotted: str) -> str:
    """The environment variable that overrides a setting: odoo.url → MOPS_ODOO_URL."""
    return ENV_PREFIX + dotted.replace(".", "_").upper()


def _env_value(default: object, raw: str, name: str) -> object:
    """A variable's text read as the type of the setting's default."""
    raw = raw.strip()
    try:
        if isinstance(default, bool):
            low = raw.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, Decimal):
            return Decimal(raw)
        if isinstance(default, list):
            return [int(part) for part in raw.replace(" ", "").split(",") if part]
    except (ValueError, InvalidOperation) as exc:
        kind = "true or false" if isinstance(default, bool) else type(default).__name__
        raise ConfigError(f"${name}: must be {kind}, not {raw!r}.") from exc
    return raw


def _from_environment(base: dict, environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings named by MOPS_<TABLE>_<KEY> variables, as a table to merge."""
    found: dict[str, Any] = {}

    def walk(table: dict, path: tuple[str, ...]) -> None:
        if path in OPEN_TABLES:
            return
        for key, default in table.items():
            here = (*path, key)
            if isinstance(default, dict):
                walk(default, here)
                continue
            name = env_name(".".join(here))
            if name in environ:
                target = found
                for part in path:
                    target = target.setdefault(part, {})
                target[key] = _env_value(default, environ[name], name)

    walk(base, ())
    return found


def _merge_env(config: dict, environ: Mapping[str, str], sources: dict[str, str]) -> dict:
    """Merge the environment's settings, each source named by its own variable."""
    table = _from_environment(config, environ)

    def walk(over: dict, path: tuple[str, ...]) -> None:
        for key, value in over.items():
            here = (*path, key)
            if isinstance(value, dict):
                walk(value, here)
            else:
                sources[".".join(here)] = "$" + env_name(".".join(here))

    merged = _merge(config, table, "environment", {})
    walk(table, ())
    return merged


def load_config(
    path: Path | str | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """The configuration in force: defaults, the firm's file, the environment, ``overrides``."""
    sources: dict[str, str] = {}
    config = defaults()
    found = find_config_file(path)
    if found is not None:
        try:
            text = found.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{found}: cannot be read ({exc}).") from exc
        config = _merge(config, _load_toml(text, str(found)), str(found), sources)
    config = _merge_env(config, os.environ if environ is None else environ, sources)
    if overrides:
        config = _merge(config, overrides, "overrides", sources)
    _check(config)
    return _typed(config, sources)


def _typed(config: dict[str, Any], sources: dict[str, str]) -> Config:
    """The checked tables as the frozen ``Config``."""
    tables: dict[str, Any] = {}
    for name, cls in SECTIONS.items():
        values = dict(config[name])
        if name == "customers":
            values["cadence_days"] = MappingProxyType(dict(values["cadence_days"]))
        elif name == "service":
            values["working_days"] = tuple(values["working_days"])
        elif name == "mail":
            values["summary_to"] = tuple(values["summary_to"])
            values["english"] = tuple(values["english"])
        elif name == "schedule":
            values["pull_days"] = tuple(values["pull_days"])
            values["timezone"] = values["timezone"] or config["general"]["timezone"]
        elif name == "sync":
            values["conflicts"] = MappingProxyType(dict(values.get("conflicts", {})))
        tables[name] = cls(**values)
    rules = {rule_id: RuleSetting(**settings) for rule_id, settings in config["rules"].items()}
    return Config(**tables, rules=MappingProxyType(rules), sources=MappingProxyType(dict(sources)))


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
    general = config["general"]
    if general["language"] not in ("zh-TW", "en"):
        raise ConfigError('general.language: must be "zh-TW" or "en".')
    try:
        ZoneInfo(general["timezone"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"general.timezone: {general['timezone']!r} is not a time zone.",
            hint='Write an IANA name such as "Asia/Taipei".',
        ) from exc
    if not 1 <= config["sync"]["workers"] <= 32:
        raise ConfigError("sync.workers: a whole number of parallel calls from 1 to 32.")
    _check_schedule(config["schedule"])
    if config["mail"]["tls"] not in ("starttls", "ssl", "none"):
        raise ConfigError('mail.tls: must be "starttls", "ssl" or "none".')
    if config["odoo"]["protocol"] not in ("auto", "jsonrpc", "json2"):
        raise ConfigError('odoo.protocol: must be "auto", "jsonrpc" or "json2".')
    backoff = config["odoo"]["retry_backoff_seconds"]
    if not (backoff.is_finite() and 0 <= backoff <= 60):
        raise ConfigError("odoo.retry_backoff_seconds: a number of seconds from 0 to 60.")
    if not 0 <= general["currency_decimals"] <= 6:
        raise ConfigError("general.currency_decimals: a whole number from 0 to 6.")
    for rule_id, settings in config["rules"].items():
        if not isinstance(settings, Mapping):
            raise ConfigError(f'mops.toml: [rules."{rule_id}"] must be a table.')
        unknown = set(settings) - {"enabled", "severity"}
        if unknown:
            raise ConfigError(
                f'mops.toml: [rules."{rule_id}"] has no setting {", ".join(sorted(unknown))}.',
                hint="A rule takes enabled = true/false and severity = error/warning/info.",
            )
        if not isinstance(settings.get("enabled", True), bool):
            raise ConfigError(f'mops.toml: rules."{rule_id}".enabled must be true or false.')
        if settings.get("severity", "error") not in SEVERITIES:
            raise ConfigError(
                f'mops.toml: rules."{rule_id}".severity must be error, warning or info.'
            )


def _check_schedule(schedule: Mapping[str, Any]) -> None:
    """The scheduler's times, days and zone must be readable."""
    for key in ("nightly", "pull_from", "pull_until", "weekly_reports_time"):
        try:
            dt.time.fromisoformat(schedule[key])
        except ValueError as exc:
            raise ConfigError(f'schedule.{key}: write a time as "02:00".') from exc
    days = schedule["pull_days"]
    if not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise ConfigError("schedule.pull_days: list ISO weekdays, 1 (Monday) to 7 (Sunday).")
    if not 1 <= schedule["weekly_reports_day"] <= 7:
        raise ConfigError("schedule.weekly_reports_day: an ISO weekday, 1 (Monday) to 7 (Sunday).")
    if schedule["pull_every_minutes"] < 0 or schedule["retries"] < 0:
        raise ConfigError("schedule: pull_every_minutes and retries cannot be negative.")
    if schedule["timezone"]:
        try:
            ZoneInfo(schedule["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"schedule.timezone: {schedule['timezone']!r} is not a time zone.",
                hint='Write an IANA name such as "Asia/Taipei", or leave it empty.',
            ) from exc
