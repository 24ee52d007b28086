"""Sign-in in a real browser: identity headers from a proxy, and OpenID Connect via st.login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, browser_tab, screenshot, settle
from tests.support import portal_server
from tests.support.oidc_provider import running_oidc_provider, write_auth_secrets

pytestmark = [pytest.mark.browser, pytest.mark.server]

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
SIDEBAR = '[data-testid="stSidebar"]'
PROXY_WARNING = "Your sign-in did not reach the portal."
OIDC_INFO = "Please sign in with your company account to see the portal."
ERIKA = {
    "X-Forwarded-Email": "erika.expert@example.com",
    "X-Forwarded-Preferred-Username": "Erika Expert",
}
ADAM = {
    "X-Forwarded-Email": "adam.admin@example.com",
    "X-Forwarded-Preferred-Username": "Adam Admin",
    "X-Forwarded-Groups": "staff,portal-admins",
}
OLGA_EMAIL = "olga.owner@example.com"
OLGA_CLAIMS = {"email": OLGA_EMAIL, "name": "Olga Owner", "groups": ["staff", "portal-admins"]}
ALL_ROLES = "viewer, domain expert, administrator"
ROLE_ENV = {"PORTAL_EXPERTS": "erika.expert@example.com", "PORTAL_ADMINS": "group:portal-admins"}


def portal_env(store, folder: Path, auth_mode: str) -> dict[str, str]:
    """Settings for a portal over the awkward registry with its own store and sign-in mode."""
    return {
        "PORTAL_MLFLOW_TRACKING_URI": store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_LANGUAGE": "en",
        "PORTAL_AUTH_MODE": auth_mode,
        **ROLE_ENV,
    }


@pytest.fixture(scope="module")
def proxy_portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """A portal that trusts identity headers from a reverse proxy."""
    folder = tmp_path_factory.mktemp("proxy-portal")
    env = portal_env(awkward_sqlite_store, folder, "proxy")
    with portal_server.running_portal(env, folder / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def oidc_portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A portal signing in through the mock OpenID provider; yields (portal URL, issuer)."""
    folder = tmp_path_factory.mktemp("oidc-portal")
    # The redirect URI in the secrets names the portal's port, so choose it before the start.
    port = portal_server.free_port()
    with running_oidc_provider({OLGA_EMAIL: OLGA_CLAIMS}) as issuer:
        home = folder / "home"
        write_auth_secrets(home, issuer, f"http://127.0.0.1:{port}")
        env = {**portal_env(awkward_sqlite_store, folder, "oidc"), "HOME": str(home)}
        with (
            mock.patch.object(portal_server, "free_port", return_value=port),
            portal_server.running_portal(env, folder / "server.log") as url,
        ):
            yield url, issuer


def sidebar_link(tab, name: str):
    """The navigation link of that name in the sidebar."""
    return tab.locator(SIDEBAR).get_by_role("link", name=name)


def shown(locator) -> None:
    """Wait until the locator is visible; a first script run can take a few seconds."""
    expect(locator).to_be_visible(timeout=WAIT_MS)


def absent(locator) -> None:
    """Check that nothing matches; call it once the run has settled."""
    expect(locator).to_have_count(0)


def test_proxy_without_identity_header_shows_only_the_sign_in_warning(browser, proxy_portal):
    with browser_tab(browser) as tab:
        tab.goto(proxy_portal)
        shown(tab.get_by_text(PROXY_WARNING))
        shown(tab.get_by_role("heading", name="Model portal"))
        settle(tab)
        absent(tab.get_by_role("heading", name="Overview"))
        absent(tab.get_by_role("link", name="Model inventory"))
        absent(tab.get_by_text("Signed in as"))
        screenshot(tab, "sign-in-proxy-no-header")


