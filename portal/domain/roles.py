"""Who may do what: roles from configured e-mail addresses and groups, and the action table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ROLES: tuple[str, ...] = ("viewer", "expert", "owner", "admin")

# The design's table: each write or restricted read and the role it needs. 'owner' means an
# owner of the model concerned; admins may do everything.
ACTION_ROLES: dict[str, str] = {
    "feedback.submit": "expert",
    "feedback.triage": "owner",
    "model.history.read": "owner",
    "benchmark.set": "owner",
    "risk.assess": "owner",
    "governance.edit": "owner",
    "kpis.import": "admin",
    "sync.start": "admin",
    "drift.run": "admin",
    "data_status.read": "admin",
    "audit.read": "admin",
    "people.upload": "admin",
    "report.export": "viewer",
    # The lifecycle. Use cases have owners too: their business owner and accountable executive
    # (and who proposed them) own them as a model's owners own the model.
    "use_case.propose": "expert",
    "use_case.edit": "owner",
    "signoff.sign": "owner",  # and only in a role the person holds for the subject
    "review.record": "owner",
    "incident.report": "viewer",  # anyone signed in
    "incident.update": "owner",
    "cost.set": "owner",
    "notifications.read": "admin",  # the log of every notification sent
    "notifications.send": "admin",
    "notifications.mute": "viewer",  # a person mutes only their own kinds
}
# Actions an owner of the model concerned may take without the role itself.
MODEL_ACTIONS = frozenset(
    action for action, role in ACTION_ROLES.items() if role in ("owner", "expert")
)


@dataclass(frozen=True)
class RoleRules:
    """Configured entries per role: e-mail addresses, or 'group:<name>' for a group."""

    admins: tuple[str, ...] = ()
    experts: tuple[str, ...] = ()
    viewers: tuple[str, ...] = ()  # empty: everyone signed in may view


def granted_roles(email: str, groups: Iterable[str], rules: RoleRules) -> frozenset[str]:
    """Global roles of a signed-in person; ownership is per model and decided per action."""
    person = {email.strip().casefold()} | {
        "group:" + group.strip().casefold() for group in groups if group.strip()
    }
    roles = set()
    if _matches(person, rules.admins):
        roles |= {"admin", "expert", "viewer"}
    if _matches(person, rules.experts):
        roles |= {"expert", "viewer"}
    if not rules.viewers or _matches(person, rules.viewers):
        roles.add("viewer")
    return frozenset(roles)


def is_allowed(action: str, roles: frozenset[str], owns_model: bool = False) -> bool:
    """Whether a person with these roles (and owning the model or not) may take the action."""
    needed = ACTION_ROLES[action]
    if "admin" in roles:
        return True
    if needed == "owner":
        return owns_model
    if needed == "expert":
        # Owners of a model know it best: they may report on it like an expert.
        return "expert" in roles or owns_model
    return needed in roles


def model_owners(
    technical_owners: Iterable[str], business_owner: str, accountable_executive: str
) -> tuple[str, ...]:
    """Who owns a model, each once: its technical owners (the MLflow `owner` tag), and the
    business owner and accountable executive the portal records."""
    people = (*technical_owners, business_owner, accountable_executive)
    return tuple(dict.fromkeys(person.strip() for person in people if person.strip()))


def owns(email: str, owner_entries: Iterable[str]) -> bool:
    """True when the e-mail address is one of a model's owners (technical, business, executive)."""
    person = email.strip().casefold()
    return bool(person) and any(person == entry.strip().casefold() for entry in owner_entries)


def _matches(person: set[str], entries: tuple[str, ...]) -> bool:
    return any(entry.strip().casefold() in person for entry in entries)
