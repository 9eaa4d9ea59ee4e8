"""Settings: load `config/depeche.yaml`, validate it, and name every derived resource.

Which file: `--config PATH`, else `$DEPECHE_CONFIG`, else `config/depeche.yaml` in the checkout.
Connection settings can be overridden from the environment (for secrets and deployments):
DEPECHE_KAFKA_BOOTSTRAP_SERVERS, DEPECHE_ELASTICSEARCH_URL, DEPECHE_ELASTICSEARCH_API_KEY,
DEPECHE_KAFKA_SECURITY_PROTOCOL, DEPECHE_KAFKA_SASL_MECHANISM, DEPECHE_KAFKA_SASL_USERNAME,
DEPECHE_KAFKA_SASL_PASSWORD, DEPECHE_API_KEY, DEPECHE_NAMESPACE.
Validation errors stop start-up with a message naming the file, the key and the fix.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "depeche.yaml"


class ConfigError(Exception):
    """A settings or feed file that cannot be used; the message says where and how to fix it."""


class _Strict(BaseModel):
    # Unknown keys are typos more often than not: refuse them so the operator finds out now.
    model_config = ConfigDict(extra="forbid")


class KafkaSettings(_Strict):
    bootstrap_servers: str = "127.0.0.1:9092"
    partitions: int = Field(default=3, ge=1, le=1000)
    replication_factor: int = Field(default=1, ge=1, le=10)
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None

    def client_options(self) -> dict[str, Any]:
        """Connection keyword arguments shared by every kafka-python client."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers.split(","),
            "security_protocol": self.security_protocol,
        }
        if self.sasl_mechanism:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = self.sasl_password
        if self.ssl_cafile:
            options["ssl_cafile"] = self.ssl_cafile
        return options


class ElasticsearchSettings(_Strict):
    url: str = "http://127.0.0.1:9200"
    api_key: str | None = None
    ca_certs: str | None = None
    refresh_interval: str = "1s"
    shards: int = Field(default=1, ge=1, le=100)
    replicas: int = Field(default=0, ge=0, le=10)

    @field_validator("url")
    @classmethod
    def _url_has_scheme(cls, value: str) -> str:
        if not re.match(r"^https?://", value):
            raise ValueError("must start with http:// or https:// (e.g. http://127.0.0.1:9200)")
        return value.rstrip("/")


class LocalStackSettings(_Strict):
    """The single-machine Kafka + Elasticsearch that `depeche stack up` runs (dev, CI, demo)."""

    kafka_port: int = Field(default=9092, ge=1, le=65535)
    kafka_controller_port: int = Field(default=9093, ge=1, le=65535)
    elasticsearch_port: int = Field(default=9200, ge=1, le=65535)
    elasticsearch_transport_port: int = Field(default=9300, ge=1, le=65535)
    elasticsearch_heap: str = "1g"
    kafka_heap: str = "512m"
    kafka_version: str = "4.3.1"
    elasticsearch_version: str = "8.19.9"
    data_dir: str = "../.local/stack"  # relative to the settings file
    cache_dir: str = "~/.cache/depeche"  # downloads that survive re-runs

    @field_validator("elasticsearch_heap", "kafka_heap")
    @classmethod
    def _heap_size(cls, value: str) -> str:
        if not re.fullmatch(r"\d+[mg]", value):
            raise ValueError("must be a JVM heap size such as 512m or 1g")
        return value


class FetchSettings(_Strict):
    timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    max_bytes: int = Field(default=10_000_000, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=20)
    per_host_concurrency: int = Field(default=2, ge=1, le=100)
    concurrency: int = Field(default=50, ge=1, le=2000)
    user_agent: str = "depeche/0.1 (news ingestion; +https://github.com/depeche-news/depeche)"
    allow_private_networks: bool = False


class ApiSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    api_key: str | None = None
    max_page_size: int = Field(default=100, ge=1, le=1000)


