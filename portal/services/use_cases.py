"""Use cases: read them, and which models serve which; writes are authorized and audited here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.roles import ACTION_ROLES
from portal.domain.use_cases import (
    STATUSES,
    KeyMetric,
    ModelLink,
    Pipeline,
    UseCase,
    UseCaseDraft,
    check_move,
    check_use_case,
    expected_money,
    key_metrics_of,
    pipeline_of,
    use_case_of_model,
)
from portal.domain.validation import Problem
from portal.domain.value import (
    RATIONALE_MAX,
    Benchmark,
    BenchmarkDraft,
    check_benchmark,
    first_of_month,
)
from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize_as, may_as, models_owned_by
from portal.services.identity import Identity
from portal.services.value import ValueService, benchmark_terms
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Row, Store, Transaction
from portal.store.use_case_repo import UseCaseRepository

# The fields an edit may change and the audit records: everything but the key and status.
_FIELDS = (
    "title",
    "question",
    "business_process",
    "business_unit",
    "accountable_executive",
    "business_owner",
    "users",
    "regulation",
    "budget",
    "staff",
)


class UseCaseService:
    """Use case use cases over the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.use_cases = UseCaseRepository(store)
        self.catalog = CatalogRepository(store)

    # --- reads ---------------------------------------------------------------------------------

    def all(self) -> tuple[UseCase, ...]:
        """Every use case with its key metrics, by title."""
        metrics: dict[int, list[KeyMetric]] = defaultdict(list)
        for row in self.use_cases.key_metrics():
            metrics[row["use_case_id"]].append(
                KeyMetric(row["metric"], row["kind"], row["comparison"], row["target"], row["unit"])
            )
        return tuple(
            UseCase(
                id=row["id"],
                key=row["key"],
                title=row["title"],
                question=row["question"],
                status=row["status"],
                business_process=row["business_process"],
                business_unit=row["business_unit"],
                accountable_executive=row["accountable_executive"],
                business_owner=row["business_owner"],
                users=row["users"],
                regulation=row["regulation"],
                budget=row["budget"],
                staff=row["staff"],
                proposed_by=row["proposed_by"],
                proposed_at=row["proposed_at"],
                updated_by=row["updated_by"],
                updated_at=row["updated_at"],
                metrics=tuple(metrics.get(row["id"], ())),
            )
            for row in self.use_cases.use_cases()
        )

    def get(self, key: str) -> UseCase | None:
        """One use case by its key (case does not matter); None when there is none."""
        wanted = key.strip().casefold()
        return next((u for u in self.all() if u.key.casefold() == wanted), None)

    def use_case_of_models(self) -> dict[str, str]:
        """Per active model that serves a use case: the use case's key (a portal link wins
        over the MLflow tag `use_case`; a tag naming no known use case links nothing)."""
        return {link.model_name: key for key, links in self.serving().items() for link in links}

    def models_by_use_case(self) -> dict[str, tuple[str, ...]]:
        """Per use case key: the models serving it, by name."""
        serving = self.serving()
        return {key: tuple(link.model_name for link in links) for key, links in serving.items()}

    def serving(self) -> dict[str, tuple[ModelLink, ...]]:
        """Per use case key: the models serving it by name, each with how it is linked."""
        keys = {u.key.casefold(): u.key for u in self.all()}
        grouped: dict[str, list[ModelLink]] = defaultdict(list)
        for row in self.use_cases.model_links():
            key = use_case_of_model(row["linked_key"], row["tag_value"], keys)
            if key is not None:
                via = "portal" if row["linked_key"] else "tag"
                grouped[key].append(ModelLink(row["model_name"], via))
        return {key: tuple(links) for key, links in sorted(grouped.items())}

    def serving_use_case(self, model_name: str) -> UseCase | None:
        """The use case a model serves; None when it serves none."""
        key = self.use_case_of_models().get(model_name)
        return self.get(key) if key else None

    def pipeline(self) -> Pipeline:
        """How many use cases are in each status, and the approved ones with no model yet."""
        return pipeline_of(self.all(), set(self.serving()))

    def benchmark_history(self, key: str) -> list[Row]:
        """Every version of a use case's promises, per KPI oldest first; [] for an unknown key."""
        case = self.get(key)
        return self.use_cases.benchmarks(case.id) if case else []

    def expected_values(self) -> dict[str, float]:
        """Per use case key: the money per month its newest promises are worth when kept
        (only use cases whose promises say what a unit is worth)."""
        latest: dict[tuple[int, str], Row] = {}
        for row in self.use_cases.benchmarks():
            latest[(row["use_case_id"], row["kpi"])] = row  # oldest first: the last one wins
        by_case: dict[int, list] = defaultdict(list)
        for (case_id, _), row in latest.items():
            by_case[case_id].append(
                Benchmark(
                    row["baseline"],
                    row["target"],
                    row["direction"],
                    row["aggregation"],
                    row["valid_from"],
                    row["money_per_unit"],
                )
            )
        keys = {u.id: u.key for u in self.all()}
        found = {keys[case_id]: expected_money(terms) for case_id, terms in by_case.items()}
        return {key: money for key, money in found.items() if money is not None}

    # --- writes --------------------------------------------------------------------------------

    def may_propose(self, actor: Identity) -> bool:
        """For the interface: offer the proposal form or not (the save checks again)."""
        return self._may_propose(actor, "use_case:new")

    def propose(self, actor: Identity, draft: UseCaseDraft, now: datetime | None = None) -> str:
        """Record a proposed use case; return its key."""
        key = draft.key.strip()
        if not self._may_propose(actor, f"use_case:{key}"):
            raise NotAllowed("use_case.propose", ACTION_ROLES["use_case.propose"])
        at = now or utc_now()
        with self.store.transaction() as tx:
            problems = check_use_case(draft, UseCaseRepository.keys_in(tx))
            if problems:
                raise InvalidInput(problems)
            row = {**_values(draft), "key": key, "status": "proposed", "by": actor.label, "at": at}
            case_id = UseCaseRepository.insert_in(tx, row)
            UseCaseRepository.replace_metrics_in(tx, case_id, _metric_rows(draft))
            after = {**_audited(row), "status": "proposed", "metrics": _metric_rows(draft)}
            write_audit(tx, actor, "use_case.propose", ("use_case", key), at, after=after)
            tx.bump_data_version()
        return key

    def may_edit(self, actor: Identity, key: str) -> bool:
        """For the interface: offer an owner's forms for this use case or not."""
        case = self.get(key)
        return case is not None and may_as(
            self.store, actor, "use_case.edit", f"use_case:{case.key}", case.owners
        )

    def edit(
        self, actor: Identity, key: str, draft: UseCaseDraft, now: datetime | None = None
    ) -> None:
        """Change a use case's texts, people, requirements and key metrics (never its key)."""
        case = self._owned(actor, key)
        draft = replace(draft, key=case.key)  # the key names the use case in MLflow: it stays
        at = now or utc_now()
        with self.store.transaction() as tx:
            others = {k: i for k, i in UseCaseRepository.keys_in(tx).items() if i != case.id}
            problems = check_use_case(draft, others)
            if problems:
                raise InvalidInput(problems)
            before_row = UseCaseRepository.row_in(tx, case.id) or {}
            before = {**_audited(before_row), "metrics": _stored_metrics(tx, case.id)}
            row = {**_values(draft), "by": actor.label, "at": at}
            UseCaseRepository.update_in(tx, case.id, row)
            UseCaseRepository.replace_metrics_in(tx, case.id, _metric_rows(draft))
            after = {**_audited(row), "metrics": _metric_rows(draft)}
            write_audit(
                tx, actor, "use_case.edit", ("use_case", case.key), at, before=before, after=after
            )
            tx.bump_data_version()

    def set_status(
        self, actor: Identity, key: str, status: str, now: datetime | None = None
    ) -> None:
        """Move a use case on (approved → in development → in production → retired, or to
        retired from anywhere); 'approved' is the design sign-off's to set."""
        case = self._owned(actor, key)
        problems = check_move(case.status, status)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        with self.store.transaction() as tx:
            UseCaseRepository.set_status_in(tx, case.id, status, actor.label, at)
            write_audit(
                tx,
                actor,
                "use_case.status",
                ("use_case", case.key),
                at,
                before={"status": case.status},
                after={"status": status},
            )
            tx.bump_data_version()

    def link_model(
        self, actor: Identity, key: str, model_name: str, now: datetime | None = None
    ) -> None:
        """Link a model to the use case in the portal (a link wins over the MLflow tag)."""
        case = self._owned(actor, key)
        if self.catalog.model(model_name) is None:
            raise UnknownModel(model_name)
        at = now or utc_now()
        with self.store.transaction() as tx:
            previous = UseCaseRepository.link_of_in(tx, model_name)
            UseCaseRepository.link_in(tx, model_name, case.id, actor.label, at)
            write_audit(
                tx,
                actor,
                "use_case.link",
                ("use_case", case.key),
                at,
                model_name=model_name,
                before={"use_case": previous["key"]} if previous else None,
                after={"use_case": case.key},
            )
            tx.bump_data_version()

    def unlink_model(
        self, actor: Identity, key: str, model_name: str, now: datetime | None = None
    ) -> None:
        """Remove a model's portal link to the use case (its MLflow tag, if any, still counts)."""
        case = self._owned(actor, key)
        at = now or utc_now()
        with self.store.transaction() as tx:
            previous = UseCaseRepository.link_of_in(tx, model_name)
            if previous is None or previous["use_case_id"] != case.id:
                raise InvalidInput((Problem("model", "use_case_not_linked"),))
            UseCaseRepository.unlink_in(tx, model_name)
            write_audit(
                tx,
                actor,
                "use_case.unlink",
                ("use_case", case.key),
                at,
                model_name=model_name,
                before={"use_case": case.key},
            )
            tx.bump_data_version()

    def set_benchmark(
        self, actor: Identity, key: str, draft: BenchmarkDraft, now: datetime | None = None
    ) -> int:
        """Store a new version of the use case's design-time promise for a KPI; its version."""
        case = self._owned(actor, key)
        problems = check_benchmark(draft)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        row: dict[str, Any] = {
            "use_case_id": case.id,
            "kpi": draft.kpi.strip(),
            "baseline": draft.baseline,
            "target": draft.target,
            "direction": draft.direction,
            "aggregation": draft.aggregation,
            "unit": draft.unit.strip(),
            "money_per_unit": draft.money_per_unit,
            "rationale": draft.rationale.strip(),
            "valid_from": first_of_month(draft.valid_from),  # type: ignore[arg-type]
            "set_by": actor.label,
            "set_at": at,
        }
        with self.store.transaction() as tx:
            previous = UseCaseRepository.latest_benchmark_in(tx, case.id, row["kpi"])
            row["version"] = (previous["version"] + 1) if previous else 1
            UseCaseRepository.insert_benchmark_in(tx, row)
            write_audit(
                tx,
                actor,
                "use_case.benchmark",
                ("use_case_benchmark", f"{case.key}/{row['kpi']}/v{row['version']}"),
                at,
                before=benchmark_terms(previous),
                after=benchmark_terms(row),
            )
            tx.bump_data_version()
        return row["version"]

    def adopt_benchmark(
        self, actor: Identity, key: str, model_name: str, kpi: str, now: datetime | None = None
    ) -> int:
        """Make the use case's newest promise for a KPI the benchmark of a model serving it
        (a model benchmark: its owners' to set); return the model benchmark's version."""
        case = self.get(key)
        if case is None:
            raise InvalidInput((Problem("use_case", "use_case_unknown"),))
        promise = next(
            (
                row
                for row in reversed(self.use_cases.benchmarks(case.id))
                if row["kpi"] == kpi.strip()
            ),
            None,
        )
        if self.use_case_of_models().get(model_name) != case.key:
            raise InvalidInput((Problem("model", "use_case_not_serving"),))
        if promise is None:
            raise InvalidInput((Problem("kpi", "use_case_no_promise"),))
        origin = f"{case.title} ({case.key}, v{promise['version']}): "
        draft = BenchmarkDraft(
            promise["kpi"],
            promise["baseline"],
            promise["target"],
            promise["direction"],
            promise["aggregation"],
            promise["unit"],
            promise["money_per_unit"],
            (origin + promise["rationale"])[:RATIONALE_MAX],
            promise["valid_from"],
        )
        return ValueService(self.store, self.settings).set_benchmark(actor, model_name, draft, now)

    # --- helpers -------------------------------------------------------------------------------

    def _may_propose(self, actor: Identity, subject: str) -> bool:
        # A model's owners may propose like an expert (as they may report on their models).
        owner = (actor.email,) if actor.email and models_owned_by(self.store, actor) else ()
        return may_as(self.store, actor, "use_case.propose", subject, owner)

    def _owned(self, actor: Identity, key: str) -> UseCase:
        """The use case, once the actor is allowed to change it."""
        case = self.get(key)
        if case is None:
            raise InvalidInput((Problem("use_case", "use_case_unknown"),))
        authorize_as(self.store, actor, "use_case.edit", f"use_case:{case.key}", case.owners)
        return case


def _values(draft: UseCaseDraft) -> dict[str, Any]:
    """The stored fields of a checked draft, trimmed."""
    values: dict[str, Any] = {
        name: getattr(draft, name).strip() for name in _FIELDS if name != "budget"
    }
    values["accountable_executive"] = values["accountable_executive"].casefold()
    values["business_owner"] = values["business_owner"].casefold()
    values["budget"] = draft.budget
    return values


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in _FIELDS}


def _metric_rows(draft: UseCaseDraft) -> list[dict[str, Any]]:
    return [asdict(metric) for metric in key_metrics_of(draft)]


def _stored_metrics(tx: Transaction, case_id: int) -> list[dict[str, Any]]:
    names = ("metric", "kind", "comparison", "target", "unit")
    return [dict(zip(names, row, strict=True)) for row in UseCaseRepository.metrics_in(tx, case_id)]


__all__ = ["STATUSES", "UseCaseService"]
