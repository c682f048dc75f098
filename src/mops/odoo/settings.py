"""Where the Odoo server is, who mops logs in as, and where the password comes from.

The URL, database and login live in mops.toml ``[odoo]``; the password or API key never does.
It comes from the environment variable named by ``password_env`` (default MOPS_ODOO_PASSWORD),
or else from the system keyring (service ``mops-odoo``, user ``login@url``) when the optional
``keyring`` package is installed. The secret is held only in memory and never printed or logged;
``OdooSettings`` does not even carry it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from mops.config import Config, env_name
from mops.errors import ConfigError
from mops.i18n import text

KEYRING_SERVICE = "mops-odoo"


@dataclass(frozen=True)
class OdooSettings:
    """The non-secret settings of the Odoo connection."""

    url: str
    database: str
    login: str
    password_env: str = "MOPS_ODOO_PASSWORD"
    verify_tls: bool = True
    timeout_seconds: float = 60
    retry_backoff_seconds: float = 0.5  # the first wait before a retry; then doubled
    protocol: str = "auto"  # "auto" (by the server's version), "jsonrpc" or "json2"

    @property
    def host(self) -> str:
        """The server's host name."""
        return urlsplit(self.url).hostname or ""

    @property
    def https(self) -> bool:
        """Whether the connection is encrypted."""
        return urlsplit(self.url).scheme == "https"

    @property
    def port(self) -> int:
        """The TCP port: explicit in the URL, else 443 for https and 80 for http."""
        parts = urlsplit(self.url)
        return parts.port or (443 if parts.scheme == "https" else 80)


def settings_from_config(config: Config) -> OdooSettings:
    """The settings of mops.toml ``[odoo]``, checked; raises ConfigError naming what is wrong."""
    odoo = config.odoo
    url = odoo.url.strip().rstrip("/")
    if not url:
        raise ConfigError(text("odoo_not_configured"), hint=text("odoo_not_configured_hint"))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(text("odoo_url_invalid", url=url), hint=text("odoo_url_hint"))
    if parts.path not in ("", "/"):
        raise ConfigError(text("odoo_url_has_path", url=url), hint=text("odoo_url_hint"))
    for key in ("database", "login"):
        if not str(getattr(odoo, key)).strip():
            raise ConfigError(
                text("odoo_setting_missing", key=key),
                hint=text("odoo_setting_missing_hint", key=key, env=env_name(f"odoo.{key}")),
            )
    return OdooSettings(
        url=url,
        database=odoo.database.strip(),
        login=odoo.login.strip(),
        password_env=odoo.password_env,
        verify_tls=odoo.verify_tls,
        timeout_seconds=float(odoo.timeout_seconds),
        retry_backoff_seconds=float(odoo.retry_backoff_seconds),
        protocol=odoo.protocol,
    )


def secret(settings: OdooSettings) -> str:
    """The password or API key, from the environment or the keyring; never from a file."""
    value = os.environ.get(settings.password_env)
    if value:
        return value
    try:
        import keyring  # optional: pip install keyring
        from keyring.errors import KeyringError
    except ImportError:
        keyring = None
    if keyring is not None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, f"{settings.login}@{settings.url}")
        except KeyringError:
            value = None
        if value:
            return value
    raise ConfigError(
        text(
            "odoo_no_password",
            env=settings.password_env,
            service=KEYRING_SERVICE,
            user=f"{settings.login}@{settings.url}",
        ),
        hint=text("odoo_no_password_hint"),
    )
