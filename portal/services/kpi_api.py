"""POST /api/kpis: pipelines push KPI rows as JSON or a file, with the same checks as uploads."""

from __future__ import annotations

import csv
import hmac
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from portal.runtime import Runtime
from portal.services.identity import API_CLIENT
from portal.services.value import ValueService

KPI_COLUMNS = ("model", "kpi", "period", "value", "unit", "segment")
FILE_TYPES = {
    "text/csv": "csv",
    "application/vnd.apache.parquet": "parquet",
    "application/octet-stream": "parquet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


@dataclass(frozen=True)
class ApiReply:
    """HTTP status and JSON body."""

    status: int
    body: dict


def authorized(settings_token: str, header: str | None) -> bool:
    """A configured token sent as 'Authorization: Bearer <token>', compared in constant time."""
    if not settings_token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").encode(), settings_token.encode())


def push_kpis(runtime: Runtime, content_type: str, body: Path, file_name: str) -> ApiReply:
    """Load the pushed rows (the body spooled to a file) whole or not at all; rejects come back
    with line and reason."""
    media = content_type.split(";")[0].strip().lower()
    data: bytes | Path
    if media == "application/json":
        try:
            rows = json.loads(body.read_bytes())["rows"]
            data = _rows_as_csv(rows)
        except (ValueError, KeyError, TypeError, AttributeError):
            return ApiReply(
                400,
                {
                    "error": 'malformed JSON: expected {"rows": [{"model": …, '
                    '"kpi": …, "period": "YYYY-MM", "value": …}]}'
                },
            )
        file_name = file_name or "api.csv"
    elif media in FILE_TYPES:
        data = body
        file_name = file_name or f"api.{FILE_TYPES[media]}"
    else:
        return ApiReply(
            415, {"error": f"unsupported content type {media!r}: send JSON, CSV, Parquet or Excel"}
        )
    outcome = ValueService(runtime.store, runtime.settings).load_kpis(
        API_CLIENT, data, file_name, "api"
    )
    body_out = {
        "loaded": outcome.loaded,
        "load_id": outcome.load_id,
        "rows_in_file": outcome.rows_in_file,
        "rows_added": outcome.rows_added,
        "rows_replaced": outcome.rows_replaced,
        "rows_unchanged": outcome.rows_unchanged,
        "rejects": [asdict(reject) for reject in outcome.rejects],
    }
    return ApiReply(200 if outcome.loaded else 422, body_out)


def _rows_as_csv(rows: list) -> bytes:
    """JSON rows as a comma CSV, so they pass the very checks a file passes (line = row + 1)."""
    if not isinstance(rows, list):
        raise TypeError("rows must be a list")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(KPI_COLUMNS)
    for row in rows:
        if not isinstance(row, dict):
            raise TypeError("each row must be an object")
        writer.writerow(
            ["" if row.get(column) is None else row.get(column) for column in KPI_COLUMNS]
        )
    return buffer.getvalue().encode("utf-8")
