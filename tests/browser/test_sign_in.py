"""Sign-in in a real browser: identity headers from a proxy, and OpenID Connect via st.login."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from tests.browser.conftest import screenshot
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


@contextmanager
def browser_tab(browser, headers: Mapping[str, str] | None = None) -> Iterator:
    """A tab in a fresh browser context, sending the given headers with every request."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, extra_http_headers=dict(headers or {})
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        yield tab
    finally:
        context.close()


def sidebar_link(tab, name: str):
    return tab.locator(SIDEBAR).get_by_role("link", name=name)


def test_proxy_without_identity_header_shows_only_the_sign_in_warning(browser, proxy_portal):
    with browser_tab(browser) as tab:
        tab.goto(proxy_portal)
        tab.get_by_text(PROXY_WARNING).wait_for()
        tab.wait_for_load_state("networkidle")
        assert tab.get_by_role("heading", name="Model portal").is_visible()
        assert tab.get_by_role("heading", name="Overview").count() == 0
        assert tab.get_by_role("link", name="Model inventory").count() == 0
        assert tab.get_by_text("Signed in as").count() == 0
        screenshot(tab, "sign-in-proxy-no-header")


def test_proxy_expert_sees_their_roles_and_no_admin_pages(browser, proxy_portal):
    with browser_tab(browser, ERIKA) as tab:
        tab.goto(proxy_portal)
        # The name comes from st.context.headers in the script run: the headers reach it.
        tab.locator(SIDEBAR).get_by_text("Signed in as Erika Expert").wait_for()
        assert tab.locator(SIDEBAR).get_by_text("Your roles: viewer, domain expert").is_visible()
        tab.get_by_role("heading", name="Overview").wait_for()
        assert sidebar_link(tab, "Model inventory").is_visible()
        assert sidebar_link(tab, "Data status").count() == 0
        assert sidebar_link(tab, "Audit log").count() == 0
        assert tab.locator(ERRORS).count() == 0
        screenshot(tab, "sign-in-proxy-expert")


def test_proxy_admin_by_group_sees_the_admin_pages(browser, proxy_portal):
    with browser_tab(browser, ADAM) as tab:
        tab.goto(proxy_portal)
        sidebar = tab.locator(SIDEBAR)
        sidebar.get_by_text("Signed in as Adam Admin").wait_for()
        roles = "Your roles: viewer, domain expert, administrator"
        assert sidebar.get_by_text(roles).is_visible()
        assert sidebar_link(tab, "Data status").is_visible()
        assert sidebar_link(tab, "Audit log").is_visible()
        screenshot(tab, "sign-in-proxy-admin")
        # The headers come with every page's run, not just the first one.
        sidebar_link(tab, "Data status").click()
        tab.get_by_role("heading", name="Data status").wait_for()
        assert tab.locator(ERRORS).count() == 0


def test_oidc_sign_in_and_sign_out_through_the_provider(browser, oidc_portal):
    portal, issuer = oidc_portal
    with browser_tab(browser) as tab:
        tab.goto(portal)
        tab.get_by_text(OIDC_INFO).wait_for()
        assert tab.get_by_role("heading", name="Overview").count() == 0
        screenshot(tab, "sign-in-oidc-page")

        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_url(f"{issuer}/oauth2/authorize?*")
        tab.get_by_placeholder("sub").fill(OLGA_EMAIL)
        screenshot(tab, "sign-in-oidc-provider-form")
        tab.get_by_role("button", name="Authorize").click()

        sidebar = tab.locator(SIDEBAR)
        sidebar.get_by_text("Signed in as Olga Owner").wait_for()
        assert tab.url.startswith(portal)
        # The groups claim arrived: her admin role comes from group:portal-admins.
        roles = "Your roles: viewer, domain expert, administrator"
        assert sidebar.get_by_text(roles).is_visible()
        assert sidebar_link(tab, "Data status").is_visible()
        tab.get_by_role("heading", name="Overview").wait_for()
        screenshot(tab, "sign-in-oidc-signed-in")

        sidebar.get_by_role("button", name="Sign out").click()
        # Streamlit sends the browser to the provider's end-session page, which returns it.
        tab.wait_for_url(f"{issuer}/oauth2/end_session?*")
        tab.get_by_role("button", name="End session").click()
        tab.get_by_text(OIDC_INFO).wait_for()
        assert tab.url.startswith(portal)
        assert tab.get_by_text("Signed in as").count() == 0
        screenshot(tab, "sign-in-oidc-signed-out")
