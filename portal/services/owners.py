"""Who owns a model, for every service that lets owners act on their models."""

from __future__ import annotations

from portal.domain.documentation import effective_tags, split_list_tag
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Store
from portal.store.governance_repo import GovernanceRepository


def model_owners(store: Store, model_name: str) -> tuple[str, ...]:
    """Technical owners (MLflow `owner` tag), and the business owner and accountable executive
    the portal records."""
    rows = CatalogRepository(store).effective_tag_rows(model_name)
    tags = effective_tags(*group_tags(rows).get(model_name, ({}, {})))
    record = GovernanceRepository(store).governance().get(model_name) or {}
    governed = (record.get("business_owner", ""), record.get("accountable_executive", ""))
    return (*split_list_tag(tags.get("owner", "")), *(person for person in governed if person))
