"""The router: sign-in gate, shared sidebar, navigation from the page table, error boundary.

Served by portal/server.py (`portal serve`); it sits in portal/, not beside pages/, so every
page runs through here.
"""

from __future__ import annotations

import logging
import time
import uuid

import streamlit as st

from portal.errors import PortalError
from portal.ui.forms import error_lines
from portal.ui.navigation import OVERVIEW, PAGES, SECTIONS
from portal.ui.session import keep_language_in_address, settle_language, t
from portal.ui.sidebar import render_sidebar
from portal.ui.signin import signed_in_identity

log = logging.getLogger("portal.pages")
SLOW_RENDER_SECONDS = 2.0
render_started = time.perf_counter()

# Before anything is drawn: the language comes from the address, cookie or browser.
settle_language()
st.set_page_config(page_title=t("app.title"), page_icon=":material/hub:", layout="wide")
identity = signed_in_identity()
try:
    render_sidebar(identity)
except PortalError as error:  # the store cannot be opened, is damaged, or does not answer
    for line in error_lines(error):
        st.error(line)
    st.stop()
except Exception:  # as for pages: a reference for stakeholders, the log entry for operators
    reference = uuid.uuid4().hex[:8]
    log.exception("sidebar failed, reference %s", reference)
    st.error(t("app.error", reference=reference), icon=":material/error:")
    st.stop()

# Grouped and always expanded: fifteen pages under four headings read faster than a list
# that hides a third of them behind "View more".
page = st.navigation(
    {
        t(f"nav_section.{section}"): [
            st.Page(
                entry.path,
                title=t(entry.title_key),
                icon=entry.icon,
                # The overview lives at the root URL; Streamlit gives the default page no path.
                url_path=entry.url_path or None,
                default=entry is OVERVIEW,
            )
            for entry in PAGES
            if entry.section == section and identity.has_role(entry.role)
        ]
        for section in SECTIONS
        if any(entry.section == section and identity.has_role(entry.role) for entry in PAGES)
    },
    expanded=True,
)
try:
    page.run()
except PortalError as error:  # expected: a refused read, a store that does not answer
    log.warning("page %s: %s", page.url_path or "overview", error)
    for line in error_lines(error):
        st.error(line)
except Exception:  # stakeholders get a reference, operators the log entry
    reference = uuid.uuid4().hex[:8]
    log.exception("page %s failed, reference %s", page.url_path, reference)
    st.error(t("app.error", reference=reference), icon=":material/error:")
finally:
    # Server-side render time of the whole script, for operators and the timing tests.
    seconds = time.perf_counter() - render_started
    level = logging.WARNING if seconds > SLOW_RENDER_SECONDS else logging.DEBUG
    log.log(level, "page %r rendered in %.0f ms", page.url_path or "overview", seconds * 1000)
    # A page may have cleared the address's parameters (a drill-down closed); keep the language.
    # Last: after a page's st.stop() this raises the stop again, which ends the run as it should.
    keep_language_in_address()
