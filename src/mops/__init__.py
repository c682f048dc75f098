"""mops: marketing operations toolkit joining Excel workbooks, company policy and Odoo.

The public API is importable from here: ``mops.validate``, ``mops.write_back``, ``mops.sync``,
``mops.demo`` … (documented in docs/api.md). Names are resolved on first use (PEP 562), so
``import mops`` and ``mops --help`` stay quick and load neither polars nor an Odoo client.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# Public name → the module that defines it.
_EXPORTS = {
    "validate": "mops.api",
    "validate_frames": "mops.api",
    "read_workbook_values": "mops.api",
    "write_back": "mops.api",
    "new_workbooks": "mops.api",
    "new_finance_workbook": "mops.api",
    "declared_workbooks": "mops.api",
    "demo": "mops.jobs.demo",
    "sync": "mops.api",
    "sync_log": "mops.api",
    "pull_into": "mops.api",
    "BookPull": "mops.api",
    "odoo_check": "mops.api",
    "odoo_setup": "mops.api",
    "odoo_demo_users": "mops.api",
    "init_config": "mops.api",
    "reconcile": "mops.api",
    "reconcile_frames": "mops.api",
    "ReconcileResult": "mops.reconciling.model",
    "report": "mops.api",
    "nightly": "mops.jobs.nightly",
    "nightly_runs": "mops.jobs.journal",
    "SetupRun": "mops.api",
    "SyncLog": "mops.api",
    "load_config": "mops.config",
    "Config": "mops.config",
    "Report": "mops.validation.results",
    "Finding": "mops.records",
    "Severity": "mops.records",
    "MopsError": "mops.errors",
    "Lang": "mops.schemas.model",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mops' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
