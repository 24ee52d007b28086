"""An OpenID Connect provider for tests (oidc-provider-mock), and Streamlit's [auth] secrets."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

CLIENT_ID = "stakeholder-portal"
CLIENT_SECRET = "portal-test-client-secret"
COOKIE_SECRET = "portal-test-cookie-secret-0123456789abcdef"


@contextmanager
def running_oidc_provider(users: Mapping[str, Mapping[str, object]]) -> Iterator[str]:
    """Serve the mock provider on a free loopback port; yield its issuer URL; stop it after.

    It accepts any client id and secret. `users` maps a subject to its claims: entering that
    subject on the provider's sign-in form puts those claims into the ID token.
    """
    import werkzeug.serving

    with warnings.catch_warnings():
        # The mock imports authlib modules deprecated by authlib, which insists on warning
        # ("always" filter set on import) unless told otherwise after that import.
        import authlib.deprecate

        warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
        import oidc_provider_mock

    provider_app = oidc_provider_mock.app(
        user_claims=[
            oidc_provider_mock.User(sub=sub, claims=dict(claims)) for sub, claims in users.items()
        ]
    )
    # The package's run_server_in_thread binds "localhost"; the issuer must name one host.
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def write_auth_secrets(home: Path, issuer: str, portal_url: str) -> Path:
    """Write Streamlit's [auth] section to <home>/.streamlit/secrets.toml; return its path.

    A server started with HOME=<home> reads that file as its user-level secrets. `streamlit run`
    would also honour STREAMLIT_SECRETS_FILES, but an st.App under uvicorn takes only sensitive
    options from the environment, and the repository's .streamlit/ must stay untouched.
    """
    path = home / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{portal_url}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path
