"""Sign-offs: record decisions at design, evaluation and go-live, and read what waits for whom.

Who signs comes from the records the portal already keeps: a use case's business owner and
accountable executive (design); a model's business owner (its governance record, else its use
case's) and technical owners (the MLflow `owner` tag) at evaluation; its accountable executive
(governance, else the use case's) at go-live. Only models that serve a use case go through the
evaluation and go-live steps: the lifecycle starts with a use case. An admin may record a
decision in a role they are not named in (a signature given on paper, someone away); the record
then says an admin signed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.documentation import effective_tags, split_list_tag
from portal.domain.metrics import usable_value
from portal.domain.production import RegistryEvent, production_history
from portal.domain.roles import owns
from portal.domain.signoffs import (
    DECISIONS,
    REQUIRED_ROLES,
    STEPS,
    TEXT_LIMIT,
    Awaiting,
    Evidence,
    PendingSummary,
    PeriodApproval,
    SignOff,
    StepState,
    Subject,
    Unapproved,
    Waiting,
    awaiting,
    evidence_for,
    evidence_from_json,
    evidence_json,
    in_force,
    step_state,
)
from portal.domain.tasks import Task
from portal.domain.use_cases import UseCase
from portal.domain.validation import Problem
from portal.errors import InvalidInput, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize_as, may_as
from portal.services.identity import Identity
from portal.services.use_cases import UseCaseService
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store
from portal.store.governance_repo import GovernanceRepository
from portal.store.signoff_repo import SignOffRepository
from portal.store.use_case_repo import UseCaseRepository

MODEL_PAGE = "model"
USE_CASE_PAGE = "use-cases"


@dataclass(frozen=True)
class VersionSignOffs:
    """One version's evaluation and go-live state."""

    version: int
    evaluation: StepState
    go_live: StepState


@dataclass(frozen=True)
class ModelSignOffs:
    """Everything the model card shows about a model's sign-offs."""

    model_name: str
    production_version: int | None
    use_case: UseCase | None  # None: the model serves no use case, nothing waits
    signers: dict[str, tuple[str, ...]]  # role -> the people named in it for this model
    awaiting: Awaiting
    evidence: dict[int, tuple[Evidence, ...]]  # per awaiting version: targets vs run metrics
    versions: tuple[VersionSignOffs, ...]  # the awaiting ones and those with records
    history: tuple[SignOff, ...]  # newest first


@dataclass(frozen=True)
class _Model:
    """What the rules read about one model."""

    name: str
    use_case: UseCase | None
    business_owner: str
    accountable_executive: str
    technical_owners: tuple[str, ...]
    versions: tuple[Row, ...]
    production_version: int | None
    production_since: datetime | None


