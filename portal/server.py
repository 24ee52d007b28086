"""The portal server: an st.App whose lifespan owns the store and the scheduler, plus the API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from streamlit import config as streamlit_config
from streamlit.starlette import App

# Imported at start so the first visitor does not wait for plotly to load (about half a second).
import portal.charts  # noqa: F401
from portal.config import redact_uri
from portal.errors import StoreUnavailable
from portal.runtime import close_runtime, current_runtime, open_runtime
from portal.services import kpi_api
from portal.services.health import health_report

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


async def health(_request: Request) -> JSONResponse:
    """GET /api/health: status, last sync and counts; 503 when the store cannot be opened."""
    try:
        report = await asyncio.to_thread(lambda: health_report(current_runtime()))
    except StoreUnavailable as exc:
        return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
    return JSONResponse(asdict(report), status_code=200 if report.status == "ok" else 503)


async def push_kpis(request: Request) -> JSONResponse:
    """POST /api/kpis with 'Authorization: Bearer <PORTAL_API_TOKEN>'."""
    try:
        runtime = current_runtime()
    except StoreUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    if not kpi_api.authorized(runtime.settings.api_token, request.headers.get("authorization")):
        return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
    limit = streamlit_config.get_option("server.maxUploadSize") * 1024 * 1024
    if int(request.headers.get("content-length") or 0) > limit:
        return JSONResponse({"error": "the body is larger than the upload limit"}, status_code=413)
    body = await request.body()
    if len(body) > limit:
        return JSONResponse({"error": "the body is larger than the upload limit"}, status_code=413)
    reply = await asyncio.to_thread(
        kpi_api.push_kpis,
        runtime,
        request.headers.get("content-type", ""),
        body,
        request.query_params.get("file_name", ""),
    )
    return JSONResponse(reply.body, status_code=reply.status)


app = App(
    str(Path(__file__).with_name("app.py")),
    lifespan=lifespan,
    routes=[
        Route("/api/health", health, methods=["GET"]),
        Route("/api/kpis", push_kpis, methods=["POST"]),
    ],
)
