"""Many synthetic models beside the demo, to see and measure the portfolio at scale.

`portal demo --scale N` registers N generated models in the demo's MLflow store (names
`synthetic-0001-...`, tagged as synthetic demo content), syncs them at a few simulated moments
so production has a history, and enters promises, KPIs with segments, drift results,
accountability, risk assessments, feedback and a people directory through the services.
Everything derives from a fixed seed: the same N gives the same portfolio.
"""

from __future__ import annotations

import csv
import io
import logging
import random
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from portal.config import Settings
from portal.demo.catalog import DEMO_TAG
from portal.domain.catalog import SYNTHETIC_TAG
from portal.domain.drift import drift_strength
from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import RISKS, AssessmentDraft, Governance
from portal.domain.value import BenchmarkDraft, first_of_month
from portal.services.identity import Identity
from portal.store.database import Store
from portal.store.drift_repo import CheckResult, DriftRepository, FeatureResult

PREFIX = "synthetic-"
SEED = 20261202
VERSIONS = 10
RUN_VERSIONS = 3  # the newest versions come with a training run; older ones from elsewhere
# The simulated moments the registry is synced at, in days before today: production then has
# a history (since when), as in a registry that grew over two years.
WAVES = (540, 300, 120, 30)
MAX_COUNT = 5000

Checkpoint = Callable[[datetime], None]

_UNITS = ("Consumer sales", "Business", "Operations", "Finance", "HR", "Logistics", "Risk")
_TOPICS = (
    ("churn", "customers likely to cancel", "retention rate", "percent", "higher"),
    ("fraud", "payments likely to be fraudulent", "fraud losses", "EUR", "lower"),
    ("demand", "weekly demand per store", "stock-outs", "count", "lower"),
    ("credit", "loan applicants likely to default", "default rate", "percent", "lower"),
    ("pricing", "price elasticity per product", "margin", "EUR", "higher"),
    ("claims", "insurance claims needing an expert", "handling days", "days", "lower"),
    ("eta", "delivery arrival times", "late deliveries", "count", "lower"),
    ("leads", "sales leads worth a call", "won deals", "count", "higher"),
    ("maintenance", "machines about to fail", "unplanned downtime hours", "hours", "lower"),
    ("staffing", "call-centre volume per hour", "saved hours", "hours", "higher"),
)
_PROCESSES = 40  # business processes the models serve, shared across units
_FIRST = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hassan",
    "Ines",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Nils",
    "Olga",
    "Paul",
    "Rosa",
    "Stefan",
    "Tara",
    "Umut",
    "Vera",
    "Wim",
    "Yara",
    "Zoe",
)
_LAST = (
    "Schmidt",
    "Rossi",
    "Petrova",
    "Haddad",
    "Weber",
    "Müller",
    "Berger",
    "Klein",
    "Wolf",
    "Lange",
    "Koch",
    "Wagner",
    "Hoffmann",
    "Novak",
    "Silva",
    "Kaya",
    "Jansen",
    "Dubois",
)
_FEEDBACK = (
    ("wrong_prediction", "The score was far off for this case; the customer behaved otherwise."),
    ("data_quality", "Several inputs arrived empty this week, the scores look shifted."),
    ("unexpected_behaviour", "Predictions jumped after the last release without any reason."),
    ("fairness_concern", "Applicants from one region get noticeably worse scores."),
    ("suggestion", "Showing the main reasons next to each score would help the team."),
    ("praise", "The ranking saved the team a lot of manual work this month."),
)


@dataclass(frozen=True)
class Person:
    """Someone the synthetic portfolio names: owner, executive, business owner or expert."""

    email: str
    name: str
    team: str
    manager: str  # e-mail of their manager; '' at the top


@dataclass(frozen=True)
class SyntheticVersion:
    number: int
    days_ago: int
    metric: float  # accuracy of its training run (when it has one)


@dataclass(frozen=True)
class SyntheticModel:
    """One generated model: its registry entry, history and governance facts."""

    index: int
    name: str
    topic: int
    unit: str
    process: str
    tags: dict[str, str]
    owner: str  # '' when the model has no owner tag
    executive: str  # '' when nobody is accountable
    business_owner: str
    versions: tuple[SyntheticVersion, ...]
    champion: dict[int, int]  # wave -> version the champion alias points at then
    challenger: int | None  # version with the challenger alias at the end
    ai_act: str
    drift: str  # '', 'stable', 'watch' or 'drifting'

    @property
    def in_production(self) -> bool:
        return bool(self.champion)


