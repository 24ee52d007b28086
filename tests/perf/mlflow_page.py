"""A test-only page as a newcomer would write it: it asks MLflow for everything on every render.

It lists the registered models with their latest version, production alias and version count,
calling search_registered_models and then search_model_versions once per model, with no cache.
`make bench` times it beside the portal's inventory (tests/perf/test_bench.py); the store it
reads comes from the environment variable BENCH_MLFLOW_URI.
"""

import logging
import os
import time

import streamlit as st
from mlflow import MlflowClient

started = time.perf_counter()
uri = os.environ["BENCH_MLFLOW_URI"]
client = MlflowClient(uri, registry_uri=uri)
st.title("Models in MLflow")
rows = []
token = None
while True:
    models = client.search_registered_models(max_results=1000, page_token=token)
    for model in models:
        versions = client.search_model_versions(f"name = '{model.name}'")
        rows.append(
            {
                "model": model.name,
                "versions": len(versions),
                "latest": max((int(v.version) for v in versions), default=None),
                "champion": model.aliases.get("champion"),
                "owner": model.tags.get("owner", ""),
            }
        )
    token = models.token
    if not token:
        break
st.write(f"{len(rows)} models")
st.dataframe(rows)
seconds = time.perf_counter() - started
logging.getLogger("tests.perf.mlflow_page").debug(
    "page 'mlflow' rendered in %.0f ms", seconds * 1000
)