def test_a_deep_link_as_the_first_request_after_start_sees_only_the_sign_in(
    browser, awkward_sqlite_store, tmp_path
):
    """The first session after a start once ran pages without the router (Streamlit's legacy
    mode for a pages/ folder beside the entry script): the gate must hold from request one."""
    env = portal_env(awkward_sqlite_store, tmp_path, "proxy")
    with (
        portal_server.running_portal(env, tmp_path / "server.log", untouched=True) as url,
        browser_tab(browser) as tab,
    ):
        tab.goto(f"{url}/inventory")
        shown(tab.get_by_text(PROXY_WARNING))
        settle(tab)
        screenshot(tab, "sign-in-proxy-first-deep-link")
        main = tab.locator('[data-testid="stMain"]')
        # Two elements and nothing else: the portal's title and the sign-in warning.
        expect(main.locator('[data-testid="stElementContainer"]')).to_have_count(2)
        expect(main.get_by_role("heading")).to_have_text(["Model portal"])
        expect(main.locator('[data-testid="stAlert"]')).to_contain_text(PROXY_WARNING)
        absent(tab.locator('[data-testid="stSidebarNav"]'))
        absent(tab.get_by_role("heading", name="Model inventory"))
        absent(tab.locator(ERRORS))


def test_proxy_expert_sees_their_roles_and_no_admin_pages(browser, proxy_portal):
    with browser_tab(browser, ERIKA) as tab:
        tab.goto(proxy_portal)
        # The name and roles come from st.context.headers in the script run: the headers reach it.
        sidebar = tab.locator(SIDEBAR)
        shown(sidebar.get_by_text("Signed in as Erika Expert"))
        shown(sidebar.get_by_text("Your roles: viewer, domain expert"))
        # The page's heading comes after the navigation in the script run.
        shown(tab.get_by_role("heading", name="Overview"))
        shown(sidebar_link(tab, "Model inventory"))
        settle(tab)
        absent(sidebar_link(tab, "Data status"))
        absent(sidebar_link(tab, "Audit log"))
        absent(tab.locator(ERRORS))
        screenshot(tab, "sign-in-proxy-expert")


def test_proxy_admin_by_group_sees_the_admin_pages(browser, proxy_portal):
    with browser_tab(browser, ADAM) as tab:
        tab.goto(proxy_portal)
        sidebar = tab.locator(SIDEBAR)
        shown(sidebar.get_by_text("Signed in as Adam Admin"))
        shown(sidebar.get_by_text(f"Your roles: {ALL_ROLES}"))
        shown(sidebar_link(tab, "Data status"))
        shown(sidebar_link(tab, "Audit log"))
        shown(tab.get_by_role("heading", name="Overview"))
        settle(tab)
        screenshot(tab, "sign-in-proxy-admin")
        # The headers come with every page's run, not only the first one.
        sidebar_link(tab, "Data status").click()
        shown(tab.get_by_role("heading", name="Data status"))
        shown(sidebar.get_by_text("Signed in as Adam Admin"))
        settle(tab)
        absent(tab.locator(ERRORS))


def test_oidc_sign_in_and_sign_out_through_the_provider(browser, oidc_portal):
    portal, issuer = oidc_portal
    with browser_tab(browser) as tab:
        tab.goto(portal)
        shown(tab.get_by_text(OIDC_INFO))
        shown(tab.get_by_role("button", name="Sign in"))
        settle(tab)
        absent(tab.get_by_role("heading", name="Overview"))
        screenshot(tab, "sign-in-oidc-page")

        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{issuer}/oauth2/authorize?*")
        tab.get_by_placeholder("sub").fill(OLGA_EMAIL)
        screenshot(tab, "sign-in-oidc-provider-form")
        tab.get_by_role("button", name="Authorize").click()

        # The ID token's name, email and groups claims all arrive in st.user: her admin role
        # comes from group:portal-admins.
        sidebar = tab.locator(SIDEBAR)
        shown(sidebar.get_by_text("Signed in as Olga Owner"))
        shown(sidebar.get_by_text(f"Your roles: {ALL_ROLES}"))
        shown(tab.get_by_role("heading", name="Overview"))
        shown(sidebar_link(tab, "Data status"))
        assert tab.url.startswith(portal)
        settle(tab)
        absent(tab.locator(ERRORS))
        screenshot(tab, "sign-in-oidc-signed-in")

        sidebar.get_by_role("button", name="Sign out").click()
        # Streamlit sends the browser to the provider's end-session page, which sends it back.
        tab.wait_for_url(f"{issuer}/oauth2/end_session?*")
        tab.get_by_role("button", name="End session").click()
        shown(tab.get_by_text(OIDC_INFO))
        assert tab.url.startswith(portal)
        settle(tab)
        absent(tab.get_by_text("Signed in as"))
        screenshot(tab, "sign-in-oidc-signed-out")