def people(seed: int = SEED) -> tuple[Person, ...]:
    """The synthetic organisation: executives, their managers' reports, a few hundred people."""
    rng = random.Random(f"{seed}:people")
    persons: list[Person] = []
    used: set[str] = set()
    for first in _FIRST:
        for last in _LAST:
            email = f"{first}.{last}".lower().replace("ü", "ue") + "@example.com"
            if email not in used:
                used.add(email)
                unit = rng.choice(_UNITS)
                persons.append(Person(email, f"{first} {last}", f"{unit} analytics", ""))
    # The first seven are the executives, one per unit; everyone else reports to one of them.
    executives = persons[: len(_UNITS)]
    heads = [
        Person(person.email, person.name, unit, "")
        for person, unit in zip(executives, _UNITS, strict=True)
    ]
    rest = [
        Person(person.email, person.name, person.team, rng.choice(heads).email)
        for person in persons[len(_UNITS) :]
    ]
    return tuple(heads + rest)


def plan(count: int, seed: int = SEED) -> tuple[SyntheticModel, ...]:
    """count generated models; every figure comes from seed, so a plan is reproducible."""
    rng = random.Random(seed)
    staff = people(seed)
    executives, others = staff[: len(_UNITS)], staff[len(_UNITS) :]
    models = []
    for index in range(1, count + 1):
        topic = rng.randrange(len(_TOPICS))
        slug, what, *_ = _TOPICS[topic]
        unit = _UNITS[rng.randrange(len(_UNITS))]
        process = f"Process {rng.randrange(_PROCESSES) + 1:02d}"
        name = f"{PREFIX}{index:04d}-{slug}-{unit.lower().replace(' ', '-')}"
        owner = rng.choice(others).email if rng.random() < 0.8 else ""
        tags = {
            DEMO_TAG: "true",
            SYNTHETIC_TAG: "true",
            "business_unit": unit,
            "team": f"{unit} analytics",
            "decision_mode": "automated" if rng.random() < 0.3 else "advisory",
            "criticality": rng.choice(("low", "medium", "medium", "high")),
        }
        # Realistic gaps: documentation is where portfolios are patchy.
        if owner:
            tags["owner"] = owner
        if rng.random() < 0.9:
            tags["business_process"] = process
        if rng.random() < 0.85:
            tags["purpose"] = f"Predicts {what} for {unit.lower()} (synthetic)."
        if rng.random() < 0.6:
            tags["intended_use"] = f"Supporting the {unit.lower()} team's daily decisions."
        if rng.random() < 0.5:
            tags["limitations"] = "Trained on the last two years only."
        if rng.random() < 0.7:
            tags["data_sources"] = f"{slug}.events, {slug}.master_data"
        first_day = rng.randint(400, 700)
        step = first_day // (VERSIONS + 1)
        versions = tuple(
            SyntheticVersion(n, first_day - (n - 1) * step, round(rng.uniform(0.68, 0.95), 3))
            for n in range(1, VERSIONS + 1)
        )
        champion: dict[int, int] = {}
        if rng.random() < 0.75:
            go_live = rng.randrange(len(WAVES))
            for wave in range(go_live, len(WAVES)):
                registered = [v.number for v in versions if v.days_ago >= WAVES[wave]]
                if registered and (wave == go_live or rng.random() < 0.6):
                    champion[wave] = registered[-1]
                elif registered and champion:
                    champion[wave] = champion[max(champion)]
        challenger = VERSIONS if champion and rng.random() < 0.3 else None
        executive = rng.choice(executives).email if rng.random() < 0.6 else ""
        business_owner = rng.choice(others).email if rng.random() < 0.7 else ""
        ai_act = rng.choice(("", "minimal", "minimal", "limited", "high"))
        drift = (
            rng.choice(("stable", "stable", "stable", "watch", "drifting", "")) if champion else ""
        )
        models.append(
            SyntheticModel(
                index,
                name,
                topic,
                unit,
                process,
                tags,
                owner,
                executive,
                business_owner,
                versions,
                champion,
                challenger,
                ai_act,
                drift,
            )
        )
    return tuple(models)


# --- MLflow -----------------------------------------------------------------------------------


