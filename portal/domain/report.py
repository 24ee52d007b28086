"""What a portfolio report records about each model, what changed since the previous one (the
most consequential first) and the value of each business process. Pure: the report service
fills it, the PDF shows it; what needs attention is domain/attention's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from portal.domain.catalog import InventoryRow
from portal.domain.value import Portfolio

# A model's value status is its worst KPI's; no benchmark at all is ''.
VALUE_ORDER: tuple[str, ...] = ("off_track", "at_risk", "no_data", "no_promise", "on_track")
# Health lights that are a problem, most serious first (the rest is fine or not applicable).
HEALTH_PROBLEMS: tuple[str, ...] = ("drifting", "failed", "watch", "no_data")
RISK_ORDER: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class ModelStatus:
    """One model as a portfolio report sees it; recorded so the next report can compare."""

    name: str
    in_production: bool
    production_version: int | None
    value: str  # worst KPI status (VALUE_ORDER), '' without a benchmark
    health: str  # the drift light of a production model, '' when not in production
    risk: str  # highest assessed level, '' when not assessed
    high_risks: tuple[str, ...] = ()  # risks assessed high, in RISKS order
    benchmarks: tuple[tuple[str, int], ...] = ()  # (KPI, benchmark version), sorted by KPI
    overdue_reviews: int = 0
    accountable_executive: str = ""


@dataclass(frozen=True)
class Snapshot:
    """Every model's status when a report was generated."""

    taken_at: datetime
    models: tuple[ModelStatus, ...]

    def to_json(self) -> str:
        """Stable JSON (sorted keys, models by name): equal snapshots give equal text."""
        return json.dumps(
            {
                "taken_at": self.taken_at.isoformat(),
                "models": [
                    {
                        "name": m.name,
                        "in_production": m.in_production,
                        "production_version": m.production_version,
                        "value": m.value,
                        "health": m.health,
                        "risk": m.risk,
                        "high_risks": list(m.high_risks),
                        "benchmarks": [list(pair) for pair in m.benchmarks],
                        "overdue_reviews": m.overdue_reviews,
                        "accountable_executive": m.accountable_executive,
                    }
                    for m in sorted(self.models, key=lambda m: m.name)
                ],
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """Read a recorded snapshot; fields a newer portal added get their defaults."""
        data = json.loads(text)
        return cls(
            datetime.fromisoformat(data["taken_at"]),
            tuple(
                ModelStatus(
                    name=m["name"],
                    in_production=bool(m.get("in_production", False)),
                    production_version=m.get("production_version"),
                    value=m.get("value", ""),
                    health=m.get("health", ""),
                    risk=m.get("risk", ""),
                    high_risks=tuple(m.get("high_risks", ())),
                    benchmarks=tuple((kpi, int(v)) for kpi, v in m.get("benchmarks", ())),
                    overdue_reviews=int(m.get("overdue_reviews", 0)),
                    accountable_executive=m.get("accountable_executive", ""),
                )
                for m in data.get("models", ())
            ),
        )


@dataclass(frozen=True)
class StatusChange:
    """A model's value, health or risk status moved."""

    model_name: str
    aspect: str  # 'value', 'health' or 'risk'
    before: str
    after: str

    @property
    def worse(self) -> bool:
        """True when the new status is more serious than the old one."""
        return severity(self.aspect, self.after) > severity(self.aspect, self.before)


@dataclass(frozen=True)
class VersionChange:
    """A different version (or none) serves production now."""

    model_name: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class BenchmarkRevision:
    """The promise for one KPI was revised (a new benchmark version) or first set."""

    model_name: str
    kpi: str
    before: int | None  # None: the KPI had no benchmark in the previous report
    after: int


@dataclass(frozen=True)
class Changes:
    """What changed between the previous report and this one."""

    previous_at: datetime
    new_models: tuple[str, ...] = ()
    retired_models: tuple[str, ...] = ()
    version_changes: tuple[VersionChange, ...] = ()
    status_changes: tuple[StatusChange, ...] = ()
    benchmark_revisions: tuple[BenchmarkRevision, ...] = ()
    new_high_risks: tuple[tuple[str, str], ...] = field(default=())  # (model, risk)

    @property
    def nothing(self) -> bool:
        """True when the two reports show the same portfolio."""
        return not (
            self.new_models
            or self.retired_models
            or self.version_changes
            or self.status_changes
            or self.benchmark_revisions
            or self.new_high_risks
        )


def severity(aspect: str, status: str) -> int:
    """How serious a status is within its aspect: 0 fine or unknown, higher is worse."""
    ranks = {
        "value": {"off_track": 3, "at_risk": 2, "no_data": 1},
        "health": {"drifting": 4, "failed": 3, "watch": 2, "no_data": 1},
        "risk": {"high": 3, "medium": 2, "low": 1},
    }[aspect]
    return ranks.get(status, 0)


def worst_value(statuses: list[str] | tuple[str, ...]) -> str:
    """A model's value status: its worst KPI's, '' when it has no benchmark."""
    for status in VALUE_ORDER:
        if status in statuses:
            return status
    return ""


def changes_since(previous: Snapshot, current: Snapshot) -> Changes:
    """Compare two snapshots model by model; lists are sorted by model name."""
    before = {m.name: m for m in previous.models}
    after = {m.name: m for m in current.models}
    common = sorted(before.keys() & after.keys())
    version_changes = []
    status_changes = []
    revisions = []
    new_high = []
    for name in common:
        old, new = before[name], after[name]
        if old.production_version != new.production_version:
            version_changes.append(
                VersionChange(name, old.production_version, new.production_version)
            )
        for aspect in ("value", "health", "risk"):
            if getattr(old, aspect) != getattr(new, aspect):
                status_changes.append(
                    StatusChange(name, aspect, getattr(old, aspect), getattr(new, aspect))
                )
        old_versions = dict(old.benchmarks)
        for kpi, version in new.benchmarks:
            if old_versions.get(kpi) != version:
                revisions.append(BenchmarkRevision(name, kpi, old_versions.get(kpi), version))
        new_high.extend((name, risk) for risk in new.high_risks if risk not in old.high_risks)
    # A model that is new carries its high risks in with it: name them too.
    for name in sorted(after.keys() - before.keys()):
        new_high.extend((name, risk) for risk in after[name].high_risks)
    return Changes(
        previous_at=previous.taken_at,
        new_models=tuple(sorted(after.keys() - before.keys())),
        retired_models=tuple(sorted(before.keys() - after.keys())),
        version_changes=tuple(version_changes),
        status_changes=tuple(status_changes),
        benchmark_revisions=tuple(revisions),
        new_high_risks=tuple(new_high),
    )


def ranked_changes(changes: Changes, weight: Mapping[str, float]) -> Changes:
    """The same changes, the most consequential first in every list: a worse status before a
    better one and the more serious new status first, then the model with more at stake
    (`weight`, e.g. the attention stake), then the name."""

    def stake(name: str) -> float:
        return -weight.get(name, 0.0)

    return replace(
        changes,
        new_models=tuple(sorted(changes.new_models, key=lambda n: (stake(n), n))),
        version_changes=tuple(
            sorted(changes.version_changes, key=lambda c: (stake(c.model_name), c.model_name))
        ),
        status_changes=tuple(
            sorted(
                changes.status_changes,
                key=lambda c: (
                    not c.worse,
                    -severity(c.aspect, c.after),
                    stake(c.model_name),
                    c.model_name,
                    c.aspect,
                ),
            )
        ),
        benchmark_revisions=tuple(
            sorted(
                changes.benchmark_revisions,
                key=lambda r: (stake(r.model_name), r.model_name, r.kpi),
            )
        ),
        new_high_risks=tuple(
            sorted(changes.new_high_risks, key=lambda pair: (stake(pair[0]), pair[0]))
        ),
    )


@dataclass(frozen=True)
class ProcessValue:
    """The models serving one business process and what they bring, against their promise."""

    process: str  # the business_process tag as declared; '' when not documented
    models: int
    in_production: int
    promised_money: float | None  # None: no KPI of these models has a money value
    realized_money: float | None
    off_track: int  # models with a KPI off track

    @property
    def attainment(self) -> float | None:
        """Realized against promised money; None without a positive promise."""
        if self.promised_money is None or self.realized_money is None or self.promised_money <= 0:
            return None
        return self.realized_money / self.promised_money


def value_by_process(
    inventory: Iterable[InventoryRow], portfolio: Portfolio
) -> tuple[ProcessValue, ...]:
    """One row per business process (as the overview groups them), the most money promised
    first, then the most models; models without a documented process form the last row."""
    process = {row.name: row.business_process.strip() for row in inventory}
    models: dict[str, list[str]] = {}
    in_production: dict[str, int] = {}
    for row in inventory:
        key = process[row.name]
        models.setdefault(key, []).append(row.name)
        in_production[key] = in_production.get(key, 0) + (row.production_version is not None)
    promised: dict[str, float] = {}
    realized: dict[str, float] = {}
    for kpi in portfolio.rows:
        summary = kpi.summary
        if kpi.model_name not in process or summary.realized_money is None:
            continue
        key = process[kpi.model_name]
        promised[key] = promised.get(key, 0.0) + (summary.promised_money or 0.0)
        realized[key] = realized.get(key, 0.0) + summary.realized_money
    off_track = set(portfolio.off_track_models)
    rows = [
        ProcessValue(
            key,
            len(names),
            in_production[key],
            promised.get(key),
            realized.get(key),
            sum(1 for name in names if name in off_track),
        )
        for key, names in models.items()
    ]
    return tuple(
        sorted(
            rows,
            key=lambda r: (not r.process, -(r.promised_money or 0.0), -r.models, r.process),
        )
    )
