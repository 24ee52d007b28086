"""The portal server: an st.App whose lifespan owns the store and the scheduler, plus the API."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from streamlit import config as streamlit_config
from streamlit.starlette import App

# Imported at start so the first visitor does not wait for plotly to load (about half a second).
import portal.charts  # noqa: F401
from portal.config import redact_uri
from portal.errors import BackupFailed, StoreUnavailable
from portal.runtime import close_runtime, current_runtime, current_settings, open_runtime
from portal.services import kpi_api, mlflow_webhook
from portal.services.backup import backup_beside_store
from portal.services.health import health_report, unavailable_report

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(_app: App) -> AsyncIterator[dict]:
    """Open the store (migrations included) and start the scheduler; close both at shutdown."""
    try:
        runtime = open_runtime()
        runtime.start()
        log.info(
            "portal store %s open; MLflow at %s",
            runtime.settings.store_path,
            redact_uri(runtime.settings.mlflow_tracking_uri),
        )
    except StoreUnavailable as exc:
        # Keep serving: pages and /api/health explain the problem instead of a dead port.
        log.error("portal store unavailable: %s", exc)
    yield {}
    close_runtime()


async def health(request: Request) -> JSONResponse:
    """GET /api/health: status, last sync and counts; 503 when the store cannot be opened.

    The store's path and error details (which name files) only with the API token.
    """
    settings = current_settings()
    admin = kpi_api.authorized(settings.api_token, request.headers.get("authorization"))

    def report():
        try:
            return health_report(current_runtime())
        except StoreUnavailable as exc:
            return unavailable_report(settings.store_path, exc)

    report = await asyncio.to_thread(report)
    return JSONResponse(report.as_json(admin), status_code=200 if report.status == "ok" else 503)


async def backup(request: Request) -> Response:
    """POST /api/backup with the API token: a consistent copy of the store, streamed back."""
    if not kpi_api.authorized(current_settings().api_token, request.headers.get("authorization")):
        return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
    try:
        runtime = current_runtime()
        copy = await asyncio.to_thread(backup_beside_store, runtime)
    except StoreUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    except BackupFailed as exc:
        log.error("backup failed: %s", exc)
        return JSONResponse({"error": f"the backup could not be written: {exc}"}, status_code=500)
    return FileResponse(
        copy,
        media_type="application/octet-stream",
        filename=copy.name,
        background=BackgroundTask(shutil.rmtree, copy.parent, ignore_errors=True),
    )


async def push_kpis(request: Request) -> JSONResponse:
    """POST /api/kpis with 'Authorization: Bearer <PORTAL_API_TOKEN>'."""
    if not kpi_api.authorized(current_settings().api_token, request.headers.get("authorization")):
        return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
    try:
        runtime = current_runtime()
    except StoreUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    limit = streamlit_config.get_option("server.maxUploadSize") * 1024 * 1024
    too_large = JSONResponse({"error": "the body is larger than the upload limit"}, status_code=413)
    if int(request.headers.get("content-length") or 0) > limit:
        return too_large
    with tempfile.TemporaryDirectory(prefix="portal-api-") as folder:
        body = Path(folder) / "body"
        # A chunked body declares no length: count while reading, and keep it on disk.
        if not await _spool_body(request, body, limit):
            return too_large
        reply = await asyncio.to_thread(
            kpi_api.push_kpis,
            runtime,
            request.headers.get("content-type", ""),
            body,
            request.query_params.get("file_name", ""),
        )
    return JSONResponse(reply.body, status_code=reply.status)


async def _spool_body(request: Request, path: Path, limit: int) -> bool:
    """Write the request body to path as it arrives; False as soon as it passes limit bytes."""
    size = 0
    with path.open("wb") as file:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return False
            file.write(chunk)
    return True


async def receive_mlflow_webhook(request: Request) -> JSONResponse:
    """POST /api/mlflow/webhook: MLflow's registry events, signed with the configured secret."""
    if not mlflow_webhook.enabled(current_settings()):
        return JSONResponse({"error": mlflow_webhook.OFF_MESSAGE}, status_code=404)
    try:
        runtime = current_runtime()
    except StoreUnavailable as exc:
        # MLflow is no admin: the reason (which names the store's file) goes to the log only.
        log.error("webhook delivery refused, store unavailable: %s", exc)
        return JSONResponse({"error": "the portal's store is unavailable"}, status_code=503)
    # Read while counting: a body without Content-Length must not be held whole first.
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > mlflow_webhook.MAX_BODY_BYTES:
            reply = mlflow_webhook.refuse("too_large")
            return JSONResponse(reply.body, status_code=reply.status)
    reply = await asyncio.to_thread(
        mlflow_webhook.receive, runtime, dict(request.headers), bytes(body)
    )
    return JSONResponse(reply.body, status_code=reply.status)


app = App(
    str(Path(__file__).with_name("app.py")),
    lifespan=lifespan,
    routes=[
        Route("/api/health", health, methods=["GET"]),
        Route("/api/kpis", push_kpis, methods=["POST"]),
        Route("/api/backup", backup, methods=["POST"]),
        Route("/api/mlflow/webhook", receive_mlflow_webhook, methods=["POST"]),
    ],
)