def register_wave(client, experiment_id: str, models, wave: int, now: datetime) -> int:
    """Register the versions each model had by the wave's moment and move its aliases."""
    from mlflow.entities import Metric, Param, RunTag

    moment = now - timedelta(days=WAVES[wave])
    previous = WAVES[wave - 1] if wave else None
    created = 0
    for model in models:
        due = [
            v
            for v in model.versions
            if v.days_ago >= WAVES[wave] and (previous is None or v.days_ago < previous)
        ]
        if wave == len(WAVES) - 1:  # the last wave registers the rest
            due += [v for v in model.versions if v.days_ago < WAVES[wave]]
        if due and due[0].number == 1:
            client.create_registered_model(
                model.name,
                tags=model.tags,
                description="Synthetic demo model generated by portal demo --scale.",
            )
        for version in due:
            run_id = None
            if version.number > VERSIONS - RUN_VERSIONS:
                trained = _millis(now - timedelta(days=version.days_ago, hours=1))
                run_id = client.create_run(experiment_id, start_time=trained).info.run_id
                client.log_batch(
                    run_id,
                    metrics=[Metric("accuracy", version.metric, trained, 0)],
                    params=[Param("n_estimators", str(50 + 10 * version.number))],
                    tags=[
                        RunTag("mlflow.user", model.owner or "ml.platform@example.com"),
                        RunTag("mlflow.source.name", f"training/{model.name}/train.py"),
                        RunTag("mlflow.runName", f"{model.name}-v{version.number}"),
                    ],
                )
                client.set_terminated(run_id, end_time=trained + 600_000)
            client.create_model_version(
                model.name,
                source=f"s3://synthetic-models/{model.name}/{version.number}",
                run_id=run_id,
                description=f"Version {version.number}, retrained on fresh data.",
            )
            created += 1
        if wave in model.champion:
            client.set_registered_model_alias(model.name, "champion", model.champion[wave])
        if wave == len(WAVES) - 1 and model.challenger:
            client.set_registered_model_alias(model.name, "challenger", model.challenger)
    logging.getLogger(__name__).info("wave %s (%s): %s versions", wave, moment.date(), created)
    return created


def register_in_mlflow(
    tracking_uri: str, models, now: datetime, checkpoint: Checkpoint, artifact_root: Path
) -> int:
    """Register all models wave by wave, calling checkpoint(moment) after each wave."""
    from mlflow import MlflowClient

    with _quiet_mlflow():
        client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
        experiment = client.get_experiment_by_name("synthetic-demo")
        experiment_id = (
            experiment.experiment_id
            if experiment
            else client.create_experiment(
                "synthetic-demo",
                artifact_location=(artifact_root / "synthetic-demo").as_uri(),
                tags={DEMO_TAG: "true", SYNTHETIC_TAG: "true"},
            )
        )
        created = 0
        for wave in range(len(WAVES)):
            created += register_wave(client, experiment_id, models, wave, now)
            checkpoint(now - timedelta(days=WAVES[wave]))
    return created


@contextmanager
def _quiet_mlflow() -> Iterator[None]:
    logger = logging.getLogger("mlflow")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# --- the portal's own records -----------------------------------------------------------------

RISK_OFFICE = Identity(
    "Risk Office", "risk.office@example.com", frozenset({"viewer", "expert", "admin"})
)


def _person(email: str, staff: dict[str, Person], roles=frozenset({"viewer"})) -> Identity:
    person = staff.get(email)
    return Identity(person.name if person else email, email, roles)


def kpi_csv(models, today: date, months: int = 24) -> str:
    """Monthly KPI totals and three segments per production model, against its promise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("model", "kpi", "period", "value", "unit", "segment"))
    last = first_of_month(today)
    for model in models:
        if not model.in_production:
            continue
        _, _, kpi, unit, direction = _TOPICS[model.topic]
        rng = random.Random(f"{SEED}:kpi:{model.name}")
        baseline = _baseline(model)
        sign = 1 if direction == "higher" else -1
        gap_month = rng.randrange(months) if rng.random() < 0.15 else None
        for back in range(months, 0, -1):
            if back == gap_month:
                continue
            index = last.year * 12 + last.month - 1 - back
            period = f"{index // 12}-{index % 12 + 1:02d}"
            uplift = baseline * 0.1 * rng.uniform(-0.2, 1.2) if back < months // 2 else 0.0
            total = baseline + sign * uplift + rng.gauss(0, baseline * 0.02)
            writer.writerow((model.name, kpi, period, f"{total:.2f}", unit, ""))
            for segment, share in (("North", 0.5), ("South", 0.3), ("Online", 0.2)):
                # A rate is about the same in every segment; counts and money split up.
                value = total * rng.uniform(0.9, 1.1) if unit == "percent" else total * share
                writer.writerow((model.name, kpi, period, f"{value:.2f}", unit, segment))
    return buffer.getvalue()


def _baseline(model: SyntheticModel) -> float:
    """The KPI's level before the model: a rate stays a plausible share, counts vary."""
    if _TOPICS[model.topic][3] == "percent":
        return 4.0 + 5.0 * (model.index % 17)
    return 100.0 + 37.0 * (model.index % 23)


