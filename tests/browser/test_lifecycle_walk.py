"""One use case through its whole life in a real browser, each step done by the person whose turn
it is, with the mail that reaches each of them (a real SMTP server on loopback): proposal, design
approval, link to a model, evaluation acceptance against the use case's targets, go-live
approval, a periodic review, an incident and its mitigation. Every step is screenshotted in
English and German (screenshots/walk-<nn>-<step>-<en|de>.png)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import choose, screenshot
from tests.support.lifecycle_walk import (
    ERRORS,
    MODEL,
    WAIT_MS,
    Person,
    assert_clean,
    build_walk_registry,
    go_live_in_mlflow,
    settle,
    walking,
)
from tests.support.notifications_receivers import smtp_server, text_of
from tests.support.portal_server import get_json, running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

ERIKA = Person("erika@example.com", "Erika Berger")  # domain expert: proposes
SOPHIE = Person("sophie.wagner@example.com", "Sophie Wagner", "de")  # business owner, German
MARKUS = Person("markus.schneider@example.com", "Markus Schneider")  # accountable executive
ANNA = Person("anna.schmidt@example.com", "Anna Schmidt")  # technical owner (MLflow owner tag)
VERA = Person("vera@example.com", "Vera Lang")  # any signed-in reader
ADA = Person("ada@example.com", "Ada Admin")  # admin: sends the notifications, syncs
KEY = "customer-retention"
TITLE = "Call customers before they cancel"
PUBLIC = "https://portal.example.com"  # PORTAL_SERVER_URL: the address behind the proxy
LINK = re.compile(re.escape(PUBLIC) + r"/[^\s\"<>]+")
INCIDENT = "Loyal customers flagged as leaving"
KINDS = ("model metric", "business metric")  # the words the editor offers


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple]:
    with smtp_server() as (inbox, port):
        yield inbox, port


@pytest.fixture(scope="module")
def walk_portal(smtp, tmp_path_factory) -> Iterator[tuple[str, object]]:
    """A proxy-mode portal over the walk's registry, mailing to the loopback SMTP server."""
    folder = tmp_path_factory.mktemp("walk-portal")
    registry = build_walk_registry(folder)
    _, port = smtp
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": registry.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_NOTIFY_INTERVAL_MINUTES": "0",  # only the admin's "Send now" sends
        "PORTAL_AUTH_MODE": "proxy",
        "PORTAL_LANGUAGE": "en",
        "PORTAL_EXPERTS": ERIKA.email,
        "PORTAL_ADMINS": ADA.email,
        "PORTAL_SERVER_URL": PUBLIC,
        "PORTAL_SMTP_HOST": "127.0.0.1",
        "PORTAL_SMTP_PORT": str(port),
        "PORTAL_SMTP_STARTTLS": "false",
        "PORTAL_SMTP_FROM": "portal@example.com",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url, registry


def send_now(walk, admin_tab, inbox, number: int, name: str) -> dict[str, list]:
    """The admin presses "Send now"; the mails that arrived since, per recipient address."""
    before = len(inbox.messages)
    walk.open(admin_tab, "/notifications", "en")
    admin_tab.get_by_role("button", name="Send now", exact=True).click()
    expect(admin_tab.get_by_text(re.compile(r"Run finished: \d+ sent, 0 failed\."))).to_be_visible(
        timeout=WAIT_MS
    )
    walk.step(number, name, admin_tab, ADA)
    arrived: dict[str, list] = {}
    for recipients, message in inbox.messages[before:]:
        for address in recipients:
            arrived.setdefault(address, []).append(message)
    return arrived


def only_mail(arrived: dict[str, list], person: Person):
    """The one mail to a person in a batch, addressed to them by name."""
    (message,) = arrived[person.email]
    assert person.email in message["To"]
    return message


def subject(message) -> str:
    """The subject as a mail program shows it (Python's parser keeps the space of a fold made
    right after "Subject:")."""
    return " ".join(message["Subject"].split())


def link_in(message) -> str:
    (link,) = set(LINK.findall(text_of(message)))
    return link


