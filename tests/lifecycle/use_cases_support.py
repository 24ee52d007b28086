"""Use case drafts the use case tests build on."""

from __future__ import annotations

from portal.domain.use_cases import MetricDraft, UseCaseDraft

RETENTION = UseCaseDraft(
    key="customer-retention",
    title="Call customers before they cancel",
    question="Which customers are about to cancel?",
    business_process="Customer retention",
    business_unit="Consumer sales",
    accountable_executive="Markus.Schneider@example.com ",
    business_owner="bob.business@example.com",
    users="Retention team",
    regulation="GDPR",
    budget=180_000.0,
    staff="2 data scientists",
    metrics=(
        MetricDraft("roc_auc", "model", "at_least", 0.8),
        MetricDraft("retention rate increase", "business", "at_least", 4.0, "%"),
    ),
)