class SignOffService:
    """Sign-off use cases over the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.signoffs = SignOffRepository(store)
        self.catalog = CatalogRepository(store)
        self.use_cases = UseCaseService(store, settings)

    # --- reads -----------------------------------------------------------------------------

    def use_case_history(self, key: str) -> tuple[SignOff, ...]:
        """A use case's design records, newest first."""
        use_case = self.use_cases.get(key)
        if use_case is None:
            return ()
        return _newest_first(self.signoffs.records(use_case_id=use_case.id))

    def design_state(self, key: str) -> StepState | None:
        """Where a use case's design approval stands; None for an unknown use case."""
        use_case = self.use_cases.get(key)
        if use_case is None:
            return None
        return step_state("design", self.use_case_history(key))

    def model_history(self, model_name: str) -> tuple[SignOff, ...]:
        """A model's evaluation and go-live records, newest first."""
        return _newest_first(self.signoffs.records(model_name=model_name))

    def model_signoffs(self, model_name: str) -> ModelSignOffs | None:
        """A model's sign-off state for its card; None when no active model has that name."""
        model = self._models(model_name).get(model_name)
        if model is None:
            return None
        history = self.model_history(model_name)
        states = _version_states(history).get(model_name, {})
        waiting = _awaiting(model, states) if model.use_case else Awaiting(None, ())
        recorded = {v for per_step in states.values() for v in per_step}
        shown = sorted(
            (recorded | set(waiting.go_live) | {waiting.evaluation}) - {None}, reverse=True
        )
        evidence = {}
        if waiting.evaluation is not None and model.use_case is not None:
            evidence[waiting.evaluation] = self._evidence(model, waiting.evaluation)
        return ModelSignOffs(
            model_name=model_name,
            production_version=model.production_version,
            use_case=model.use_case,
            signers=_model_signers(model),
            awaiting=waiting,
            evidence=evidence,
            versions=tuple(
                VersionSignOffs(v, _state(states, "evaluation", v), _state(states, "go_live", v))
                for v in shown
            ),
            history=history,
        )

    def signers(self, step: str, subject: Subject) -> dict[str, tuple[str, ...]]:
        """Per required role of the step, the people named in it for the subject."""
        if step == "design":
            use_case = self.use_cases.get(subject.use_case_key)
            return _design_signers(use_case) if use_case else {}
        model = self._models(subject.model_name).get(subject.model_name)
        if model is None:
            return {}
        everyone = _model_signers(model)
        return {role: everyone[role] for role in REQUIRED_ROLES.get(step, ())}

    def roles_for(
        self,
        actor: Identity,
        step: str,
        subject: Subject,
        signers: dict[str, tuple[str, ...]] | None = None,
    ) -> tuple[str, ...]:
        """The roles the actor may sign in for the subject: those they are named in, or every
        role for an admin (the record then says an admin signed). signers: the step's people
        as the caller already read them (else read here)."""
        named = self.signers(step, subject) if signers is None else signers
        label = _subject_label(step, subject)
        return tuple(
            role
            for role in REQUIRED_ROLES.get(step, ())
            if may_as(self.store, actor, "signoff.sign", label, named.get(role, ()))
        )

    def unapproved_production(self) -> tuple[Unapproved, ...]:
        """Models serving a use case whose version in production has no go-live approval in
        force, with when that version went to production; longest unapproved first."""
        states = _version_states(self._all_records())
        found = []
        for model in self._models().values():
            version = model.production_version
            if model.use_case is None or version is None:
                continue
            if _state(states.get(model.name, {}), "go_live", version).status == "approved":
                continue
            found.append(
                Unapproved(
                    model.name,
                    version,
                    model.production_since,
                    model.accountable_executive,
                    model.business_owner,
                )
            )
        return tuple(sorted(found, key=lambda u: (u.since or datetime.max, u.model_name)))

    def ledger_approvals(self, model_name: str) -> tuple[PeriodApproval, ...]:
        """Per production period of the model (newest first): whether its version had go-live
        approval in force, and when it was given (before or after it went live)."""
        events = [
            RegistryEvent(e["observed_at"], e["marker"], e["version_before"], e["version_after"])
            for e in self.catalog.ledger(model_name)
        ]
        periods = production_history(events, self.settings.production_aliases)
        go_live = [r for r in self.model_history(model_name) if r.step == "go_live"]
        approvals = []
        for period in reversed(periods):
            records = [r for r in go_live if r.model_version == period.version]
            state = step_state("go_live", records)
            approved_at = (
                max(r.signed_at for r in state.in_force) if state.status == "approved" else None
            )
            approvals.append(PeriodApproval(period.version, period.start, period.end, approved_at))
        return tuple(approvals)

    def open_tasks(self, now: datetime) -> tuple[Task, ...]:
        """Every sign-off waiting for a named person, and every production version without
        go-live approval, for all people at once."""
        del now  # a waiting sign-off has no deadline: it waits until someone decides
        records = _records(self.signoffs.records())
        tasks = list(self._design_tasks(records))
        states = _version_states(records)
        for model in self._models().values():
            if model.use_case is None:
                continue
            tasks += _model_tasks(model, states.get(model.name, {}))
        return tuple(tasks)

    def pending_summary(self, now: datetime, shown: int = 5) -> PendingSummary:
        """How many sign-offs wait (one per step and subject, however many people it waits
        for), the oldest few by name, and the production versions without go-live approval."""
        titles = {u.key: u.title for u in self.use_cases.all()}
        waiting: dict[tuple[str, str, int | None], datetime] = {}
        for task in self.open_tasks(now):
            if task.kind != "signoff_waiting":
                continue
            version = int(task.values["version"]) if "version" in task.values else None
            subject = titles.get(task.use_case_key, task.use_case_key)
            key = (task.variant, task.model_name or subject, version)
            waiting[key] = min(waiting.get(key, task.since), task.since)
        oldest = sorted(waiting, key=lambda key: (waiting[key], key[1]))
        return PendingSummary(
            waiting=len(waiting),
            examples=tuple(Waiting(*key) for key in oldest[:shown]),
            unapproved=self.unapproved_production(),
        )

    # --- writes ----------------------------------------------------------------------------

    def sign(
        self,
        actor: Identity,
        step: str,
        subject: Subject,
        role: str,
        decision: str,
        conditions: str,
        comment: str,
        submission_key: str,
        now: datetime | None = None,
    ) -> SignOff:
        """Record one decision (audited in its transaction); a completed design approval moves
        a proposed use case to 'approved' in the same transaction (a later withdrawal leaves the
        status to the use case's owners: the step shows as pending again). A resent form
        returns the record it stored the first time."""
        problems = _choice_problems(step, role, decision)
        if problems:
            raise InvalidInput(problems)
        use_case, model = self._subject(step, subject)
        people = (
            _design_signers(use_case) if step == "design" else _model_signers(model)  # type: ignore[arg-type]
        ).get(role, ())
        label = _subject_label(step, subject)
        authorize_as(self.store, actor, "signoff.sign", label, people)
        problems = _text_problems(decision, conditions, comment)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        use_case_id = use_case.id if step == "design" and use_case else None
        model_name = subject.model_name if step != "design" else ""
        version = subject.version if step != "design" else None
        evidence = (
            evidence_json(self._evidence(model, version))  # type: ignore[arg-type]
            if step == "evaluation" and decision != "withdrawn"
            else ""
        )
        with self.store.transaction() as tx:
            existing = SignOffRepository.id_for_key(tx, submission_key)
            if existing is not None:
                return next(r for r in self._all_records() if r.id == existing)
            before = [
                r
                for r in SignOffRepository.records_in(tx, step, use_case_id, model_name)
                if r["model_version"] == version
            ]
            newest = in_force(_as_signoff(r) for r in before).get(role)
            if decision == "withdrawn" and (newest is None or newest.decision == "withdrawn"):
                raise InvalidInput((Problem("decision", "nothing_to_withdraw"),))
            row = {
                "submission_key": submission_key,
                "step": step,
                "use_case_id": use_case_id,
                "model_name": model_name,
                "model_version": version,
                "role": role,
                "decision": decision,
                "conditions": conditions.strip(),
                "comment": comment.strip(),
                "evidence": evidence,
                "signed_by": actor.label,
                "signed_by_name": actor.name,
                "signed_as_admin": not owns(actor.email, people),
                "signed_at": at,
            }
            signoff_id = SignOffRepository.insert(tx, row)
            record = _as_signoff({**row, "id": signoff_id})
            write_audit(
                tx,
                actor,
                f"signoff.{decision}",
                ("signoff", str(signoff_id)),
                at,
                model_name=model_name or None,
                after={k: v for k, v in row.items() if k != "submission_key"},
            )
            completed = (
                step == "design"
                and use_case is not None
                and use_case.status == "proposed"
                and step_state("design", [*map(_as_signoff, before), record]).status == "approved"
            )
            if completed:
                UseCaseRepository.set_status_in(tx, use_case.id, "approved", actor.label, at)
                write_audit(
                    tx,
                    actor,
                    "use_case.approved",
                    ("use_case", use_case.key),
                    at,
                    before={"status": "proposed"},
                    after={"status": "approved"},
                )
            tx.bump_data_version()
        return record

    # --- helpers ---------------------------------------------------------------------------

    def _subject(self, step: str, subject: Subject) -> tuple[UseCase | None, _Model | None]:
        """The use case or model version signed for; InvalidInput or UnknownModel if none."""
        if step == "design":
            use_case = self.use_cases.get(subject.use_case_key)
            if use_case is None:
                raise InvalidInput((Problem("use_case", "unknown_choice"),))
            return use_case, None
        model = self._models(subject.model_name).get(subject.model_name)
        if model is None:
            raise UnknownModel(subject.model_name)
        if subject.version not in {row["version"] for row in model.versions}:
            raise InvalidInput((Problem("version", "unknown_choice"),))
        return model.use_case, model

    def _models(self, model_name: str | None = None) -> dict[str, _Model]:
        """The facts the rules need, for one model or every active one, in a few queries."""
        serving = self.use_cases.use_case_of_models()
        use_cases = {u.key: u for u in self.use_cases.all()}
        governance = GovernanceRepository(self.store).governance(model_name)
        tags = group_tags(self.catalog.effective_tag_rows(model_name))
        versions: dict[str, list[Row]] = defaultdict(list)
        for row in self.signoffs.live_versions():
            if model_name is None or row["model_name"] == model_name:
                versions[row["model_name"]].append(row)
        models = {}
        for row in self.catalog.inventory():
            name = row["name"]
            if model_name is not None and name != model_name:
                continue
            record = governance.get(name) or {}
            use_case = use_cases.get(serving.get(name, ""))
            models[name] = _Model(
                name=name,
                use_case=use_case,
                business_owner=(record.get("business_owner") or "").strip()
                or (use_case.business_owner.strip() if use_case else ""),
                accountable_executive=(record.get("accountable_executive") or "").strip()
                or (use_case.accountable_executive.strip() if use_case else ""),
                technical_owners=split_list_tag(
                    effective_tags(*tags.get(name, ({}, {}))).get("owner", "")
                ),
                versions=tuple(versions.get(name, ())),
                production_version=row["production_version"],
                production_since=row["production_since"],
            )
        return models

    def _evidence(self, model: _Model, version: int | None) -> tuple[Evidence, ...]:
        """The use case's model targets next to the version's run metrics, now."""
        if model.use_case is None:
            return ()
        run_id = next((r["run_id"] for r in model.versions if r["version"] == version), None)
        metrics = (
            {row["key"]: usable_value(row["value"]) for row in self.catalog.run_metrics(run_id)}
            if run_id
            else {}
        )
        return evidence_for(model.use_case.metrics, metrics)

    def _all_records(self) -> tuple[SignOff, ...]:
        return _records(self.signoffs.records())

    def _design_tasks(self, records: tuple[SignOff, ...]) -> list[Task]:
        by_use_case: dict[int, list[SignOff]] = defaultdict(list)
        for record in records:
            if record.step == "design" and record.use_case_id is not None:
                by_use_case[record.use_case_id].append(record)
        tasks = []
        for use_case in self.use_cases.all():
            if use_case.status != "proposed":
                continue
            state = step_state("design", by_use_case.get(use_case.id, ()))
            if state.decided:
                continue
            signers = _design_signers(use_case)
            for role in state.missing:
                for person in signers.get(role, ()):
                    tasks.append(
                        Task(
                            kind="signoff_waiting",
                            person=person,
                            key=f"signoff:design:{use_case.key}:{role}",
                            since=use_case.proposed_at or datetime.min,
                            use_case_key=use_case.key,
                            serious=True,
                            page=USE_CASE_PAGE,
                            params=(("use_case", use_case.key),),
                            variant="design",
                        )
                    )
        return tasks