def decide(tab, expander_text: str, submit: str, confirmation: str, conditions: str = "") -> None:
    """Open the sign-off form, keep the preselected role and 'approve', record it. A click that
    lands while the long card is still being drawn can be lost: then it is pressed again (the
    form's submission key stores a resent decision once)."""
    settle(tab)
    tab.get_by_text(expander_text, exact=True).first.click()
    form = tab.locator('[data-testid="stForm"]').filter(
        has=tab.get_by_role("button", name=submit, exact=True)
    )
    if conditions:
        form.locator("textarea").first.fill(conditions)
    for _ in range(3):
        settle(tab)
        form.get_by_role("button", name=submit, exact=True).click()
        try:
            expect(tab.get_by_text(confirmation, exact=True)).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            assert tab.locator(ERRORS).count() == 0, tab.locator(ERRORS).all_inner_texts()
    else:
        raise AssertionError(f"no confirmation {confirmation!r}")
    settle(tab)


def fill_cell(tab, editor, column: int, row: int, text: str, select: bool = False) -> None:
    """Type into a cell of a Streamlit data editor (its canvas: by position); in a selectbox
    cell (select) the typed text filters the options and Enter picks it. Checked in the grid's
    readable copy, tried again when a click came while the grid was still busy."""
    box = editor.bounding_box()
    x = box["x"] + _COLUMN_X[column]
    y = box["y"] + 35 * (row + 1) + 17  # header and rows are 35 pixels high
    cell = editor.get_by_test_id(f"glide-cell-{column}-{row}")
    # Generous waits and five tries: on a loaded machine the grid takes its time to open.
    for attempt in range(5):
        tab.mouse.click(x, y)
        tab.wait_for_timeout(300 + 300 * attempt)
        tab.keyboard.press("Enter")  # opens the cell's editor
        tab.wait_for_timeout(400 + 400 * attempt)
        tab.keyboard.type(text, delay=30)  # a selectbox cell's list filters by what is typed
        if select:
            tab.wait_for_timeout(300 + 300 * attempt)
        tab.keyboard.press("Enter")
        try:
            expect(cell).to_have_text(text, timeout=3_000)
            return
        except AssertionError:
            tab.keyboard.press("Escape")
    screenshot(tab, "walk-failed-cell")
    raise AssertionError(f"could not enter {text!r} in row {row}, column {column}")


_COLUMN_X = {1: 90, 2: 250, 3: 420, 4: 600, 5: 780}  # inside each column at 1400 pixels


def propose(tab) -> None:
    """Erika fills the proposal: people, requirements and two key metrics with targets."""
    proposal = tab.locator('[data-testid="stExpander"]').filter(has_text="Propose a use case")
    proposal.locator("summary").click()
    form = proposal.locator('[data-testid="stForm"]')
    form.get_by_role("textbox", name="Short name (key)").fill(KEY)
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("The business question").fill(
        "Which customers will cancel in the next 90 days, so that we call them first?"
    )
    form.get_by_label("Business process").fill("Retention campaigns")
    form.get_by_label("Business unit").fill("Private Customers")
    form.get_by_label("Accountable executive (e-mail)").fill(MARKUS.email)
    form.get_by_label("Business owner (e-mail)").fill(SOPHIE.email)
    form.get_by_label("Users").fill("Call centre agents")
    form.get_by_label("Rules that apply (regulation)").fill("GDPR")
    editor = form.locator('[data-testid="stDataFrame"]')
    editor.scroll_into_view_if_needed()
    for row, (metric, kind, target, unit) in enumerate(
        (("roc_auc", 0, "0.8", ""), ("retention rate", 1, "4", "%"))
    ):
        editor.hover()
        form.get_by_role("button", name="Add row").click()
        tab.wait_for_timeout(400)
        fill_cell(tab, editor, 1, row, metric)
        fill_cell(tab, editor, 2, row, KINDS[kind], select=True)
        fill_cell(tab, editor, 3, row, "at least", select=True)
        fill_cell(tab, editor, 4, row, target)
        if unit:
            fill_cell(tab, editor, 5, row, unit)
    form.get_by_role("button", name="Propose", exact=True).click()


