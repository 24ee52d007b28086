"""Router: the shared sidebar, navigation over pages/, and a clear message instead of a trace."""

from __future__ import annotations

import logging
import time
import uuid

import streamlit as st

from portal.errors import StoreUnavailable
from portal.ui.session import t
from portal.ui.sidebar import render_sidebar
from portal.ui.signin import signed_in_identity

log = logging.getLogger("portal.pages")
SLOW_RENDER_SECONDS = 2.0
render_started = time.perf_counter()

st.set_page_config(page_title="Model portal", page_icon=":material/hub:", layout="wide")

identity = signed_in_identity()
try:
    render_sidebar(identity)
except StoreUnavailable as exc:
    st.error(t("app.store_unavailable", reason=str(exc)))
    st.stop()

pages = [
    # The default page lives at the root URL; Streamlit gives it no path of its own.
    st.Page(
        "pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", default=True
    ),
    st.Page(
        "pages/inventory.py",
        title=t("nav.inventory"),
        icon=":material/list_alt:",
        url_path="inventory",
    ),
    st.Page(
        "pages/model_card.py",
        title=t("nav.model_card"),
        icon=":material/description:",
        url_path="model",
    ),
]
pages.append(
    st.Page("pages/value.py", title=t("nav.value"), icon=":material/euro:", url_path="value")
)
pages.append(
    st.Page(
        "pages/drift.py",
        title=t("nav.drift"),
        icon=":material/monitor_heart:",
        url_path="drift",
    )
)
pages.append(
    st.Page("pages/risk.py", title=t("nav.risk"), icon=":material/gpp_maybe:", url_path="risk")
)
pages.append(
    st.Page(
        "pages/ownership.py",
        title=t("nav.ownership"),
        icon=":material/groups:",
        url_path="ownership",
    )
)
pages.append(
    st.Page(
        "pages/lineage.py",
        title=t("nav.lineage"),
        icon=":material/account_tree:",
        url_path="lineage",
    )
)
pages.append(
    st.Page(
        "pages/feedback.py",
        title=t("nav.feedback"),
        icon=":material/forum:",
        url_path="feedback",
    )
)
if identity.has_role("admin"):
    pages.append(
        st.Page(
            "pages/data_status.py",
            title=t("nav.data_status"),
            icon=":material/sync:",
            url_path="data-status",
        )
    )
    pages.append(
        st.Page("pages/audit.py", title=t("nav.audit"), icon=":material/policy:", url_path="audit")
    )

page = st.navigation(pages)
try:
    page.run()
except Exception:  # stakeholders get a reference, operators the log entry
    reference = uuid.uuid4().hex[:8]
    log.exception("page %s failed, reference %s", page.url_path, reference)
    st.error(t("app.error", reference=reference), icon=":material/error:")
finally:
    # Server-side render time of the whole script, for operators and the timing tests.
    seconds = time.perf_counter() - render_started
    level = logging.WARNING if seconds > SLOW_RENDER_SECONDS else logging.DEBUG
    log.log(level, "page %r rendered in %.0f ms", page.url_path or "overview", seconds * 1000)
