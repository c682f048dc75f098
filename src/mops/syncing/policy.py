"""What the policy adds to the rows before they are planned: reply deadlines, current next steps.

Pure functions of the rows and the configuration, beside the rules they come from: a ticket
without a reply deadline gets the one policy 7.1 sets (``sla_deadline``, the same computation
the rule ``P7.1-response-sla`` judges by), and next steps due long ago stay history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from mops.config import Config
from mops.syncing.mapping import SyncMapping
from mops.syncing.planner import Desired
from mops.validation.rules.service import sla_deadline


def fill_reply_deadlines(desired: Desired, config: Config) -> None:
    """A ticket without a reply deadline gets the one its type's time limit sets (policy 7.1)."""
    for rows in desired.rows.values():
        if not rows or rows[0].source.sheet != "tickets":
            continue
        for index, row in enumerate(rows):
            received = row.values.get("received_at")
            if row.values.get("deadline") is not None or not isinstance(received, dt.datetime):
                continue
            due = sla_deadline(config.service, str(row.values.get("type")), received)
            if due is not None:
                rows[index] = replace(row, values={**row.values, "deadline": due})


def drop_past_next_steps(
    desired: Desired, mapping: SyncMapping, config: Config, as_of: dt.date
) -> None:
    """Next steps due long ago are history, not activities to create in Odoo."""
    since = as_of - dt.timedelta(days=int(config.sync.next_step_days_back))
    for rtype in mapping.types:
        if rtype.model != "mail.activity" or rtype.when is None or rtype.name not in desired.rows:
            continue
        desired.rows[rtype.name] = [
            row
            for row in desired.rows[rtype.name]
            if not isinstance(due := row.values.get(rtype.when), dt.date) or due >= since
        ]