def wait_for_sync(portal: str, after: str | None) -> datetime:
    """Until the portal's last successful sync is newer than `after`; its time."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, body = get_json(f"{portal}/api/health")
        done = body.get("last_sync", {}).get("last_success_at")
        if done and done != after:
            return datetime.fromisoformat(done.replace("Z", "+00:00"))
        time.sleep(0.5)
    raise AssertionError("the sync asked for on the data status page did not finish")


def test_a_use_case_from_proposal_to_a_mitigated_incident(browser, walk_portal, smtp):
    portal, registry = walk_portal
    inbox, _ = smtp
    with walking(browser, portal, screenshot) as walk:
        sophie, markus, anna = walk.tab(SOPHIE), walk.tab(MARKUS), walk.tab(ANNA)
        erika, vera, ada = walk.tab(ERIKA), walk.tab(VERA), walk.tab(ADA)
        # Sophie has used the portal in German before: her language is recorded.
        walk.open(sophie, "/", "de")
        expect(sophie.get_by_role("heading", name="Überblick", exact=True)).to_be_visible(
            timeout=WAIT_MS
        )

        # 1. The expert proposes the use case.
        walk.open(erika, "/use-cases", "en")
        propose(erika)
        expect(erika.get_by_role("heading", name=TITLE)).to_be_visible(timeout=WAIT_MS)
        expect(erika.get_by_text(f"“{TITLE}” is proposed and waits")).to_be_visible(timeout=WAIT_MS)
        expect(erika.get_by_text("Status: Proposed")).to_be_visible(timeout=WAIT_MS)
        expect(erika.get_by_text("roc_auc at least 0.8 (model metric)")).to_be_visible(
            timeout=WAIT_MS
        )
        expect(erika.get_by_text("retention rate at least 4 % (business metric)")).to_be_visible(
            timeout=WAIT_MS
        )
        expect(erika.get_by_text("Still missing: Business owner (Sophie Wagner)")).to_be_visible(
            timeout=WAIT_MS
        )
        walk.step(1, "proposed", erika, ERIKA)

        # 2. Its design waits for the business owner (German) and the executive (English).
        arrived = send_now(walk, ada, inbox, 2, "mail-design")
        to_sophie, to_markus = only_mail(arrived, SOPHIE), only_mail(arrived, MARKUS)
        assert subject(to_sophie) == (
            f"Sie sind an der Reihe: Der Entwurf des Anwendungsfalls {TITLE} wartet auf Ihre "
            "Freigabe."
        )
        assert text_of(to_sophie).startswith("Guten Tag Sophie Wagner,")
        assert subject(to_markus) == (
            f"Your turn: The design of the use case {TITLE} waits for your approval."
        )
        assert link_in(to_markus) == f"{PUBLIC}/use-cases?use_case={KEY}&lang=en"
        link = link_in(to_sophie)
        assert link == f"{PUBLIC}/use-cases?use_case={KEY}&lang=de"

        # 3. Sophie follows her link and approves the design, in German.
        sophie.goto(link.replace(PUBLIC, portal))
        expect(sophie.get_by_role("heading", name=TITLE)).to_be_visible(timeout=WAIT_MS)
        expect(sophie.get_by_text("Status: Vorgeschlagen")).to_be_visible(timeout=WAIT_MS)
        decide(
            sophie,
            "Ihre Entscheidung festhalten",
            "Meine Entscheidung festhalten",
            "Ihre Zustimmung ist festgehalten.",
            conditions="Nur für Privatkunden",
        )
        expect(
            sophie.get_by_text(
                "Es fehlt noch: Verantwortliche Führungskraft (markus.schneider@example.com)"
            )
        ).to_be_visible(timeout=WAIT_MS)
        walk.step(3, "design-business-owner", sophie, SOPHIE)

        # 4. Markus approves too: the use case is approved.
        walk.open(markus, f"/use-cases?use_case={KEY}", "en")
        decide(markus, "Record your decision", "Record my decision", "Your approval is recorded.")
        expect(markus.get_by_text("Status: Approved")).to_be_visible(timeout=WAIT_MS)
        expect(markus.get_by_text("Approved: every required person has approved.")).to_be_visible(
            timeout=WAIT_MS
        )
        walk.step(4, "design-approved", markus, MARKUS)

        # 5. Markus links the model and moves the use case into development.
        markus.get_by_text("Model to link").wait_for()
        link_form = markus.locator('[data-testid="stForm"]').filter(
            has=markus.get_by_role("button", name="Link model")
        )
        choose(markus, link_form.locator('[data-testid="stSelectbox"]'), MODEL)
        link_form.get_by_role("button", name="Link model").click()
        expect(markus.get_by_text(f"{MODEL} now serves this use case.")).to_be_visible(
            timeout=WAIT_MS
        )
        settle(markus)
        markus.get_by_role("button", name="Move to: In development").click()
        expect(markus.get_by_text("The use case is now: In development.")).to_be_visible(
            timeout=WAIT_MS
        )
        expect(markus.get_by_text(f"{MODEL} (linked in the portal)")).to_be_visible(timeout=WAIT_MS)
        walk.step(5, "model-linked", markus, MARKUS)

        # 6. Version 1's evaluation waits for the business owner and the technical owner.
        arrived = send_now(walk, ada, inbox, 6, "mail-evaluation")
        assert set(arrived) == {SOPHIE.email, ANNA.email}  # no go-live yet: nothing accepted
        assert subject(only_mail(arrived, SOPHIE)) == (
            f"Sie sind an der Reihe: Version 1 von {MODEL} wartet auf Ihre Abnahme gegen die "
            "Ziele des Anwendungsfalls."
        )
        to_anna = only_mail(arrived, ANNA)
        assert subject(to_anna) == (
            f"Your turn: Version 1 of {MODEL} waits for your evaluation acceptance against the "
            "use case's targets."
        )
        assert link_in(to_anna) == f"{PUBLIC}/model?model={MODEL}&lang=en"

        # 7. Both accept version 1 against the targets, shown next to its run's metrics.
        sophie.goto(link_in(only_mail(arrived, SOPHIE)).replace(PUBLIC, portal))
        expect(sophie.get_by_text("Abnahme der Version 1 (Evaluation)")).to_be_visible(
            timeout=WAIT_MS
        )
        evidence = sophie.locator('[data-testid="stTable"]').filter(
            has_text="Ziel (aus dem Entwurf)"
        )
        expect(evidence).to_contain_text("Güte der Rangfolge (roc_auc)", timeout=WAIT_MS)
        expect(evidence).to_contain_text("Erreicht", timeout=WAIT_MS)
        assert "retention rate" not in evidence.inner_text()  # business targets wait for live
        decide(
            sophie,
            "Ihre Entscheidung festhalten",
            "Meine Entscheidung festhalten",
            "Ihre Zustimmung ist festgehalten.",
        )
        walk.step(7, "evaluation-business-owner", sophie, SOPHIE)
        walk.open(anna, f"/model?model={MODEL}", "en")
        expect(anna.get_by_text("Evaluation acceptance of version 1")).to_be_visible(
            timeout=WAIT_MS
        )
        evidence = anna.locator('[data-testid="stTable"]').filter(
            has_text="Target (from the design)"
        )
        expect(evidence).to_contain_text("Ranking quality (roc_auc)", timeout=WAIT_MS)
        expect(evidence).to_contain_text("Met", timeout=WAIT_MS)
        decide(anna, "Record your decision", "Record my decision", "Your approval is recorded.")
        expect(anna.get_by_text("Go-live approval of version 1")).to_be_visible(timeout=WAIT_MS)
        walk.step(8, "evaluation-accepted", anna, ANNA)

        # 9. Now the go-live approval waits for the executive alone.
        arrived = send_now(walk, ada, inbox, 9, "mail-go-live")
        assert set(arrived) == {MARKUS.email}
        to_markus = only_mail(arrived, MARKUS)
        assert (
            subject(to_markus)
            == f"Your turn: Version 1 of {MODEL} waits for your go-live approval."
        )

        # 10. Markus follows the link and approves the go-live.
        markus.goto(link_in(to_markus).replace(PUBLIC, portal))
        expect(markus.get_by_text("Go-live approval of version 1")).to_be_visible(timeout=WAIT_MS)
        decide(markus, "Record your decision", "Record my decision", "Your approval is recorded.")
        expect(markus.get_by_text("No sign-off waits")).to_be_visible(timeout=WAIT_MS)
        walk.step(10, "go-live-approved", markus, MARKUS)

        # 11. MLflow (not the portal) moves the alias; the admin syncs; the card shows it live,
        # approved before it went live; the use case moves to production.
        _, health = get_json(f"{portal}/api/health")
        go_live_in_mlflow(registry)
        walk.open(ada, "/data-status", "en")
        ada.get_by_role("button", name="Sync now").click()
        synced_at = wait_for_sync(portal, health["last_sync"]["last_success_at"])
        walk.open(markus, f"/use-cases?use_case={KEY}", "en")
        markus.get_by_role("button", name="Move to: In production").click()
        expect(markus.get_by_text("The use case is now: In production.")).to_be_visible(
            timeout=WAIT_MS
        )
        walk.open(anna, f"/model?model={MODEL}", "en")
        expect(
            anna.get_by_text(re.compile(r"Version 1 has been in production since"))
        ).to_be_visible(timeout=WAIT_MS)
        expect(anna.get_by_text("before going live").first).to_be_visible(timeout=WAIT_MS)
        walk.step(11, "in-production", anna, ANNA)

        # 12. Anna records the first periodic review, re-rating the four risks.
        anna.get_by_text("Record a review", exact=True).click()
        anna.get_by_text("Changed: I rate the four risks again").click()
        settle(anna)
        review = anna.locator('[data-testid="stForm"]').filter(
            has=anna.get_by_role("button", name="Save review")
        )
        review.get_by_label("Findings").fill("Scores checked against last quarter's cancellations.")
        selects = review.locator('[data-testid="stSelectbox"]')
        for index in range(selects.count()):
            word = "2 – unlikely" if index % 2 == 0 else "3 – serious"
            choose(anna, selects.nth(index), word)
        review.get_by_role("button", name="Save review").click()
        expect(
            anna.get_by_text(re.compile(r"Review saved\. The next review is due"))
        ).to_be_visible(timeout=WAIT_MS)
        expect(anna.get_by_text(re.compile(r"Last review on .* by Anna Schmidt"))).to_be_visible(
            timeout=WAIT_MS
        )
        walk.step(12, "review-recorded", anna, ANNA)

        # 13. Vera reports an incident; it traces back to version 1 in production.
        # The form starts at the minute it opens; the ledger starts at the sync: a later minute.
        wait = synced_at.replace(second=0, microsecond=0).timestamp() + 61 - time.time()
        if wait > 0:
            time.sleep(wait)
        walk.open(vera, f"/incidents?model={MODEL}", "en")
        incident = vera.locator('[data-testid="stForm"]').filter(
            has=vera.get_by_role("button", name="Report the incident")
        )
        selects = incident.locator('[data-testid="stSelectbox"]')  # model, kind, severity
        choose(vera, selects.nth(1), "Wrong predictions")
        choose(vera, selects.nth(2), "Serious")
        incident.get_by_label("In one line, what happened").fill(INCIDENT)
        incident.get_by_label("What happened, in detail").fill(
            "Customers with ten years of contracts got scores above 0.9 since this morning."
        )
        incident.get_by_role("button", name="Report the incident").click()
        expect(vera.get_by_text("The incident is recorded as INC-1", exact=False)).to_be_visible(
            timeout=WAIT_MS
        )
        expect(
            vera.get_by_text(re.compile(rf"version 1 of {MODEL} was in production"))
        ).to_be_visible(timeout=WAIT_MS)
        expect(vera.get_by_text(f"{MODEL} · Serious · Wrong predictions")).to_be_visible(
            timeout=WAIT_MS
        )
        walk.step(13, "incident-reported", vera, VERA)

        # 14. The model's owners are told at once (a serious incident): Anna (the MLflow owner
        # tag) and, as the model has no accountability record of its own, the people its use
        # case names (portal/store/governance_repo.py), each in their language.
        arrived = send_now(walk, ada, inbox, 14, "mail-incident")
        assert set(arrived) == {ANNA.email, SOPHIE.email, MARKUS.email}
        assert subject(only_mail(arrived, ANNA)) == (
            f"Your turn: {MODEL}: incident INC-1 is open: {INCIDENT}"
        )
        assert subject(only_mail(arrived, SOPHIE)) == (
            f"Sie sind an der Reihe: {MODEL}: Vorfall INC-1 ist offen: {INCIDENT}"
        )
        assert subject(only_mail(arrived, MARKUS)).startswith("Your turn: ")
        link = link_in(only_mail(arrived, ANNA))
        assert link == f"{PUBLIC}/incidents?incident=INC-1&lang=en"

        # 15. Anna follows her link and moves the incident to mitigated.
        anna.goto(link.replace(PUBLIC, portal))
        expect(anna.get_by_text("Move the incident on (owners)")).to_be_visible(timeout=WAIT_MS)
        settle(anna)
        anna.get_by_label("Note").fill("Rolled back the contract-length feature.")
        anna.get_by_role("button", name="Save", exact=True).click()
        expect(anna.get_by_text("INC-1 is updated.")).to_be_visible(timeout=WAIT_MS)
        expect(anna.get_by_text("Rolled back the contract-length feature.")).to_be_visible(
            timeout=WAIT_MS
        )
        expect(anna.get_by_text("Mitigated").first).to_be_visible(timeout=WAIT_MS)
        walk.step(15, "incident-mitigated", anna, ANNA)
        assert_clean(anna)
        assert len(walk.shots) == 2 * 15
