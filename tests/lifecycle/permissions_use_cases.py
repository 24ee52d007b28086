"""The use case service's methods for tests/test_permission_checks.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal.services.use_cases import UseCaseService
from tests.lifecycle.use_cases_support import RETENTION
from tests.support.builders import CUSTOMERS_KEPT

KEY = "customer-retention"
SUBJECT = f"use_case:{KEY}"
AT = datetime(2026, 11, 2, 9, 0)


def _with_use_case(s) -> UseCaseService:
    """The service over a store holding an approved use case that customer-churn serves,
    with a promise, written directly: no permission check of its own."""
    service = UseCaseService(s.store, s.settings)
    if service.get(KEY) is None:
        with s.store.transaction() as tx:
            case_id = tx.fetch_value(
                "INSERT INTO use_cases (key, title, question, status, proposed_by, proposed_at,"
                " updated_by, updated_at) VALUES ($key, 'Keep customers', 'Who leaves?',"
                " 'approved', 'someone@example.com', $at, 'someone@example.com', $at)"
                " RETURNING id",
                {"key": KEY, "at": AT},
            )
            tx.execute(
                "INSERT INTO use_case_models VALUES ('customer-churn', $id, 'x', $at)",
                {"id": case_id, "at": AT},
            )
            tx.execute(
                "INSERT INTO use_case_benchmarks (use_case_id, kpi, version, baseline, target,"
                " direction, aggregation, unit, rationale, valid_from, set_by, set_at)"
                " VALUES ($id, 'customers kept', 1, 0, 370, 'higher', 'sum', 'customers',"
                " 'Pilot.', DATE '2026-01-01', 'x', $at)",
                {"id": case_id, "at": AT},
            )
    return service


CHECKED: dict = {
    "UseCaseService.propose": (
        lambda s, a: _with_use_case(s).propose(a, replace(RETENTION, key="new-one")),
        "use_case.propose",
        "use_case:new-one",
    ),
    "UseCaseService.may_propose": (
        lambda s, a: _with_use_case(s).may_propose(a),
        "use_case.propose",
        "use_case:new",
    ),
    "UseCaseService.edit": (
        lambda s, a: _with_use_case(s).edit(a, KEY, RETENTION),
        "use_case.edit",
        SUBJECT,
    ),
    "UseCaseService.may_edit": (
        lambda s, a: _with_use_case(s).may_edit(a, KEY),
        "use_case.edit",
        SUBJECT,
    ),
    "UseCaseService.set_status": (
        lambda s, a: _with_use_case(s).set_status(a, KEY, "in_development"),
        "use_case.edit",
        SUBJECT,
    ),
    "UseCaseService.link_model": (
        lambda s, a: _with_use_case(s).link_model(a, KEY, "house-prices"),
        "use_case.edit",
        SUBJECT,
    ),
    "UseCaseService.unlink_model": (
        lambda s, a: _with_use_case(s).unlink_model(a, KEY, "customer-churn"),
        "use_case.edit",
        SUBJECT,
    ),
    "UseCaseService.set_benchmark": (
        lambda s, a: _with_use_case(s).set_benchmark(a, KEY, CUSTOMERS_KEPT),
        "use_case.edit",
        SUBJECT,
    ),
    # The promise becomes the model's benchmark: the model's owners decide.
    "UseCaseService.adopt_benchmark": (
        lambda s, a: _with_use_case(s).adopt_benchmark(a, KEY, "customer-churn", "customers kept"),
        "benchmark.set",
        "customer-churn",
    ),
}
# Every reader sees the use cases, which models serve them, the pipeline and the promises.
PUBLIC = {
    "UseCaseService": {
        "all",
        "get",
        "use_case_of_models",
        "models_by_use_case",
        "serving",
        "serving_use_case",
        "pipeline",
        "benchmark_history",
        "expected_values",
    }
}
