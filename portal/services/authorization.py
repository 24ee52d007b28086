"""Every permission decided in one place: a person's roles and, per model, whether they own it.

Services call `authorize` before they write or read restricted data, and `may` to tell the
interface whether to offer a form (the write checks again). Each decision is logged on
`portal.authorization` with a PermissionCheck, which is also how the tests prove a check ran.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from portal.domain.documentation import effective_tags, split_list_tag
from portal.domain.roles import ACTION_ROLES, MODEL_ACTIONS, is_allowed, model_owners, owns
from portal.errors import NotAllowed
from portal.services.identity import Identity
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Store
from portal.store.governance_repo import GovernanceRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PermissionCheck:
    """One decision: who asked to take which action (on which model), and the answer."""

    action: str
    actor: str
    model_name: str | None
    allowed: bool


def owners_of(store: Store, model_name: str) -> tuple[str, ...]:
    """One model's owners, read from its effective tags and its governance record."""
    rows = CatalogRepository(store).effective_tag_rows(model_name)
    tags = effective_tags(*group_tags(rows).get(model_name, ({}, {})))
    record = GovernanceRepository(store).governance().get(model_name) or {}
    return model_owners(
        split_list_tag(tags.get("owner", "")),
        record.get("business_owner", ""),
        record.get("accountable_executive", ""),
    )


def models_owned_by(store: Store, actor: Identity) -> frozenset[str]:
    """The active models the actor owns, read for all models at once."""
    tags = group_tags(CatalogRepository(store).effective_tag_rows())
    governance = GovernanceRepository(store).governance()
    owned = set()
    for row in CatalogRepository(store).inventory():
        name = row["name"]
        record = governance.get(name) or {}
        owners = model_owners(
            split_list_tag(effective_tags(*tags.get(name, ({}, {}))).get("owner", "")),
            record.get("business_owner", ""),
            record.get("accountable_executive", ""),
        )
        if owns(actor.email, owners):
            owned.add(name)
    return frozenset(owned)


def may(store: Store, actor: Identity, action: str, model_name: str | None = None) -> bool:
    """Whether the actor may take the action (on the model); ownership is read only if needed."""
    allowed = is_allowed(action, actor.roles)
    if not allowed and model_name is not None and action in MODEL_ACTIONS:
        allowed = is_allowed(action, actor.roles, owns(actor.email, owners_of(store, model_name)))
    check = PermissionCheck(action, actor.label, model_name, allowed)
    log.log(
        logging.DEBUG if allowed else logging.INFO,
        "%s %s %s%s",
        check.actor or "(local user)",
        "may" if allowed else "may not",
        action,
        f" on {model_name!r}" if model_name is not None else "",
        extra={"permission_check": check},
    )
    return allowed


def authorize(store: Store, actor: Identity, action: str, model_name: str | None = None) -> None:
    """Raise NotAllowed unless the actor may take the action (on the model)."""
    if not may(store, actor, action, model_name):
        raise NotAllowed(action, ACTION_ROLES[action])
