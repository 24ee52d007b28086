"""The `portal` command: demo, sync, import-kpis, drift, report, backup, notify, serve."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from portal.config import DATA_DIR, Settings, load_settings, redact_uri
from portal.errors import BackupFailed, SettingsError, StoreLocked, StoreUnavailable
from portal.runtime import configured_store, mlflow_source
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Store

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and failed (e.g. MLflow unreachable)
EXIT_USAGE = 2  # wrong arguments or settings
EXIT_STORE = 3  # the store cannot be opened (e.g. the server holds it)

DEMO_MLFLOW_DIR = DATA_DIR / "mlflow"
log = logging.getLogger(__name__)
BACKUP_TIMEOUT_SECONDS = 300  # for each network read: the server copies the store before sending


class CommandError(Exception):
    """A failure with a plain message and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
        return args.handler(args, settings)
    except SettingsError as exc:
        print(f"portal: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:
        print(f"portal {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except StoreLocked as exc:
        print(f"portal {args.command}: {exc}", file=sys.stderr)
        return EXIT_STORE
    except StoreUnavailable as exc:
        print(f"portal {args.command}: {exc}", file=sys.stderr)
        return EXIT_STORE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal",
        description="Stakeholder portal for machine-learning models. Settings come from "
        "PORTAL_* environment variables and portal.toml (see README).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="build the demo scenario into the embedded MLflow store and sync it",
        description="Train demo models on public datasets, register them in the embedded "
        "MLflow store under data/mlflow, and sync them into the portal store. Does nothing "
        "when the portal store already holds models.",
    )
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="skip quietly (exit 0) instead of failing when the demo cannot apply",
    )
    demo.add_argument(
        "--scale",
        type=_scale,
        default=0,
        metavar="N",
        help="also add N synthetic models (synthetic-0001-..., tagged as synthetic demo) with "
        "versions, promises, KPIs, drift, risks, feedback and people, to see the portfolio at "
        "scale; adds them to an existing demo store too (N from 1 to 5000)",
    )
    demo.set_defaults(handler=_demo)

    sync = commands.add_parser(
        "sync",
        help="copy the MLflow registry and runs into the portal store now",
        description="Sync MLflow (PORTAL_MLFLOW_TRACKING_URI) into the store "
        "(PORTAL_STORE_PATH). Needs the store: stop the server first, or use its Data "
        "status page.",
    )
    sync.set_defaults(handler=_sync)

    import_kpis = commands.add_parser(
        "import-kpis",
        help="load a KPI file (CSV, Parquet, Excel) into the store",
        description="Check a KPI file (columns model, kpi, period, value, optional unit and "
        "segment) and load it whole, or load nothing and list every rejected row. Needs the "
        "store: while the server runs, upload the file on the Business value page or push it "
        "to POST /api/kpis.",
    )
    import_kpis.add_argument("file", type=Path, help="the file to load")
    import_kpis.set_defaults(handler=_import_kpis)

    drift = commands.add_parser(
        "drift",
        help="check production models for drift now",
        description="Compare each production model's recent inference logs "
        "(PORTAL_INFERENCE_DIR/<model>/) with the reference sample of its production version "
        "and store the results. Needs the store: while the server runs, use its Data status "
        "page (the server also checks on a schedule).",
    )
    drift.add_argument("--model", metavar="NAME", help="check only this production model")
    drift.set_defaults(handler=_drift)

    report = commands.add_parser(
        "report",
        help="write a PDF: one model's fact sheet or the portfolio report",
        description="Write a model's fact sheet (--model NAME) or the portfolio report "
        "(--portfolio) as a PDF, in English or German. The portfolio report is a board document "
        "of a few pages at any portfolio size (headline figures, what needs attention and who "
        "acts, the risk matrix, what changed, value by business process); --appendix adds "
        "every model's row after it. A portfolio report is recorded, so the next one says what "
        "changed. Needs the store: while the server runs, use the download buttons on the "
        "model card and the overview.",
    )
    subject = report.add_mutually_exclusive_group(required=True)
    subject.add_argument("--model", metavar="NAME", help="the model of the fact sheet")
    subject.add_argument("--portfolio", action="store_true", help="the portfolio report")
    report.add_argument(
        "--appendix",
        action="store_true",
        help="with --portfolio: add every model with its value, health and risk lights as an "
        "appendix (many pages for many models)",
    )
    report.add_argument(
        "--lang", choices=("en", "de"), default=None, help="language (default PORTAL_LANGUAGE)"
    )
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the PDF (default: a dated file name in the current folder)",
    )
    report.set_defaults(handler=_report)

    serve = commands.add_parser(
        "serve",
        help="serve the portal (default http://localhost:8501)",
        description="Start the portal server: it opens the store, syncs MLflow on a "
        "schedule, and serves the pages and /api/health.",
    )
    serve.add_argument("--port", type=_port, default=8501, help="TCP port (default 8501)")
    serve.add_argument(
        "--host",
        default="localhost",
        help="address to listen on (default localhost; 0.0.0.0 for all)",
    )
    serve.set_defaults(handler=_serve)

    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the store to FILE",
        description="Copy the store (PORTAL_STORE_PATH) to FILE, consistent to one moment. While "
        "the portal server runs it holds the store, so the server makes the copy and sends it "
        "(POST /api/backup at PORTAL_SERVER_URL, with PORTAL_API_TOKEN). Restore by stopping "
        "the server and putting the copy in place of the store (README: Backup and restore).",
    )
    backup.add_argument("file", type=Path, help="the copy to write (a DuckDB file)")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(handler=_backup)

    notify = commands.add_parser(
        "notify",
        help="tell people it is their turn: e-mail and webhook notifications now",
        description="Send a message for each new serious task (a sign-off waiting, an overdue "
        "review, a new incident, ...) to the person who acts, and retry earlier failures; "
        "--digest also sends this week's digest of everything open per person. Each message "
        "goes once per person, channel and task (PORTAL_SMTP_* for e-mail, "
        "PORTAL_NOTIFY_WEBHOOK_URL for the webhook). Needs the store: while the server runs, "
        "use its Notifications page (the server also sends on PORTAL_NOTIFY_INTERVAL_MINUTES).",
    )
    notify.add_argument(
        "--digest", action="store_true", help="also send this week's digest to every person"
    )
    notify.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be sent, per recipient, and write or send nothing",
    )
    notify.set_defaults(handler=_notify)
    return parser


