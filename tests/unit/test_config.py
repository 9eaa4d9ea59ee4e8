from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_settings

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "depeche.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_settings_load_and_derive_names():
    settings = load_settings(REPO / "config" / "depeche.yaml", environ={})
    assert settings.namespace == "depeche"
    assert settings.topic_raw == "depeche.articles.raw"
    assert settings.group("enrich") == "depeche-enrich"
    assert settings.index_alias == "depeche-articles"
    assert settings.feeds_path == (REPO / "config" / "feeds.yaml").resolve()


def test_namespace_changes_every_derived_name(tmp_path):
    settings = load_settings(write(tmp_path, "namespace: newsroom\n"), environ={})
    assert settings.topic_enriched == "newsroom.articles.enriched"
    assert settings.index_alias == "newsroom-articles"
    assert settings.topic_feed_state.startswith("newsroom.")


def test_unknown_key_names_file_and_key(tmp_path):
    path = write(tmp_path, "kafka:\n  bootstrap_server: x:9092\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={})
    message = str(err.value)
    assert str(path) in message and "kafka.bootstrap_server" in message and "typo" in message


def test_bad_value_is_explained(tmp_path):
    with pytest.raises(ConfigError, match=r"elasticsearch.url.*http://"):
        load_settings(write(tmp_path, "elasticsearch:\n  url: localhost:9200\n"), environ={})
    with pytest.raises(ConfigError, match="namespace"):
        load_settings(write(tmp_path, "namespace: Bad Name\n"), environ={})


def test_yaml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"line \d+"):
        load_settings(write(tmp_path, "kafka:\n  partitions: [1,\n"), environ={})


def test_missing_file_says_how_to_choose_another(tmp_path):
    with pytest.raises(ConfigError, match="--config"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_environment_overrides_connection_settings(tmp_path):
    path = write(tmp_path, "kafka:\n  bootstrap_servers: a:9092\n")
    settings = load_settings(path, environ={
        "DEPECHE_KAFKA_BOOTSTRAP_SERVERS": "b:9092,c:9092",
        "DEPECHE_ELASTICSEARCH_API_KEY": "secret",
    })
    assert settings.kafka.client_options()["bootstrap_servers"] == ["b:9092", "c:9092"]
    assert settings.elasticsearch.api_key == "secret"


def test_depeche_config_variable_selects_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, "namespace: fromenv\n")
    monkeypatch.setenv("DEPECHE_CONFIG", str(path))
    assert load_settings(None, environ={}).namespace == "fromenv"


def test_relative_paths_resolve_against_the_settings_file(tmp_path):
    settings = load_settings(write(tmp_path, "feeds_file: lists/feeds.yaml\n"), environ={})
    assert settings.feeds_path == (tmp_path / "lists" / "feeds.yaml").resolve()
