"""The portal's pages in one table: script, title, icon, address, and who sees them.

The router builds its navigation from this table, and every link or page switch names an
entry instead of a file path. Paths are relative to the router, portal/app.py: it does not
sit beside pages/, so Streamlit never runs a page without it (its legacy multipage mode).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalPage:
    """One page of the portal."""

    script: str  # file name in pages/
    title_key: str  # catalog key of its title in the navigation
    icon: str
    url_path: str  # its address; '' for the overview at the root
    role: str = "viewer"  # who sees it in the navigation (the services check again)

    @property
    def path(self) -> str:
        """The script relative to the router: what st.Page, page_link and switch_page take."""
        return f"../pages/{self.script}"


OVERVIEW = PortalPage("overview.py", "nav.overview", ":material/dashboard:", "")
INVENTORY = PortalPage("inventory.py", "nav.inventory", ":material/list_alt:", "inventory")
MODEL_CARD = PortalPage("model_card.py", "nav.model_card", ":material/description:", "model")
VALUE = PortalPage("value.py", "nav.value", ":material/euro:", "value")
DRIFT = PortalPage("drift.py", "nav.drift", ":material/monitor_heart:", "drift")
RISK = PortalPage("risk.py", "nav.risk", ":material/gpp_maybe:", "risk")
OWNERSHIP = PortalPage("ownership.py", "nav.ownership", ":material/groups:", "ownership")
LINEAGE = PortalPage("lineage.py", "nav.lineage", ":material/account_tree:", "lineage")
FEEDBACK = PortalPage("feedback.py", "nav.feedback", ":material/forum:", "feedback")
DATA_STATUS = PortalPage(
    "data_status.py", "nav.data_status", ":material/sync:", "data-status", role="admin"
)
AUDIT = PortalPage("audit.py", "nav.audit", ":material/policy:", "audit", role="admin")

PAGES: tuple[PortalPage, ...] = (
    OVERVIEW,
    INVENTORY,
    MODEL_CARD,
    VALUE,
    DRIFT,
    RISK,
    OWNERSHIP,
    LINEAGE,
    FEEDBACK,
    DATA_STATUS,
    AUDIT,
)
