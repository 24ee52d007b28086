"""One typed registry of settings: embedded defaults, PORTAL_* env vars, optional portal.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from portal.domain.reviews import parse_cadence, parse_months
from portal.domain.roles import RoleRules
from portal.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    """One configurable value: its key, env var, type, default and a one-line description."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return "PORTAL_" + self.key.upper()


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _language(text: str) -> str:
    if text not in ("en", "de"):
        raise ValueError("must be 'en' or 'de'")
    return text


def _auth_mode(text: str) -> str:
    if text not in ("none", "oidc", "proxy"):
        raise ValueError("must be 'none', 'oidc' or 'proxy'")
    return text


def _header(text: str) -> str:
    if not text.strip() or any(char in text for char in " :\r\n"):
        raise ValueError("must be an HTTP header name")
    return text.strip()


def _non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise ValueError("must be above 0 and at most 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("must be above 0")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _drift_executor(text: str) -> str:
    name = text.strip().casefold()
    if name not in ("local", "ray"):
        raise ValueError("must be local or ray")
    return name


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(text: str) -> int:
    day = text.strip().casefold()
    if day not in WEEKDAYS:
        raise ValueError("must be a weekday: monday to sunday")
    return WEEKDAYS.index(day)


def _inference_location(text: str) -> Path | str:
    """A folder, or an `s3://bucket/prefix` URL (normalised); other URL schemes are refused."""
    from portal.sources.object_storage import is_s3_url, parse_s3_url

    if is_s3_url(text.strip()):
        return parse_s3_url(text.strip()).url
    scheme, separator, _ = text.partition("://")
    if separator and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        raise ValueError(
            f"must be a folder or an s3://bucket/prefix URL; {scheme}:// is not supported"
        )
    return Path(text)


def _flag(text: str) -> bool:
    flag = text.strip().casefold()
    if flag not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("must be true or false")
    return flag in ("true", "1", "yes")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "mlflow_tracking_uri",
        str,
        "sqlite:///" + str(DATA_DIR / "mlflow" / "mlflow.db"),
        "MLflow tracking and registry URI: a sqlite:/// file or an http(s):// tracking server.",
    ),
    Setting(
        "store_path",
        Path,
        DATA_DIR / "portal.duckdb",
        "The portal's DuckDB store file (created on first start).",
    ),
    Setting("language", _language, "en", "Default language of the interface: en or de."),
    Setting(
        "production_aliases",
        _csv,
        ("champion", "production"),
        "Model aliases that mark the production version, in order of precedence.",
    ),
    Setting(
        "sync_interval_minutes",
        _non_negative_float,
        15.0,
        "Minutes between automatic MLflow syncs in the server; 0 turns the schedule off.",
    ),
    Setting(
        "mlflow_timeout_seconds",
        _non_negative_float,
        10.0,
        "Time limit for each call to MLflow.",
    ),
    Setting(
        "mlflow_page_size",
        _positive_int,
        1000,
        "Page size when listing MLflow models, versions and runs (MLflow caps it at 1000).",
    ),
    Setting(
        "query_timeout_seconds",
        _non_negative_float,
        10.0,
        "Time limit for one store query; a slower query is interrupted.",
    ),
    Setting(
        "auth_mode",
        _auth_mode,
        "none",
        "Sign-in: none (one local user with every role), oidc (st.login, provider in "
        ".streamlit/secrets.toml) or proxy (identity header from a trusted reverse proxy).",
    ),
    Setting(
        "admins",
        _csv,
        (),
        "Admins: e-mail addresses and group:<name> entries, comma-separated.",
    ),
    Setting(
        "experts",
        _csv,
        (),
        "Domain experts who may submit feedback: e-mail addresses and group:<name> entries.",
    ),
    Setting(
        "viewers",
        _csv,
        (),
        "Who may read the portal: e-mail addresses and group:<name> entries; empty: everyone "
        "signed in.",
    ),
    Setting(
        "proxy_email_header",
        _header,
        "X-Forwarded-Email",
        "In proxy mode: the header carrying the signed-in person's e-mail address.",
    ),
    Setting(
        "proxy_name_header",
        _header,
        "X-Forwarded-Preferred-Username",
        "In proxy mode: the header carrying the person's display name (optional).",
    ),
    Setting(
        "proxy_groups_header",
        _header,
        "X-Forwarded-Groups",
        "In proxy mode: the header carrying the person's groups, comma-separated (optional).",
    ),
    Setting(
        "oidc_groups_claim",
        str,
        "groups",
        "In oidc mode: the ID-token claim that lists the person's groups.",
    ),
    Setting("currency", str, "EUR", "Currency of money values per KPI unit (ISO code)."),
    Setting(
        "cost_kpi",
        str,
        "running_cost",
        "KPI name whose rows are a model's running cost per month in the currency (counted "
        "as cost against the value, never as a value KPI).",
    ),
    Setting(
        "server_url",
        str,
        "http://localhost:8501",
        "Where the command line reaches the running portal server (portal backup while it "
        "holds the store).",
    ),
    Setting(
        "api_token",
        str,
        "",
        "Bearer token for POST /api/kpis, POST /api/backup and the admin details of GET "
        "/api/health; empty: those are off.",
    ),
    Setting(
        "mlflow_webhook_secret",
        str,
        "",
        "Secret MLflow signs its webhook deliveries to POST /api/mlflow/webhook with; empty: "
        "the endpoint is off.",
    ),
    Setting(
        "value_on_track",
        _non_negative_float,
        0.9,
        "Share of the promised uplift from which a KPI counts as on track (0.9 = 90 %).",
    ),
    Setting(
        "value_off_track",
        _non_negative_float,
        0.6,
        "Share of the promised uplift below which a KPI counts as off track.",
    ),
    Setting(
        "stale_after_hours",
        _non_negative_float,
        24.0,
        "Hours after which the catalog counts as out of date and a banner says so.",
    ),
    Setting(
        "inference_dir",
        _inference_location,
        DATA_DIR / "inference",
        "Production inference logs: a folder, or s3://bucket/prefix in S3-compatible object "
        "storage (connection from the standard AWS_* variables); one sub-folder per model name "
        "with Parquet or CSV files (timestamp, input features, optional prediction, score and "
        "label).",
    ),
    Setting(
        "reference_artifact_path",
        str,
        "reference",
        "Artifact folder of the production version's run holding the reference sample (Parquet).",
    ),
    Setting(
        "drift_executor",
        _drift_executor,
        "local",
        "Where the per-model drift checks run: local (in the server) or ray (a Ray cluster).",
    ),
    Setting(
        "ray_address",
        str,
        "auto",
        "The Ray cluster for PORTAL_DRIFT_EXECUTOR=ray: ray://host:10001, or auto (a cluster "
        "started on this machine with ray start).",
    ),
    Setting(
        "drift_interval_minutes",
        _non_negative_float,
        360.0,
        "Minutes between automatic drift checks in the server; 0 turns the schedule off.",
    ),
    Setting(
        "drift_window_days",
        _positive_int,
        7,
        "Days of production data compared with the reference in the current check.",
    ),
    Setting(
        "drift_history_weeks",
        _non_negative_int,
        12,
        "Past calendar weeks checked as well, for the trend.",
    ),
    Setting(
        "drift_sample_rows",
        _positive_int,
        20000,
        "Most rows per side (reference, production window) a check uses; larger sides are "
        "sampled with a fixed seed.",
    ),
    Setting(
        "drift_watch_share",
        _share,
        0.1,
        "Share of changed inputs from which a model is marked 'watch' (0.1 = 10 %).",
    ),
    Setting(
        "drift_alert_share",
        _share,
        0.3,
        "Share of changed inputs from which a model is marked 'drifting'.",
    ),
    Setting(
        "drift_alert_strength",
        _positive_float,
        5.0,
        "An input whose drift score is this many times its threshold marks the model "
        "'drifting' on its own; half of it marks 'watch'.",
    ),
    Setting(
        "drift_min_rows",
        _positive_int,
        30,
        "Fewest rows each side needs before a statistical comparison is made.",
    ),
    Setting(
        "drift_minor_importance",
        _share,
        0.05,
        "An input carrying less than this share of what the model looks at (its importance) "
        "can mark the model 'watch', never 'drifting' (0.05 = 5 %).",
    ),
    Setting("smtp_host", str, "", "Mail server for notifications; empty: no e-mails are sent."),
    Setting("smtp_port", _positive_int, 587, "Mail server port (587 with STARTTLS, 25 without)."),
    Setting("smtp_user", str, "", "Mail server login; empty: no login."),
    Setting("smtp_password", str, "", "Mail server password for the login."),
    Setting(
        "smtp_from", str, "portal@localhost", "Sender address of the portal's notification e-mails."
    ),
    Setting(
        "smtp_starttls",
        _flag,
        True,
        "Encrypt the mail connection with STARTTLS before the login (true or false).",
    ),
    Setting(
        "notify_webhook_url",
        str,
        "",
        "Incoming webhook (Teams, Slack or any JSON receiver) notifications are posted to; "
        "empty: off.",
    ),
    Setting(
        "notify_timeout_seconds",
        _positive_float,
        10.0,
        "Time limit for each connection to the mail server or the webhook.",
    ),
    Setting(
        "notify_interval_minutes",
        _non_negative_float,
        0.0,
        "Minutes between notification runs in the server (new serious tasks at once, the weekly "
        "digest on its weekday); 0 turns the schedule off.",
    ),
    Setting(
        "notify_digest_weekday",
        _weekday,
        0,
        "Weekday of the weekly digest of open tasks: monday to sunday.",
    ),
    Setting(
        "review_cadence_months",
        parse_cadence,
        (("high", 3), ("medium", 6), ("low", 12)),
        "Months between periodic reviews of a production model per criticality "
        "(its MLflow tag), e.g. high=3,medium=6,low=12.",
    ),
    Setting(
        "review_cadence_undocumented_months",
        parse_months,
        6,
        "Months between periodic reviews of a model whose criticality is not documented.",
    ),
    Setting(
        "review_notice_days",
        _non_negative_int,
        14,
        "Days before a periodic review is due from which its owners are told it is coming.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The settings in force; build with load_settings()."""

    mlflow_tracking_uri: str
    store_path: Path
    language: str
    production_aliases: tuple[str, ...]
    sync_interval_minutes: float
    mlflow_timeout_seconds: float
    mlflow_page_size: int
    query_timeout_seconds: float
    auth_mode: str
    admins: tuple[str, ...]
    experts: tuple[str, ...]
    viewers: tuple[str, ...]
    proxy_email_header: str
    proxy_name_header: str
    proxy_groups_header: str
    oidc_groups_claim: str
    currency: str
    cost_kpi: str
    server_url: str
    api_token: str
    mlflow_webhook_secret: str
    value_on_track: float
    value_off_track: float
    stale_after_hours: float
    inference_dir: Path | str  # a folder, or an s3://bucket/prefix URL
    reference_artifact_path: str
    drift_executor: str
    ray_address: str
    drift_interval_minutes: float
    drift_window_days: int
    drift_history_weeks: int
    drift_sample_rows: int
    drift_watch_share: float
    drift_alert_share: float
    drift_alert_strength: float
    drift_min_rows: int
    drift_minor_importance: float
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    notify_webhook_url: str
    notify_timeout_seconds: float
    notify_interval_minutes: float
    notify_digest_weekday: int
    review_cadence_months: tuple[tuple[str, int], ...]
    review_cadence_undocumented_months: int
    review_notice_days: int

    @property
    def role_rules(self) -> RoleRules:
        """The configured role entries, for portal.domain.roles."""
        return RoleRules(self.admins, self.experts, self.viewers)

    @property
    def drift_reports_dir(self) -> Path:
        """Full Evidently reports (the newest per model), in a folder named after the store
        file beside it: a copy saved next to the original has a folder of its own."""
        return self.store_path.with_name(f"{self.store_path.stem}.drift-reports")

    @property
    def mlflow_is_embedded(self) -> bool:
        """True when MLflow is the embedded default store under data/."""
        return self.mlflow_tracking_uri == _by_key("mlflow_tracking_uri").default


def _by_key(key: str) -> Setting:
    return next(setting for setting in SETTINGS if setting.key == key)


def load_settings(env: Mapping[str, str] | None = None, toml_path: Path | None = None) -> Settings:
    """Defaults, overridden by portal.toml ([portal] table), overridden by PORTAL_* env vars."""
    env = os.environ if env is None else env
    toml_path = toml_path or Path(env.get("PORTAL_CONFIG_FILE", PROJECT_ROOT / "portal.toml"))
    from_file: dict[str, Any] = {}
    if toml_path.is_file():
        try:
            from_file = tomllib.loads(toml_path.read_text(encoding="utf-8")).get("portal", {})
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{toml_path} is not valid TOML: {exc}") from exc
        unknown = set(from_file) - {setting.key for setting in SETTINGS}
        if unknown:
            raise SettingsError(f"{toml_path} has unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env_var)
        source = setting.env_var
        if raw is None and setting.key in from_file:
            raw = from_file[setting.key]
            source = f"{setting.key} in {toml_path}"
        if raw is None:
            values[setting.key] = setting.default
            continue
        if isinstance(raw, list):
            raw = ",".join(str(item) for item in raw)
        try:
            values[setting.key] = setting.parse(str(raw))
        except ValueError as exc:
            # A URL with user and password is shown without them (startup errors reach logs).
            shown = redact_uri(str(raw)) if "://" in str(raw) and "@" in str(raw) else raw
            raise SettingsError(f"{source}={shown!r} is not valid: {exc}") from exc
    if values["value_off_track"] > values["value_on_track"]:
        raise SettingsError("PORTAL_VALUE_OFF_TRACK must not be above PORTAL_VALUE_ON_TRACK")
    if values["drift_watch_share"] > values["drift_alert_share"]:
        raise SettingsError("PORTAL_DRIFT_WATCH_SHARE must not be above PORTAL_DRIFT_ALERT_SHARE")
    if not values["production_aliases"]:
        raise SettingsError("PORTAL_PRODUCTION_ALIASES must name at least one alias")
    return Settings(**values)


def redact_uri(uri: str) -> str:
    """A URI without user, password, query or fragment: fit for pages, logs and the store."""
    parts = urlsplit(uri)
    if not parts.netloc:
        return uri.split("?", 1)[0].split("#", 1)[0]
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def settings_keys() -> tuple[str, ...]:
    """Field names of Settings, to check the registry and the dataclass agree."""
    return tuple(field.name for field in fields(Settings))
