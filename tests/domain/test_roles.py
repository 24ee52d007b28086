import pytest

from portal.domain.roles import ACTION_ROLES, RoleRules, granted_roles, is_allowed, owns

RULES = RoleRules(
    admins=("ada@example.com", "group:Risk-Office"), experts=("group:underwriters",), viewers=()
)


def test_roles_from_addresses_and_groups_ignoring_case():
    assert granted_roles("ADA@example.com", [], RULES) == {"admin", "expert", "viewer"}
    assert granted_roles("rita@example.com", ["risk-office"], RULES) == {
        "admin",
        "expert",
        "viewer",
    }
    assert granted_roles("ute@example.com", ["Underwriters"], RULES) == {"expert", "viewer"}
    assert granted_roles("vic@example.com", ["staff"], RULES) == {"viewer"}


def test_a_viewer_list_restricts_who_may_read():
    rules = RoleRules(viewers=("group:staff",), experts=("eve@example.com",))
    assert granted_roles("guest@example.com", [], rules) == frozenset()
    assert granted_roles("sam@example.com", ["staff"], rules) == {"viewer"}
    assert granted_roles("eve@example.com", [], rules) == {"expert", "viewer"}


@pytest.mark.parametrize(
    ("action", "roles", "owner", "allowed"),
    [
        ("feedback.submit", {"viewer"}, False, False),
        ("feedback.submit", {"viewer", "expert"}, False, True),
        ("feedback.submit", {"viewer"}, True, True),
        ("feedback.triage", {"viewer", "expert"}, False, False),
        ("feedback.triage", {"viewer"}, True, True),
        ("sync.start", {"viewer", "expert"}, True, False),
        ("sync.start", {"admin"}, False, True),
        ("audit.read", {"viewer"}, True, False),
        ("model.history.read", {"viewer"}, True, True),
    ],
)
def test_action_table(action, roles, owner, allowed):
    assert is_allowed(action, frozenset(roles), owner) is allowed


def test_admins_may_do_everything():
    assert all(is_allowed(action, frozenset({"admin"})) for action in ACTION_ROLES)


def test_ownership_by_address_only():
    assert owns("Anna.Schmidt@example.com", ["anna.schmidt@example.com", "team@example.com"])
    assert not owns("", [""])
    assert not owns("anna@example.com", ["Anna Schmidt"])