def _model_tasks(model: _Model, states: StatesByVersion) -> list[Task]:
    """A model's waiting evaluation and go-live sign-offs, and its unapproved production."""
    waiting = _awaiting(model, states)
    signers = _model_signers(model)
    created = {row["version"]: row["created_at"] for row in model.versions}
    tasks = []
    base = {
        "model_name": model.name,
        "use_case_key": model.use_case.key if model.use_case else "",
        "serious": True,
        "page": MODEL_PAGE,
        "params": (("model", model.name),),
    }
    if waiting.evaluation is not None:
        version = waiting.evaluation
        state = _state(states, "evaluation", version)
        for role in state.missing:
            for person in signers.get(role, ()):
                tasks.append(
                    Task(
                        kind="signoff_waiting",
                        person=person,
                        key=f"signoff:evaluation:{model.name}:{version}:{role}",
                        since=created.get(version) or datetime.min,
                        detail=(("version", str(version)),),
                        variant="evaluation",
                        **base,
                    )
                )
    for version in waiting.go_live:
        if version == model.production_version:
            person = model.accountable_executive or model.business_owner
            if person:
                tasks.append(
                    Task(
                        kind="unapproved_production",
                        person=person,
                        key=f"unapproved:{model.name}:{version}",
                        since=model.production_since or datetime.min,
                        detail=(("version", str(version)),),
                        **base,
                    )
                )
            continue
        accepted = _state(states, "evaluation", version)
        since = max((r.signed_at for r in accepted.in_force), default=None)
        for person in signers.get("accountable_executive", ()):
            tasks.append(
                Task(
                    kind="signoff_waiting",
                    person=person,
                    key=f"signoff:go_live:{model.name}:{version}",
                    since=since or created.get(version) or datetime.min,
                    detail=(("version", str(version)),),
                    variant="go_live",
                    **base,
                )
            )
    return tasks