class Settings(_Strict):
    namespace: str = "depeche"
    feeds_file: str = "feeds.yaml"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    elasticsearch: ElasticsearchSettings = Field(default_factory=ElasticsearchSettings)
    stack: LocalStackSettings = Field(default_factory=LocalStackSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Where the settings came from; relative paths inside resolve against its folder.
    source: Path = Field(default=DEFAULT_CONFIG, exclude=True)

    @field_validator("namespace")
    @classmethod
    def _namespace_is_a_name(cls, value: str) -> str:
        # It becomes part of topic and index names: lowercase, no dots or spaces.
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,40}", value):
            raise ValueError("must be lowercase letters, digits, '-' or '_', starting with a letter")
        return value

    # --- derived names: one place, so every stage agrees -----------------------------------
    @property
    def topic_raw(self) -> str:
        return f"{self.namespace}.articles.raw"

    @property
    def topic_enriched(self) -> str:
        return f"{self.namespace}.articles.enriched"

    @property
    def topic_dlq(self) -> str:
        return f"{self.namespace}.articles.dlq"

    @property
    def topic_feed_state(self) -> str:
        return f"{self.namespace}.feeds.state"

    def group(self, stage: str) -> str:
        """Consumer group of a stage: every process of that stage joins it."""
        return f"{self.namespace}-{stage}"

    @property
    def index_alias(self) -> str:
        return f"{self.namespace}-articles"

    @property
    def index_template(self) -> str:
        return f"{self.namespace}-articles-template"

    # --- paths ---------------------------------------------------------------------------
    def resolve(self, path: str) -> Path:
        """A path from the settings, relative to the settings file's folder."""
        expanded = Path(os.path.expanduser(path))
        return expanded if expanded.is_absolute() else (self.source.parent / expanded).resolve()

    @property
    def feeds_path(self) -> Path:
        return self.resolve(self.feeds_file)

    @property
    def stack_data_dir(self) -> Path:
        return self.resolve(self.stack.data_dir)

    @property
    def cache_dir(self) -> Path:
        return Path(os.environ.get("DEPECHE_CACHE_DIR") or os.path.expanduser(self.stack.cache_dir))


# Environment variable -> (section, key). Applied after the file, before validation.
ENV_OVERRIDES: dict[str, tuple[str | None, str]] = {
    "DEPECHE_NAMESPACE": (None, "namespace"),
    "DEPECHE_KAFKA_BOOTSTRAP_SERVERS": ("kafka", "bootstrap_servers"),
    "DEPECHE_KAFKA_SECURITY_PROTOCOL": ("kafka", "security_protocol"),
    "DEPECHE_KAFKA_SASL_MECHANISM": ("kafka", "sasl_mechanism"),
    "DEPECHE_KAFKA_SASL_USERNAME": ("kafka", "sasl_username"),
    "DEPECHE_KAFKA_SASL_PASSWORD": ("kafka", "sasl_password"),
    "DEPECHE_KAFKA_SSL_CAFILE": ("kafka", "ssl_cafile"),
    "DEPECHE_ELASTICSEARCH_URL": ("elasticsearch", "url"),
    "DEPECHE_ELASTICSEARCH_API_KEY": ("elasticsearch", "api_key"),
    "DEPECHE_ELASTICSEARCH_CA_CERTS": ("elasticsearch", "ca_certs"),
    "DEPECHE_API_KEY": ("api", "api_key"),
}


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The settings file to use: explicit path, then $DEPECHE_CONFIG, then the default."""
    chosen = explicit or os.environ.get("DEPECHE_CONFIG") or DEFAULT_CONFIG
    return Path(chosen).expanduser().resolve()


def _apply_env(data: dict[str, Any], environ: dict[str, str]) -> None:
    for var, (section, key) in ENV_OVERRIDES.items():
        value = environ.get(var)
        if not value:
            continue
        target = data if section is None else data.setdefault(section, {})
        if not isinstance(target, dict):
            continue  # the validator will report the malformed section
        target[key] = value


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"key '{where}' is not a setting (typo?); remove it or see config/depeche.yaml for the valid keys"
    given = error.get("input")
    shown = "" if isinstance(given, dict) else f" (got {given!r})"
    return f"key '{where}': {error['msg']}{shown}"


def parse_yaml(text: str, path: Path | str) -> Any:
    """YAML text to data (empty → {}); a syntax error becomes a ConfigError naming file and line."""
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax") from exc


def load_settings(
    path: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Read and validate the settings file; raise ConfigError naming file, key and fix."""
    file = config_path(path)
    environ = dict(os.environ) if environ is None else environ
    if not file.exists():
        raise ConfigError(f"{file}: settings file not found; pass --config PATH or set DEPECHE_CONFIG")
    data = parse_yaml(file.read_text(encoding="utf-8"), file)
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: must be a mapping of settings (key: value), not {type(data).__name__}")
    _apply_env(data, environ)
    data["source"] = file
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise ConfigError(f"{file}: {problems}") from exc