def _scale(text: str) -> int:
    from portal.demo.scale import MAX_COUNT

    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of models") from None
    if not 1 <= count <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{count} is not between 1 and {MAX_COUNT}")
    return count


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not between 1 and 65535")
    return port


def _sync(_args: argparse.Namespace, settings: Settings) -> int:
    from portal.runtime import run_mlflow_sync

    store = configured_store(settings)
    try:
        result = run_mlflow_sync(settings, store, "cli")
    finally:
        store.close()
    if not result.ok:
        raise CommandError(f"sync failed: {result.error}", EXIT_FAILED)
    counts = result.counts
    print(
        f"Synced {counts.models_seen} models and {counts.versions_seen} versions from "
        f"{redact_uri(settings.mlflow_tracking_uri)} in {result.seconds:.1f} s: "
        f"{counts.models_changed} models and {counts.versions_changed} versions changed, "
        f"{counts.runs_fetched} runs copied, {counts.registry_events} alias or stage changes "
        "recorded."
    )
    return EXIT_OK


def _drift(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from portal.drift.executors import ExecutorUnavailable
    from portal.errors import UnknownModel
    from portal.runtime import run_drift_check

    store = configured_store(settings)
    try:
        result = run_drift_check(settings, store, "cli", f"cli:{getpass.getuser()}", args.model)
    except UnknownModel as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    except ExecutorUnavailable as exc:
        raise CommandError(str(exc), EXIT_FAILED) from exc
    finally:
        store.close()
    if not result.outcomes:
        print("No model is in production: nothing to check. Run `portal sync` first?")
        return EXIT_OK
    width = max(len(name) for name in result.summaries)
    for name, summary in result.summaries.items():
        print(f"  {name:<{width}}  {summary}")
    unchanged = len(result.unchanged)
    print(
        f"Checked {len(result.outcomes)} production models in {result.elapsed_seconds:.1f} s "
        f"on the {result.executor} executor ({result.checks_saved} results stored"
        + (f", {unchanged} unchanged since the last check" if unchanged else "")
        + "). The Drift page shows the details."
    )
    if result.failed:
        raise CommandError(f"the check failed for: {', '.join(result.failed)}", EXIT_FAILED)
    return EXIT_OK


def _import_kpis(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from portal.services.identity import Identity
    from portal.services.value import ValueService

    if not args.file.is_file():
        raise CommandError(f"{args.file} is not a file", EXIT_USAGE)
    operator = Identity(
        f"{getpass.getuser()} (command line)",
        f"cli:{getpass.getuser()}",
        frozenset({"viewer", "admin"}),
    )
    store = configured_store(settings)
    try:
        outcome = ValueService(store, settings).load_kpis(
            operator, args.file, args.file.name, "cli"
        )
    finally:
        store.close()
    if not outcome.loaded:
        for reject in outcome.rejects:
            where = f"line {reject.line}" if reject.line else "file"
            column = f", column {reject.column}" if reject.column else ""
            value = f" ({reject.value!r})" if reject.value else ""
            detail = f"; {reject.detail}" if reject.detail else ""
            print(f"{where}{column}: {reject.code}{value}{detail}", file=sys.stderr)
        raise CommandError(
            f"nothing loaded: {len(outcome.rejects)} problem(s) in {args.file}", EXIT_FAILED
        )
    print(
        f"Loaded {args.file.name}: {outcome.rows_in_file} rows, {outcome.rows_added} added, "
        f"{outcome.rows_replaced} replaced, {outcome.rows_unchanged} unchanged "
        f"(load {outcome.load_id})."
    )
    return EXIT_OK


def _report(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from portal.runtime import command_runtime
    from portal.services.identity import Identity
    from portal.services.report import ReportService

    out: Path | None = args.out
    if args.appendix and not args.portfolio:
        raise CommandError("--appendix belongs to the portfolio report (--portfolio)", EXIT_USAGE)
    _check_writable(out)
    reader = Identity(
        f"{getpass.getuser()} (command line)", f"cli:{getpass.getuser()}", frozenset({"viewer"})
    )
    language = args.lang or settings.language
    store = configured_store(settings)
    started = time.monotonic()
    document = "portfolio report" if args.portfolio else "fact sheet"
    try:
        service = ReportService(command_runtime(settings, store))
        if args.portfolio:
            report = service.portfolio(reader, language, appendix=args.appendix)
        else:
            report = service.fact_sheet(reader, args.model, language)
            if report is None:
                raise CommandError(f"no model is named {args.model!r}", EXIT_USAGE)
    except (CommandError, StoreLocked, StoreUnavailable):
        raise
    except Exception as exc:
        # The one line names the failure; the cause (a traceback) is logged for -v.
        log.info("the %s could not be made", document, exc_info=True)
        raise CommandError(
            f"the {document} could not be made ({type(exc).__name__}); "
            "run 'portal -v report ...' to log the cause",
            EXIT_FAILED,
        ) from exc
    finally:
        store.close()
    target = out or Path(report.file_name)
    try:
        target.write_bytes(report.pdf)
    except OSError as exc:
        raise CommandError(
            f"report {report.report_id} was made, but cannot write {target}: {exc.strerror}",
            EXIT_FAILED,
        ) from exc
    pages = "page" if report.pages == 1 else "pages"
    print(
        f"Wrote {target} ({report.pages} {pages}, {len(report.pdf) / 1024:.0f} KB) in "
        f"{time.monotonic() - started:.1f} s; recorded as report {report.report_id}."
    )
    return EXIT_OK


def _check_writable(out: Path | None) -> None:
    """Refuse an output path before a report is made and recorded, in one line."""
    folder = Path.cwd() if out is None else out.parent
    try:
        if out is not None and out.is_dir():
            raise CommandError(f"{out} is a folder; give a file name", EXIT_USAGE)
        if not folder.is_dir():
            raise CommandError(f"the folder {folder} does not exist", EXIT_USAGE)
        with tempfile.TemporaryFile(dir=folder):
            pass  # a file the system deletes again: the folder takes new files
    except OSError as exc:
        raise CommandError(f"cannot write {out or folder}: {exc.strerror}", EXIT_FAILED) from exc


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from portal.sources.object_storage import is_s3_url

    message = ""
    if not settings.mlflow_is_embedded:
        message = (
            f"PORTAL_MLFLOW_TRACKING_URI points at {redact_uri(settings.mlflow_tracking_uri)}; the "
            "demo only writes to the embedded MLflow store under data/mlflow."
        )
    elif is_s3_url(settings.inference_dir):
        message = (
            "PORTAL_INFERENCE_DIR points at object storage; the demo only writes its inference "
            "logs to a local folder (unset it, or set a folder, for the demo)."
        )
    if message:
        if args.if_empty:
            print(f"Demo skipped: {message}")
            return EXIT_OK
        raise CommandError(message, EXIT_USAGE)
    store = configured_store(settings)
    try:
        models = CatalogRepository(store).counts()["models"]
        if models and args.scale:
            return _add_scale(settings, store, args.scale)
        if models:
            print(
                f"The portal store {settings.store_path} already holds {models} models; "
                "nothing to do. Delete it (and data/mlflow) to rebuild the demo."
            )
            return EXIT_OK
        _clear_previous_demo(settings)
        summary, seconds = _build_demo(settings, store)
        print(
            f"Demo ready in {seconds:.0f} s: {len(summary.model_names)} models with "
            f"{sum(map(len, summary.versions.values()))} versions, synced into "
            f"{settings.store_path}."
        )
        if args.scale:
            return _add_scale(settings, store, args.scale)
    finally:
        store.close()
    return EXIT_OK


def _demo_sync(settings: Settings, store: Store, source) -> Callable[[datetime | None], None]:
    """Sync the demo's MLflow store into the portal's as at a simulated moment (None: now)."""
    from portal.sync import sync_mlflow

    def sync_at(moment: datetime | None) -> None:
        result = sync_mlflow(
            store,
            source,
            source_uri=redact_uri(settings.mlflow_tracking_uri),
            alias_precedence=settings.production_aliases,
            trigger="demo",
            now=moment,
        )
        if not result.ok:
            raise CommandError(f"demo sync failed: {result.error}", EXIT_FAILED)

    return sync_at


def _add_scale(settings: Settings, store: Store, count: int) -> int:
    """`portal demo --scale N`: N synthetic models beside the demo's, through MLflow and the
    services (portal/demo/scale.py); never into a registry that holds a team's own models."""
    from portal.clock import utc_now
    from portal.demo.scale import SYNTHETIC_TAG, add_synthetic_models
    from portal.services.catalog import DEMO_TAG
    from portal.sources.mlflow_source import MlflowSource, MlflowUnavailable

    try:
        snapshot = MlflowSource(settings.mlflow_tracking_uri).read_registry()
    except MlflowUnavailable as exc:
        raise CommandError(f"cannot read the demo's MLflow store: {exc}", EXIT_FAILED) from exc
    if any(model.tags.get(DEMO_TAG) != "true" for model in snapshot.models):
        raise CommandError(
            f"{DEMO_MLFLOW_DIR} holds models that are not demo models; synthetic models are "
            "only added to the demo.",
            EXIT_FAILED,
        )
    present = sum(model.tags.get(SYNTHETIC_TAG) == "true" for model in snapshot.models)
    if present:
        print(
            f"The demo already holds {present} synthetic models; nothing to do. Delete "
            f"{settings.store_path} and data/mlflow to rebuild it at another scale."
        )
        return EXIT_OK
    source = mlflow_source(settings)
    sync_at = _demo_sync(settings, store, source)

    started = time.monotonic()
    summary = add_synthetic_models(
        settings, store, count, utc_now(), sync_at, DEMO_MLFLOW_DIR / "artifacts"
    )
    parts = ", ".join(f"{part} {seconds:.0f} s" for part, seconds in summary.seconds.items())
    print(
        f"Added {summary.models} synthetic models with {summary.versions} versions in "
        f"{time.monotonic() - started:.0f} s ({parts}); `make run` shows them."
    )
    return EXIT_OK


def _clear_previous_demo(settings: Settings) -> None:
    """An embedded MLflow store left by an earlier demo is rebuilt, never a team's own models."""
    if not DEMO_MLFLOW_DIR.exists():
        return
    from portal.services.catalog import DEMO_TAG
    from portal.sources.mlflow_source import MlflowSource, MlflowUnavailable, release_sql_store

    try:
        snapshot = MlflowSource(settings.mlflow_tracking_uri).read_registry()
    except MlflowUnavailable:
        snapshot = None
    if snapshot and any(model.tags.get(DEMO_TAG) != "true" for model in snapshot.models):
        raise CommandError(
            f"{DEMO_MLFLOW_DIR} holds models that are not demo models; the demo leaves them "
            "alone. Run `portal sync` to show them, or move the folder away.",
            EXIT_FAILED,
        )
    release_sql_store(settings.mlflow_tracking_uri)
    shutil.rmtree(DEMO_MLFLOW_DIR)


def _build_demo(settings: Settings, store: Store):
    from portal.clock import utc_now
    from portal.demo.governance import seed_demo_governance
    from portal.demo.lifecycle import seed_demo_lifecycle
    from portal.demo.people import seed_demo_people
    from portal.demo.scenario import build_demo_registry

    started = time.monotonic()
    DEMO_MLFLOW_DIR.mkdir(parents=True, exist_ok=True)
    source = mlflow_source(settings)
    sync_at = _demo_sync(settings, store, source)

    now = utc_now()
    summary = build_demo_registry(
        settings.mlflow_tracking_uri, DEMO_MLFLOW_DIR / "artifacts", now.date(), sync_at
    )
    sync_at(None)
    _load_demo_value(settings, store, now.date())
    _build_demo_drift(settings, store, source, now)
    seed_demo_governance(store, settings, now)
    seed_demo_people(store, settings, now)
    seed_demo_lifecycle(store, settings, now)
    return summary, time.monotonic() - started


def _build_demo_drift(settings: Settings, store: Store, source, now: datetime) -> None:
    """The demo's production inference logs, and a first drift check over them."""
    from portal.demo.inference import write_demo_inference_logs
    from portal.drift.job import run_drift_job
    from portal.store.drift_repo import DriftRepository

    production = {row["name"]: row["version"] for row in DriftRepository(store).production_models()}
    write_demo_inference_logs(settings.inference_dir, now, production)
    result = run_drift_job(store, settings, source, trigger="demo", now=now)
    if result.failed:
        raise CommandError(f"demo drift check failed for {', '.join(result.failed)}", EXIT_FAILED)


def _load_demo_value(settings: Settings, store: Store, today: date) -> None:
    """The demo's promises, set by each model's owner at the time, and its KPI history."""
    from portal.demo.kpis import demo_kpis
    from portal.services.identity import LOCAL_USER, Identity
    from portal.services.value import ValueService

    csv_text, benchmarks = demo_kpis(today)
    service = ValueService(store, settings)
    for benchmark in benchmarks:
        owner = Identity(benchmark.set_by, benchmark.set_by, frozenset({"viewer"}))
        service.set_benchmark(owner, benchmark.model, benchmark.draft, now=benchmark.set_at)
    outcome = service.load_kpis(LOCAL_USER, csv_text.encode("utf-8"), "demo-kpis.csv", "cli")
    if not outcome.loaded:
        raise CommandError(f"demo KPIs rejected: {outcome.rejects[:3]}", EXIT_FAILED)


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from portal.services.backup import backup_store_file

    target: Path = args.file
    if target.is_dir():
        raise CommandError(f"{target} is a folder; give a file name", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CommandError(f"the folder {target.parent} does not exist", EXIT_USAGE)
    if target.exists() and target.resolve() == settings.store_path.resolve():
        raise CommandError(f"{target} is the store itself; give another file", EXIT_USAGE)
    if target.exists() and not args.force:
        raise CommandError(f"{target} exists; give --force to replace it", EXIT_USAGE)
    started = time.monotonic()
    # Written under a temporary name beside FILE: an existing FILE stays until the copy is whole.
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as folder:
        partial = Path(folder) / target.name
        try:
            backup_store_file(settings.store_path, partial)
            source = f"the store file {settings.store_path}"
        except StoreLocked:
            _backup_through_server(settings, partial)
            source = f"the portal server at {settings.server_url}"
        except BackupFailed as exc:
            raise CommandError(f"the copy could not be written: {exc}", EXIT_FAILED) from exc
        os.replace(partial, target)
    print(
        f"Wrote {target} ({target.stat().st_size / 1024**2:.1f} MB) from {source} in "
        f"{time.monotonic() - started:.1f} s. To restore it, see README: Backup and restore."
    )
    return EXIT_OK


def _backup_through_server(settings: Settings, target: Path) -> None:
    """Ask the server that holds the store for a copy; stream it into target and check it."""
    import http.client
    import json
    import urllib.error
    import urllib.request

    from portal.errors import StoreDamaged
    from portal.services.backup import check_copy

    url = settings.server_url.rstrip("/") + "/api/backup"
    if not settings.api_token:
        raise CommandError(
            f"the store {settings.store_path} is held by another process (usually the portal "
            "server); set PORTAL_API_TOKEN to the server's token to back it up through the "
            f"server at {url}",
            EXIT_STORE,
        )
    request = urllib.request.Request(
        url, method="POST", headers={"Authorization": f"Bearer {settings.api_token}"}
    )
    try:
        response = urllib.request.urlopen(request, timeout=BACKUP_TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        try:
            reason = json.loads(error.read())["error"]
        except (ValueError, KeyError, TypeError):
            reason = error.reason
        exit_code = {401: EXIT_USAGE, 503: EXIT_STORE}.get(error.code, EXIT_FAILED)
        raise CommandError(
            f"the server at {url} made no backup ({error.code}): {reason}", exit_code
        ) from error
    except OSError as error:  # URLError included: nothing answers there
        reason = getattr(error, "reason", error)
        raise CommandError(
            f"the store {settings.store_path} is held by another process, and no portal server "
            f"answers at {url} ({reason}); set PORTAL_SERVER_URL to the server's address",
            EXIT_STORE,
        ) from error
    with response, target.open("wb") as out:
        try:
            shutil.copyfileobj(response, out, 1024 * 1024)  # a chunk at a time, never all
        except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
            raise CommandError(
                f"the copy from {url} broke off ({error!r}); try again", EXIT_FAILED
            ) from error
        except OSError as error:
            raise CommandError(f"the copy could not be written: {error}", EXIT_FAILED) from error
    try:
        check_copy(target)
    except StoreDamaged as error:
        raise CommandError(
            f"the copy from {url} arrived incomplete ({error.detail}); try again", EXIT_FAILED
        ) from error


def _notify(args: argparse.Namespace, settings: Settings) -> int:
    from portal.runtime import command_runtime
    from portal.services.notifications import run_notifications

    try:
        store = configured_store(settings)
    except StoreLocked as exc:
        raise CommandError(
            f"{exc} While the server runs it sends notifications itself "
            "(PORTAL_NOTIFY_INTERVAL_MINUTES); admins can send now on its Notifications page.",
            EXIT_STORE,
        ) from exc
    try:
        result = run_notifications(
            command_runtime(settings, store), digest=args.digest, dry_run=args.dry_run
        )
    finally:
        store.close()
    if not result.channels:
        print(
            "No channel is configured: set PORTAL_SMTP_HOST (e-mail) or "
            "PORTAL_NOTIFY_WEBHOOK_URL (webhook). Nothing was sent."
        )
    by_person: dict[str, list] = {}
    for message in (*result.new, *result.retried):
        by_person.setdefault(message.recipient, []).append(message)
    verb = "would send" if result.dry_run else "sent"
    for person in sorted(by_person):
        print(f"{person}:")
        for message in by_person[person]:
            again = " (retry)" if message in result.retried else ""
            print(f"  [{message.channel}, {message.language}] {message.subject}{again}")
    if result.dry_run:
        print(
            f"Dry run: {verb} {len(result.new)} new and {len(result.retried)} retried "
            "message(s); nothing written."
        )
        return EXIT_OK
    print(f"Sent {result.sent} message(s), {len(result.failures)} failed.")
    for failure in result.failures:
        print(
            f"  failed: {failure.recipient} over {failure.channel}: {failure.error}",
            file=sys.stderr,
        )
    if result.failures:
        raise CommandError(
            f"{len(result.failures)} message(s) failed; they are retried on the next run",
            EXIT_FAILED,
        )
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from portal.runtime import open_runtime
    from portal.server import app

    # Open the store before listening, so a held store fails here with a clear message; the
    # server's lifespan starts the scheduler once everything is imported.
    open_runtime(settings)

    print(
        f"Portal at http://{args.host}:{args.port}  (store {settings.store_path}, "
        f"MLflow {redact_uri(settings.mlflow_tracking_uri)})",
        flush=True,
    )
    # No access log: request lines can carry sign-in codes (/oauth2callback?code=...).
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