StatesByVersion = dict[str, dict[int, StepState]]  # step -> version -> state


def _awaiting(model: _Model, states: StatesByVersion) -> Awaiting:
    """Which of the model's versions wait for which decision."""
    return awaiting(
        [row["version"] for row in model.versions],
        model.production_version,
        states.get("evaluation", {}),
        states.get("go_live", {}),
    )


def _version_states(records: tuple[SignOff, ...]) -> dict[str, StatesByVersion]:
    """Per model, step and version of the records given, the step's state."""
    grouped: dict[tuple[str, str, int], list[SignOff]] = defaultdict(list)
    for record in records:
        if record.step != "design" and record.model_version is not None:
            grouped[(record.model_name, record.step, record.model_version)].append(record)
    states: dict[str, StatesByVersion] = defaultdict(lambda: defaultdict(dict))
    for (model, step, version), group in grouped.items():
        states[model][step][version] = step_state(step, group)
    return states


def _state(states: StatesByVersion, step: str, version: int) -> StepState:
    """One version's state of a step (pending when it has no records)."""
    return states.get(step, {}).get(version) or step_state(step, ())


def _design_signers(use_case: UseCase) -> dict[str, tuple[str, ...]]:
    return {
        "business_owner": _named(use_case.business_owner),
        "accountable_executive": _named(use_case.accountable_executive),
    }


