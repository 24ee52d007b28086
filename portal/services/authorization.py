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
    return _owners_by_model(store, model_name).get(model_name, ())


def models_owned_by(store: Store, actor: Identity) -> frozenset[str]:
    """The active models the actor owns, read for all models at once."""
    return frozenset(
        name for name, owners in _owners_by_model(store).items() if owns(actor.email, owners)
    )


def _owners_by_model(store: Store, model_name: str | None = None) -> dict[str, tuple[str, ...]]:
    """Owners of one model, or of every active one in a fixed number of queries."""
    catalog = CatalogRepository(store)
    names = [model_name] if model_name else [row["name"] for row in catalog.inventory()]
    tags = group_tags(catalog.effective_tag_rows(model_name))
    governance = GovernanceRepository(store).governance(model_name)
    owners = {}
    for name in names:
        record = governance.get(name) or {}
        owners[name] = model_owners(
            split_list_tag(effective_tags(*tags.get(name, ({}, {}))).get("owner", "")),
            record.get("business_owner", ""),
            record.get("accountable_executive", ""),
        )
    return owners


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


def may_as(
    store: Store, actor: Identity, action: str, subject: str, people: tuple[str, ...]
) -> bool:
    """Whether the actor may take the action on a subject that is not a model (a use case, a
    sign-off in one role): admins may; for owner actions, the people named for the subject;
    otherwise the action's role. The decision is logged with the subject as its model."""
    allowed = is_allowed(action, actor.roles)
    if not allowed and action in MODEL_ACTIONS:
        allowed = is_allowed(action, actor.roles, owns(actor.email, people))
    check = PermissionCheck(action, actor.label, subject, allowed)
    log.log(
        logging.DEBUG if allowed else logging.INFO,
        "%s %s %s on %r",
        check.actor or "(local user)",
        "may" if allowed else "may not",
        action,
        subject,
        extra={"permission_check": check},
    )
    return allowed


def authorize_as(
    store: Store, actor: Identity, action: str, subject: str, people: tuple[str, ...]
) -> None:
    """Raise NotAllowed unless may_as allows it."""
    if not may_as(store, actor, action, subject, people):
        raise NotAllowed(action, ACTION_ROLES[action])
