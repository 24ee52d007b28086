"""Test data built in code: people with roles, promises (benchmark drafts) and KPI rows.

The base registry (tests.support.catalog_fixture) makes anna.schmidt@example.com the technical
owner of customer-churn; nobody else owns a model until a test names them in the portal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from portal.domain.value import BenchmarkDraft
from portal.services.identity import Identity
from portal.store.database import Store


def person(name: str, email: str, *roles: str) -> Identity:
    """A signed-in person: a viewer, plus the given roles (administrators are experts too)."""
    granted = {"viewer", *roles}
    if "admin" in granted:
        granted.add("expert")
    return Identity(name, email, frozenset(granted))


OWNER = person("Anna Schmidt", "anna.schmidt@example.com")  # owns customer-churn
EXPERT = person("Erika Expert", "erika@example.com", "expert")
VIEWER = person("Vera Viewer", "vera@example.com")
READER = person("Rita Reader", "rita@example.com")
OTHER = person("Otto Other", "otto@example.com", "expert")  # owns no model
BUSINESS = person("Bob Business", "bob.business@example.com")  # owns nothing until named
ADMIN = person("Ada Admin", "ada@example.com", "admin")

# customer-churn's promises: customers kept per month (a flow, summed), and the retention rate
# (a level, averaged), each with a money value per unit.
CUSTOMERS_KEPT = BenchmarkDraft(
    kpi="customers kept",
    baseline=0.0,
    target=370.0,
    direction="higher",
    aggregation="sum",
    unit="customers",
    money_per_unit=50.0,
    rationale="Pilot kept 370 a month.",
    valid_from=date(2026, 1, 1),
)
RETENTION_RATE = BenchmarkDraft(
    kpi="retention rate",
    baseline=71.0,
    target=75.0,
    direction="higher",
    aggregation="mean",
    unit="%",
    money_per_unit=1200.0,
    rationale="Pilot kept 4 points more customers.",
    valid_from=date(2026, 1, 15),
)


def promise(base: BenchmarkDraft = CUSTOMERS_KEPT, **changes: object) -> BenchmarkDraft:
    """A promise like base with some fields changed (a revision, a bad draft)."""
    return replace(base, **changes)


def kpi_file(rows: Iterable[tuple[str, str, str, float]]) -> bytes:
    """A KPI CSV (model, kpi, period as YYYY-MM, value) as an upload or the API receives it."""
    lines = ["model,kpi,period,value", *(f"{m},{k},{p},{v}" for m, k, p, v in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def observe(store: Store, rows: Iterable[tuple[str, str, date, str, float]]) -> None:
    """Store KPI observations (model, kpi, month, segment, value) directly, as a load would."""
    with store.transaction() as tx:
        tx.execute_rows(
            "INSERT INTO kpi_observations SELECT r.model, r.kpi, r.period, r.segment, r.value,"
            " '', 0 FROM (SELECT unnest($rows) AS r)",
            [
                {"model": m, "kpi": k, "period": p, "segment": s, "value": v}
                for m, k, p, s, v in rows
            ],
        )
        tx.bump_data_version()
