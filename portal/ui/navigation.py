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
    section: str = "portfolio"  # the navigation group it is listed in (SECTIONS)

    @property
    def path(self) -> str:
        """The script relative to the router: what st.Page, page_link and switch_page take."""
        return f"../pages/{self.script}"


OVERVIEW = PortalPage("overview.py", "nav.overview", ":material/dashboard:", "")
INVENTORY = PortalPage("inventory.py", "nav.inventory", ":material/list_alt:", "inventory")
MODEL_CARD = PortalPage("model_card.py", "nav.model_card", ":material/description:", "model")
VALUE = PortalPage("value.py", "nav.value", ":material/euro:", "value", section="health")
DRIFT = PortalPage("drift.py", "nav.drift", ":material/monitor_heart:", "drift", section="health")
RISK = PortalPage("risk.py", "nav.risk", ":material/gpp_maybe:", "risk", section="health")
OWNERSHIP = PortalPage(
    "ownership.py", "nav.ownership", ":material/groups:", "ownership", section="people"
)
LINEAGE = PortalPage(
    "lineage.py", "nav.lineage", ":material/account_tree:", "lineage", section="people"
)
FEEDBACK = PortalPage(
    "feedback.py", "nav.feedback", ":material/forum:", "feedback", section="people"
)
USE_CASES = PortalPage("use_cases.py", "nav.use_cases", ":material/lightbulb:", "use-cases")
INCIDENTS = PortalPage(
    "incidents.py", "nav.incidents", ":material/report:", "incidents", section="health"
)
MY_TASKS = PortalPage("my_tasks.py", "nav.my_tasks", ":material/task_alt:", "my-tasks")
NOTIFICATIONS = PortalPage(
    "notifications.py",
    "nav.notifications",
    ":material/mail:",
    "notifications",
    role="admin",
    section="admin",
)
DATA_STATUS = PortalPage(
    "data_status.py",
    "nav.data_status",
    ":material/sync:",
    "data-status",
    role="admin",
    section="admin",
)
AUDIT = PortalPage(
    "audit.py", "nav.audit", ":material/policy:", "audit", role="admin", section="admin"
)

# The navigation's groups, in order: what the portfolio holds; how it does; who and what feeds
# it; running the portal.
SECTIONS: tuple[str, ...] = ("portfolio", "health", "people", "admin")

PAGES: tuple[PortalPage, ...] = (
    OVERVIEW,
    MY_TASKS,
    INVENTORY,
    USE_CASES,
    MODEL_CARD,
    VALUE,
    DRIFT,
    RISK,
    OWNERSHIP,
    LINEAGE,
    FEEDBACK,
    INCIDENTS,
    DATA_STATUS,
    NOTIFICATIONS,
    AUDIT,
)
