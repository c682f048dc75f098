"""What the policy asks of the demo: its numbers from the shipped mops.toml, and its rule ids."""

from __future__ import annotations

from datetime import timedelta

from mops.config import defaults

# The policy numbers come from the shipped mops.toml, never from here. Clean rows stay inside
# them with a margin, so a validator using the same defaults finds only the planted mistakes.
_POLICY = defaults()
CADENCE_DAYS: dict[str, int] = dict(_POLICY["customers"]["cadence_days"])
COMPLAINT_SLA = timedelta(hours=_POLICY["service"]["complaint_response_hours"])
INQUIRY_SLA_WORKING_HOURS = _POLICY["service"]["inquiry_response_working_hours"]
WORKDAY_START = int(_POLICY["service"]["working_day_start"].split(":")[0])
WORKDAY_END = int(_POLICY["service"]["working_day_end"].split(":")[0])
EVALUATION_DUE_DAYS = _POLICY["campaigns"]["evaluation_due_days"]
REVIEW_EVERY_DAYS = _POLICY["campaigns"]["progress_review_days"]

# The rules each planted mistake should be reported under.
R_OWNER_KNOWN = "P2-owner-known"
R_ROLE_FITS = "P2-role-fits"
R_PLAN_OVERDUE = "P3-plan-overdue"
R_APPROVAL = "P4.1-approval"
R_TASK_OWNER = "P4.2-task-owner"
R_EVALUATION = "P4.2-evaluation-due"
R_COMPLETE = "P5.2-complete"
R_CADENCE = "P5.3-cadence"
R_TARGETS = "P6.1-targets-add-up"
R_LEGAL = "P6.3-legal-review"
R_OVERDUE = "P6.3-receivable-overdue"
R_SLA = "P7.1-response-sla"
R_APPROVER = "P8.2-approver"
R_AUDIT = "P8.2-audit"
R_OVERSPEND = "P8.3-overspend"
R_ONBOARDING = "P9.1-onboarding"
R_WEIGHTS = "P9.2-weights"
F_EMAIL = "email-format"
F_PHONE = "phone-format"
F_ENUM = "enum"
F_LENIENT_DATE = "assumed"  # read leniently: an info finding says what was assumed
F_DATE_ORDER = "date-order"