def _model_signers(model: _Model) -> dict[str, tuple[str, ...]]:
    return {
        "business_owner": _named(model.business_owner),
        "technical_owner": model.technical_owners,
        "accountable_executive": _named(model.accountable_executive),
    }


def _named(email: str) -> tuple[str, ...]:
    return (email.strip(),) if email.strip() else ()


def _subject_label(step: str, subject: Subject) -> str:
    if step == "design":
        return f"use_case:{subject.use_case_key}"
    return f"model:{subject.model_name}:{subject.version}"


def _choice_problems(step: str, role: str, decision: str) -> tuple[Problem, ...]:
    problems = []
    if step not in STEPS:
        problems.append(Problem("step", "unknown_choice"))
    elif role not in REQUIRED_ROLES[step]:
        problems.append(Problem("role", "unknown_choice"))
    if decision not in DECISIONS:
        problems.append(Problem("decision", "unknown_choice"))
    return tuple(problems)


def _text_problems(decision: str, conditions: str, comment: str) -> tuple[Problem, ...]:
    problems = []
    for field, text in (("conditions", conditions), ("comment", comment)):
        if len(text.strip()) > TEXT_LIMIT:
            problems.append(Problem(field, "too_long", TEXT_LIMIT))
    # A rejection or a withdrawal must say why: the people who act next need to know.
    if decision in ("rejected", "withdrawn") and not comment.strip():
        problems.append(Problem("comment", "required"))
    return tuple(problems)


def _as_signoff(row: Row) -> SignOff:
    return SignOff(
        id=row["id"],
        step=row["step"],
        use_case_id=row.get("use_case_id"),
        model_name=row.get("model_name") or "",
        model_version=row.get("model_version"),
        role=row["role"],
        decision=row["decision"],
        conditions=row.get("conditions") or "",
        comment=row.get("comment") or "",
        evidence=evidence_from_json(row.get("evidence") or ""),
        signed_by=row.get("signed_by") or "",
        signed_by_name=row.get("signed_by_name") or "",
        signed_as_admin=bool(row.get("signed_as_admin")),
        signed_at=row["signed_at"],
    )


def _records(rows: list[Row]) -> tuple[SignOff, ...]:
    return tuple(_as_signoff(row) for row in rows)


def _newest_first(rows: list[Row]) -> tuple[SignOff, ...]:
    return tuple(reversed(_records(rows)))
