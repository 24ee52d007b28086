"""The cost service's methods for tests/test_permission_checks.py."""

from __future__ import annotations

from datetime import date, datetime

from portal.services.costs import CostService

MODEL = "customer-churn"
MONTH = date(2026, 9, 1)
AT = datetime(2026, 11, 1, 9, 0)
USE_CASE = "cost-check"


def _with_use_case(s) -> CostService:
    """The cost service over a store holding one use case owned by bo@example.com."""
    if s.store.fetch_value("uc", "SELECT count(*) FROM use_cases WHERE key = $k", {"k": USE_CASE}):
        return CostService(s.store, s.settings)
    with s.store.transaction() as tx:
        tx.execute(
            "INSERT INTO use_cases (key, title, question, status, business_owner, proposed_by,"
            " proposed_at, updated_by, updated_at) VALUES ($k, 'Check', 'Why?', 'approved',"
            " 'bo@example.com', 'bo@example.com', $at, 'bo@example.com', $at)",
            {"k": USE_CASE, "at": AT},
        )
    return CostService(s.store, s.settings)


CHECKED = {
    "CostService.set_running_cost": (
        lambda s, a: CostService(s.store, s.settings).set_running_cost(a, MODEL, MONTH, 900.0),
        "cost.set",
        MODEL,
    ),
    "CostService.may_set_running_cost": (
        lambda s, a: CostService(s.store, s.settings).may_set_running_cost(a, MODEL),
        "cost.set",
        MODEL,
    ),
    "CostService.set_development_cost": (
        lambda s, a: _with_use_case(s).set_development_cost(a, USE_CASE, MONTH, 5_000.0),
        "cost.set",
        f"use_case:{USE_CASE}",
    ),
    "CostService.may_set_development_cost": (
        lambda s, a: _with_use_case(s).may_set_development_cost(a, USE_CASE),
        "cost.set",
        f"use_case:{USE_CASE}",
    ),
}
# Every reader sees what the models and use cases cost and return.
PUBLIC = {"CostService": {"returns", "running_cost_months", "development_cost_months"}}
