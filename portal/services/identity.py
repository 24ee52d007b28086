"""Who is acting, and what their roles allow; every write checks here, not only the UI."""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.roles import ACTION_ROLES, ROLES, RoleRules, granted_roles, is_allowed
from portal.errors import NotAllowed


@dataclass(frozen=True)
class Identity:
    """A person using the portal, with the roles granted to them."""

    name: str
    email: str
    roles: frozenset[str]
    groups: tuple[str, ...] = ()
    is_local: bool = False  # the embedded mode's single user, when no sign-in is configured

    def has_role(self, role: str) -> bool:
        """Admins hold every role."""
        return role in self.roles or "admin" in self.roles

    @property
    def label(self) -> str:
        """How the audit log and feeds name this person."""
        return self.email or self.name


def identity_from_claims(
    email: str, name: str, groups: tuple[str, ...], rules: RoleRules
) -> Identity | None:
    """The identity a sign-in (OIDC claims or proxy headers) describes; None without e-mail."""
    address = email.strip().casefold()
    if not address:
        return None
    return Identity(name.strip() or address, address, granted_roles(address, groups, rules), groups)


# Pipelines pushing KPIs with the API token act as this identity; the audit log names it.
API_CLIENT = Identity("API client", "api", frozenset({"viewer", "admin"}))

LOCAL_USER = Identity("Local user", "", frozenset(ROLES), is_local=True)


def require(actor: Identity, action: str, owns_model: bool = False) -> None:
    """Raise NotAllowed unless the action table allows it for this actor."""
    if not is_allowed(action, actor.roles, owns_model):
        raise NotAllowed(action, ACTION_ROLES[action])