def _money_per_unit(model: SyntheticModel) -> float:
    """EUR per unit of uplift and month: a euro is a euro, anything else is worth more."""
    unit = _TOPICS[model.topic][3]
    return 1.0 if unit == "EUR" else 500.0 if unit == "percent" else float(5 + model.index % 40)


def seed_portal(store: Store, settings: Settings, models, now: datetime) -> dict[str, float]:
    """Promises, KPIs, drift results, accountability, assessments, feedback, people.

    Returns the seconds each part took, for the command's summary."""
    from portal.services.feedback import FeedbackService
    from portal.services.identity import LOCAL_USER
    from portal.services.risk import RiskService
    from portal.services.value import ValueService

    seconds: dict[str, float] = {}
    staff = {person.email: person for person in people()}
    values, risks = ValueService(store, settings), RiskService(store, settings)
    feedback = FeedbackService(store, settings)
    started = time.perf_counter()
    for model in models:
        if not model.in_production:
            continue
        _, _, kpi, unit, direction = _TOPICS[model.topic]
        baseline = _baseline(model)
        target = baseline * (1.1 if direction == "higher" else 0.9)
        draft = BenchmarkDraft(
            kpi,
            baseline,
            round(target, 2),
            direction,
            "mean" if unit == "percent" else "sum",
            unit,
            _money_per_unit(model),
            "Pilot in one region (synthetic).",
            first_of_month((now - timedelta(days=WAVES[min(model.champion)])).date()),
        )
        setter = _person(model.owner, staff) if model.owner else RISK_OFFICE
        values.set_benchmark(setter, model.name, draft, now=now - timedelta(days=200))
    outcome = values.load_kpis(
        LOCAL_USER, kpi_csv(models, now.date()).encode(), "synthetic-kpis.csv", "cli", now=now
    )
    if not outcome.loaded:
        raise ValueError(f"synthetic KPIs rejected: {outcome.rejects[:3]}")
    seconds["value"] = time.perf_counter() - started

    started = time.perf_counter()
    rng = random.Random(f"{SEED}:governance")
    for model in models:
        governance = Governance(
            model.executive,
            model.business_owner,
            rng.choice(("", "batch", "real_time")),
            model.ai_act,
            "A person reviews every flagged case." if rng.random() < 0.5 else "",
        )
        if any((model.executive, model.business_owner, model.ai_act)):
            risks.set_governance(RISK_OFFICE, model.name, governance, now=now - timedelta(days=90))
        if model.in_production and rng.random() < 0.6:
            assessor = _person(model.owner, staff) if model.owner else RISK_OFFICE
            for risk in RISKS:
                if rng.random() < 0.2:  # a risk nobody assessed yet
                    continue
                days = rng.randint(10, 400)
                review = (now - timedelta(days=days)).date() + timedelta(days=180)
                draft = AssessmentDraft(
                    risk, rng.randint(1, 5), rng.randint(1, 5), "Monitored by the team.", review
                )
                risks.assess(assessor, model.name, draft, now=now - timedelta(days=days))
    seconds["risk"] = time.perf_counter() - started

    started = time.perf_counter()
    repository = DriftRepository(store)
    for model in models:
        if model.drift:
            repository.save_check(None, _drift_check(model, now, rng))
        elif model.champion:  # in production, but its team logs nothing: not monitored
            repository.save_check(None, _unmonitored(model, now))
    seconds["drift"] = time.perf_counter() - started

    started = time.perf_counter()
    experts = list(staff)
    for model in models:
        if not model.in_production:
            continue
        for number in range(rng.choice((0, 0, 1, 1, 2, 3))):
            kind, text = rng.choice(_FEEDBACK)
            author = _person(rng.choice(experts), staff, frozenset({"viewer", "expert"}))
            draft = FeedbackDraft(
                kind,
                rng.choice(("low", "medium", "high", "critical")),
                f"case-{number}",
                "0.81",
                "0.12" if kind == "wrong_prediction" else "",
                text,
                rng.random() < 0.7,
            )
            at = now - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 23))
            result = feedback.submit(author, model.name, draft, f"{model.name}:{number}", now=at)
            if rng.random() < 0.5:
                status = rng.choice(("acknowledged", "in_progress", "resolved", "wont_fix"))
                triager = _person(model.owner, staff) if model.owner else RISK_OFFICE
                feedback.triage(
                    triager,
                    result.feedback_id,
                    status,
                    "Thank you, we are on it.",
                    now=at + timedelta(days=2),
                )
    seconds["feedback"] = time.perf_counter() - started

    started = time.perf_counter()
    add_people(store, settings)
    seconds["people"] = time.perf_counter() - started
    return seconds


