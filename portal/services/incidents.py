"""Incidents: report (with the trace of what was in production then), move, read; every write
authorized here and audited with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.documentation import effective_tags, split_list_tag
from portal.domain.incidents import (
    PAGE_SIZE,
    IncidentCounts,
    IncidentDraft,
    IncidentFilter,
    IncidentUpdate,
    Trace,
    check_draft,
    check_filter,
    check_move,
    incident_id,
    period_at,
    reference_number,
    reporting_deadline,
)
from portal.domain.incidents import Incident as IncidentRecord
from portal.domain.paging import Page, page_window
from portal.domain.production import RegistryEvent, production_history
from portal.domain.roles import model_owners
from portal.domain.tasks import Task
from portal.domain.validation import Problem
from portal.errors import InvalidInput, UnknownIncident, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.services.lineage import LineageService
from portal.services.risk import RiskService
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store
from portal.store.governance_repo import GovernanceRepository
from portal.store.incident_repo import IncidentRepository, matching_params

# Kinds of incident that feed a risk signal, by the signal's risk.
SIGNAL_KINDS = ("outage", "wrong_predictions")


@dataclass(frozen=True)
class ReportResult:
    """The reference people quote, and whether this call stored it (False: a resubmit)."""

    reference: str
    incident_id: int
    created: bool


@dataclass(frozen=True)
class IncidentDetail:
    """One incident with its moves, oldest first."""

    incident: IncidentRecord
    history: tuple[IncidentUpdate, ...]


class IncidentService:
    """Incident use cases over the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.catalog = CatalogRepository(store)
        self.governance = GovernanceRepository(store)
        self.incidents = IncidentRepository(store)

    # --- permissions for the interface ------------------------------------------------------

    def may_report(self, actor: Identity) -> bool:
        """For the interface: show the report form or not (the service checks again)."""
        return may(self.store, actor, "incident.report")

    def may_update(self, actor: Identity, model_name: str) -> bool:
        """For the interface: show the owners' update form or not."""
        return may(self.store, actor, "incident.update", model_name)

    # --- writes -------------------------------------------------------------------------------

    def report(
        self,
        actor: Identity,
        draft: IncidentDraft,
        submission_key: str,
        now: datetime | None = None,
    ) -> ReportResult:
        """Store a report once per key, with the trace of what was in production when it
        started, and an audit entry."""
        authorize(self.store, actor, "incident.report")
        if not draft.model_name.strip():
            raise InvalidInput((Problem("model_name", "required"),))
        model = self.catalog.model(draft.model_name)
        if model is None:
            raise UnknownModel(draft.model_name)
        at = now or utc_now()
        # MLflow's creation time, or the portal's first sight when that is earlier (a registry
        # recreated from an export keeps its history in the ledger, not in created_at).
        since = min(d for d in (model["created_at"], model["first_seen_at"]) if d is not None)
        problems = check_draft(draft, at, since)
        if problems:
            raise InvalidInput(problems)
        trace = self.trace(draft.model_name, draft.started_at, at)  # type: ignore[arg-type]
        with self.store.transaction() as tx:
            existing = IncidentRepository.id_for_key(tx, submission_key)
            if existing is not None:
                return ReportResult(reference_number(existing), existing, created=False)
            row = {
                "submission_key": submission_key,
                "model_name": draft.model_name,
                "model_version": trace.version,
                "started_at": draft.started_at,
                "kind": draft.kind,
                "severity": draft.severity,
                "title": draft.title.strip(),
                "description": draft.description.strip(),
                "impact": draft.impact.strip(),
                "cases": draft.cases,
                "trace": trace.to_json(),
                "reported_by": actor.label,
                "reported_by_name": actor.name,
                "reported_at": at,
            }
            new_id = IncidentRepository.insert(tx, row)
            write_audit(
                tx,
                actor,
                "incident.reported",
                ("incident", reference_number(new_id)),
                at,
                model_name=draft.model_name,
                after={
                    **{k: v for k, v in row.items() if k not in ("submission_key", "trace")},
                    "started_at": draft.started_at.isoformat(),  # type: ignore[union-attr]
                    "reported_at": at.isoformat(),
                },
            )
            tx.bump_data_version()
        return ReportResult(reference_number(new_id), new_id, created=True)

    def update(
        self,
        actor: Identity,
        reference: str,
        status: str,
        note: str,
        root_cause: str = "",
        now: datetime | None = None,
    ) -> IncidentRecord:
        """An owner moves an incident (open, mitigated, closed with a root cause, reopened),
        with a note; the move is kept in its history and audited."""
        current = self._row(reference)
        authorize(self.store, actor, "incident.update", current["model_name"])
        problems = check_move(current["status"], status, note, root_cause)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        move = {
            "status": status,
            "note": note.strip(),
            "root_cause": root_cause.strip() if status == "closed" else "",
            "updated_by": actor.label,
            "updated_by_name": actor.name,
            "updated_at": at,
        }
        with self.store.transaction() as tx:
            before = IncidentRepository.get_in(tx, current["id"])
            IncidentRepository.move(tx, current["id"], move)
            write_audit(
                tx,
                actor,
                "incident.updated",
                ("incident", reference_number(current["id"])),
                at,
                model_name=current["model_name"],
                before={"status": before["status"], "root_cause": before["root_cause"]}
                if before
                else None,
                after={k: move[k] for k in ("status", "note", "root_cause")},
            )
            tx.bump_data_version()
        return self.get(reference).incident

    # --- reads --------------------------------------------------------------------------------

    def trace(self, model_name: str, started_at: datetime, now: datetime) -> Trace:
        """What was in production at a moment, from the ledger: version, run, data, code,
        owners, and the other models and processes fed by the same data."""
        events = [
            RegistryEvent(e["observed_at"], e["marker"], e["version_before"], e["version_after"])
            for e in self.catalog.ledger(model_name)
        ]
        period = period_at(production_history(events, self.settings.production_aliases), started_at)
        record = self.governance.governance(model_name).get(model_name) or {}
        owners = {
            "business_owner": record.get("business_owner", ""),
            "accountable_executive": record.get("accountable_executive", ""),
        }
        if period is None:
            tags = effective_tags(
                *group_tags(self.catalog.effective_tag_rows(model_name)).get(model_name, ({}, {}))
            )
            return Trace(
                started_at,
                None,
                technical_owners=split_list_tag(tags.get("owner", "")),
                business_process=tags.get("business_process", "").strip(),
                **owners,
            )
        tags = effective_tags(*self.incidents.tags_of_version(model_name, period.version))
        version = next(
            (v for v in self.catalog.versions_of(model_name) if v["version"] == period.version),
            None,
        )
        run_id = (version or {}).get("run_id") or ""
        run = self.catalog.run(run_id) if run_id else None
        datasets = (
            tuple(dict.fromkeys(row["name"] for row in self.catalog.run_datasets(run_id)))
            if run_id
            else ()
        )
        data_sources = split_list_tag(tags.get("data_sources", ""))
        shared_models, shared_processes = self._sharing(model_name, (*data_sources, *datasets), now)
        return Trace(
            at=started_at,
            version=period.version,
            marker=period.marker,
            run_id=run_id,
            trained_at=(version or {}).get("trained_at"),
            git_commit=(run or {}).get("git_commit") or "",
            code_source=(run or {}).get("code_source") or "",
            datasets=datasets,
            data_sources=data_sources,
            business_process=tags.get("business_process", "").strip(),
            technical_owners=split_list_tag(tags.get("owner", "")),
            shared_models=shared_models,
            shared_processes=shared_processes,
            **owners,
        )

    def _sharing(
        self, model_name: str, sources: tuple[str, ...], now: datetime
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The other models the sources feed and the business processes those serve."""
        if not sources:
            return (), ()
        lineage = LineageService(self.store)
        portfolio = RiskService(self.store, self.settings).portfolio(now)
        models: dict[str, None] = {}
        processes: set[str] = set()
        for source in dict.fromkeys(sources):
            radius = lineage.blast_radius(portfolio, source)
            for link in radius.links:
                if link.model_name != model_name:
                    models[link.model_name] = None
                    if link.business_process:
                        processes.add(link.business_process)
        return tuple(sorted(models, key=str.casefold)), tuple(sorted(processes, key=str.casefold))

    def get(self, reference: str, today: date | None = None) -> IncidentDetail:
        """One incident with its history; everyone may read it."""
        row = self._row(reference)
        categories = self._categories(row["model_name"])
        history = tuple(IncidentUpdate(**u) for u in self.incidents.updates(row["id"]))
        return IncidentDetail(_incident(row, categories, today or utc_now().date()), history)

    def page(
        self, chosen: IncidentFilter, page: int = 1, page_size: int = PAGE_SIZE
    ) -> Page[IncidentRecord]:
        """One page of the filtered list, open first; everyone may read."""
        problems = check_filter(chosen)
        if problems:
            raise InvalidInput(problems)
        where = matching_params(list(chosen.models), list(chosen.statuses), list(chosen.severities))
        total = self.incidents.count_matching(where)
        shown, offset = page_window(total, page, page_size)
        rows = self.incidents.matching(where, page_size, offset) if total else []
        categories = self._categories()
        today = utc_now().date()
        return Page(
            tuple(_incident(row, categories, today) for row in rows), total, shown, page_size
        )

    def models(self) -> tuple[str, ...]:
        """The models with incidents, for the list's model filter."""
        return tuple(self.incidents.models())

    def unresolved(
        self, model_name: str | None = None, today: date | None = None
    ) -> tuple[IncidentRecord, ...]:
        """Incidents not yet closed (of one model or all), open first, the most severe first."""
        categories = self._categories(model_name)
        day = today or utc_now().date()
        return tuple(
            _incident(row, categories, day) for row in self.incidents.open_rows(model_name)
        )

    def counts(self, today: date | None = None) -> IncidentCounts:
        """Unresolved incidents for the portfolio report: how many, the most serious first."""
        unresolved = self.unresolved(today=today)
        return IncidentCounts(len(unresolved), unresolved[:3])

    def open_per_model(self) -> dict[str, tuple[tuple[str, ...], datetime]]:
        """Per model: references of its open (not yet mitigated) incidents, and when the
        earliest of them started."""
        return {
            row["model_name"]: (tuple(reference_number(i) for i in row["ids"]), row["since"])
            for row in self.incidents.open_per_model()
        }

    def open_tasks(self, now: datetime) -> tuple[Task, ...]:
        """incident_new: every open incident, for each owner of its model."""
        rows = [row for row in self.incidents.open_rows() if row["status"] == "open"]
        if not rows:
            return ()
        owners = self._owners()
        categories = self._categories()
        tasks = []
        for row in rows:
            incident = _incident(row, categories, now.date())
            for person in owners.get(incident.model_name, ()):
                tasks.append(
                    Task(
                        kind="incident_new",
                        person=person,
                        key=f"incident:{incident.id}",
                        since=incident.reported_at,
                        model_name=incident.model_name,
                        serious=incident.severe,
                        due=incident.deadline.due if incident.deadline else None,
                        page="incidents",
                        params=(("incident", incident.reference),),
                        detail=(("reference", incident.reference), ("title", incident.title)),
                    )
                )
        return tuple(tasks)

    # --- helpers ------------------------------------------------------------------------------

    def _row(self, reference: str) -> Row:
        number = incident_id(reference)
        row = self.incidents.get(number) if number is not None else None
        if row is None:
            raise UnknownIncident(reference)
        return row

    def _categories(self, model_name: str | None = None) -> dict[str, str]:
        return {
            name: record["ai_act_category"]
            for name, record in self.governance.governance(model_name).items()
        }

    def _owners(self) -> dict[str, tuple[str, ...]]:
        """Every model's owners, read for all models at once."""
        tags = group_tags(self.catalog.effective_tag_rows())
        records = self.governance.governance()
        owners = {}
        for name, pair in tags.items():
            record = records.get(name) or {}
            owners[name] = model_owners(
                split_list_tag(effective_tags(*pair).get("owner", "")),
                record.get("business_owner", ""),
                record.get("accountable_executive", ""),
            )
        for name, record in records.items():
            owners.setdefault(
                name,
                model_owners((), record["business_owner"], record["accountable_executive"]),
            )
        return owners


def _incident(row: Row, categories: dict[str, str], today: date) -> IncidentRecord:
    values = {key: value for key, value in row.items() if key != "trace"}
    return IncidentRecord(
        reference=reference_number(row["id"]),
        trace=Trace.from_json(row["trace"], row["started_at"]),
        deadline=reporting_deadline(
            row["severity"], categories.get(row["model_name"], ""), row["reported_at"], today
        ),
        **values,
    )
