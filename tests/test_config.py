"""Settings: defaults, portal.toml, environment, errors, and the README documents every one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.config import SETTINGS, load_settings, settings_keys
from portal.errors import SettingsError

README = Path(__file__).resolve().parent.parent / "README.md"


def test_registry_and_settings_dataclass_agree():
    assert tuple(setting.key for setting in SETTINGS) == settings_keys()


def test_every_setting_is_documented_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env_var}`" in readme, f"{setting.env_var} is not in the README"


def test_defaults_are_the_embedded_mode(tmp_path):
    settings = load_settings(env={}, toml_path=tmp_path / "none.toml")
    assert settings.mlflow_tracking_uri.startswith("sqlite:///")
    assert settings.mlflow_tracking_uri.endswith("data/mlflow/mlflow.db")
    assert settings.store_path.parts[-2:] == ("data", "portal.duckdb")
    assert settings.mlflow_is_embedded
    assert settings.production_aliases == ("champion", "production")


def test_env_overrides_file_which_overrides_defaults(tmp_path):
    toml = tmp_path / "portal.toml"
    toml.write_text(
        '[portal]\nlanguage = "de"\nproduction_aliases = ["prod", "live"]\n'
        "sync_interval_minutes = 5\n",
        encoding="utf-8",
    )
    settings = load_settings(env={"PORTAL_SYNC_INTERVAL_MINUTES": "0"}, toml_path=toml)
    assert settings.language == "de"
    assert settings.production_aliases == ("prod", "live")
    assert settings.sync_interval_minutes == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORTAL_LANGUAGE": "fr"}, "PORTAL_LANGUAGE='fr' is not valid: must be 'en' or 'de'"),
        ({"PORTAL_SYNC_INTERVAL_MINUTES": "-1"}, "must not be negative"),
        ({"PORTAL_MLFLOW_PAGE_SIZE": "many"}, "PORTAL_MLFLOW_PAGE_SIZE='many' is not valid"),
        ({"PORTAL_PRODUCTION_ALIASES": " , "}, "must name at least one alias"),
    ],
)
def test_bad_values_name_the_setting(tmp_path, env, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(env=env, toml_path=tmp_path / "none.toml")


def test_unknown_and_malformed_files_are_refused(tmp_path):
    toml = tmp_path / "portal.toml"
    toml.write_text("[portal]\nlanguag = 'de'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown settings: languag"):
        load_settings(env={}, toml_path=toml)
    toml.write_text("[portal\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(env={}, toml_path=toml)


def test_streamlit_config_keeps_stakeholders_safe():
    import tomllib

    config = tomllib.loads((README.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 200
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