def add_people(store: Store, settings: Settings) -> bool:
    """The synthetic organisation into the people directory, when the portal has one."""
    try:
        from portal.domain import people as people_domain
        from portal.services import people as people_service
    except ImportError:
        return False
    from portal.runtime import command_runtime

    records = [people_domain.Person(p.email, p.name, "demo", p.team, p.manager) for p in people()]
    service = people_service.PeopleService(command_runtime(settings, store))
    service.add_from_source(records, "demo")
    return True


def _unmonitored(model: SyntheticModel, now: datetime) -> CheckResult:
    """The result the drift job records for a production model without inference logs."""
    return CheckResult(
        model_name=model.name,
        model_version=model.champion[max(model.champion)],
        reference_run_id=None,
        window_kind="current",
        window_start=now - timedelta(days=7),
        window_end=now,
        checked_at=now - timedelta(hours=1),
        duration_seconds=0.0,
        outcome="not_monitored",
        reason="no_logs",
    )


def _drift_check(model: SyntheticModel, now: datetime, rng: random.Random) -> CheckResult:
    production = model.champion[max(model.champion)]
    inputs = 12
    changed = {"stable": 0, "watch": 1, "drifting": rng.randint(3, 6)}[model.drift]
    scores = [
        round(rng.uniform(0.15, 0.4) if n < changed else rng.uniform(0, 0.08), 3)
        for n in range(inputs)
    ]
    features = tuple(
        FeatureResult(
            feature=f"feature_{n:02d}",
            role="input",
            kind="numeric",
            state="compared",
            method="wasserstein",
            threshold=0.1,
            score=score,
            strength=drift_strength(score, 0.1, "wasserstein"),
            drifted=n < changed,
        )
        for n, score in enumerate(scores)
    )
    return CheckResult(
        model_name=model.name,
        model_version=production,
        reference_run_id=None,
        window_kind="current",
        window_start=now - timedelta(days=7),
        window_end=now,
        checked_at=now - timedelta(hours=rng.randint(1, 20)),
        duration_seconds=round(rng.uniform(0.5, 3.0), 2),
        outcome="checked",
        status=model.drift,
        reference_rows=5000,
        window_rows=rng.randint(800, 4000),
        inputs_total=inputs,
        inputs_changed=changed,
        strongest_change=max(f.strength or 0 for f in features),
        fingerprint=f"{model.name}:{now:%Y%m%d}",
        features=features,
        quality={"accuracy": round(rng.uniform(0.65, 0.9), 3)},
    )


@dataclass(frozen=True)
class ScaleSummary:
    """What `portal demo --scale` added, and how long each part took."""

    models: int
    versions: int
    seconds: dict[str, float]


def add_synthetic_models(
    settings: Settings,
    store: Store,
    count: int,
    now: datetime,
    sync_at: Checkpoint,
    artifact_root: Path,
) -> ScaleSummary:
    """Register count synthetic models in MLflow (syncing at each wave), then seed the portal."""
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"the scale must be between 1 and {MAX_COUNT}")
    models = plan(count)
    started = time.perf_counter()
    versions = register_in_mlflow(settings.mlflow_tracking_uri, models, now, sync_at, artifact_root)
    sync_at(now)
    seconds = {"mlflow": time.perf_counter() - started}
    seconds |= seed_portal(store, settings, models, now)
    return ScaleSummary(len(models), versions, seconds)
