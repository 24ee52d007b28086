"""The sign-off service's methods for tests/test_permission_checks.py."""

from __future__ import annotations

from datetime import datetime

from portal.domain.signoffs import Subject
from portal.services.signoffs import SignOffService

AT = datetime(2026, 11, 1, 9, 0)
VERSION = Subject(model_name="customer-churn", version=2)

CHECKED = {
    "SignOffService.sign": (
        lambda s, a: SignOffService(s.store, s.settings).sign(
            a, "go_live", VERSION, "accountable_executive", "approved", "", "", "perm", AT
        ),
        "signoff.sign",
        "model:customer-churn:2",
    ),
}
# Every reader sees the sign-offs and what waits; roles_for only tells the interface which
# forms to offer (asking may_as per role), sign checks again.
PUBLIC = {
    "SignOffService": {
        "use_case_history",
        "design_state",
        "model_history",
        "model_signoffs",
        "signers",
        "roles_for",
        "unapproved_production",
        "ledger_approvals",
        "open_tasks",
        "pending_summary",
    }
}
