"""Who is acting: the identity a sign-in describes, with the roles the settings grant it.

What each role may do is decided in portal.services.authorization.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.config import Settings
from portal.domain.roles import ROLES, RoleRules, granted_roles


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


def identity_from_proxy_headers(headers: Mapping[str, str], settings: Settings) -> Identity | None:
    """Proxy mode: the person the trusted proxy names in its headers; None without e-mail."""
    return identity_from_claims(
        headers.get(settings.proxy_email_header) or "",
        headers.get(settings.proxy_name_header) or "",
        split_groups(headers.get(settings.proxy_groups_header) or ""),
        settings.role_rules,
    )


def identity_from_oidc_claims(claims: Mapping[str, Any], settings: Settings) -> Identity | None:
    """OpenID Connect mode: the person the ID token's claims describe; None without e-mail."""
    return identity_from_claims(
        str(claims.get("email") or ""),
        str(claims.get("name") or ""),
        split_groups(claims.get(settings.oidc_groups_claim) or ""),
        settings.role_rules,
    )


def split_groups(value: object) -> tuple[str, ...]:
    """Groups from a claim (a list) or a header (comma-separated)."""
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


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
