"""Who is acting, and what their roles allow; every write checks here, not only the UI."""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("viewer", "expert", "owner", "admin")


class NotAllowed(PermissionError):
    """The acting person lacks the role an action needs; str() names the role."""

    def __init__(self, action: str, role: str) -> None:
        super().__init__(f"{action} needs the role '{role}'")
        self.action = action
        self.role = role


@dataclass(frozen=True)
class Identity:
    """A person using the portal, with the roles granted to them."""

    name: str
    email: str
    roles: frozenset[str]
    is_local: bool = False  # the embedded mode's single user, when no sign-in is configured

    def has_role(self, role: str) -> bool:
        """Admins hold every role."""
        return role in self.roles or "admin" in self.roles


LOCAL_USER = Identity("Local user", "", frozenset(ROLES), is_local=True)


def require_role(actor: Identity, role: str, action: str) -> None:
    """Raise NotAllowed unless the actor holds the role."""
    if not actor.has_role(role):
        raise NotAllowed(action, role)
