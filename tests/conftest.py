"""Shared fixtures. Integration tests talk to the real Kafka and Elasticsearch of `depeche stack up`.

Each test run uses its own namespace (topics, groups, indices), so it never touches the data of a
service running on the same engines. With DEPECHE_REQUIRE_STACK=1 (set by deploy/test.sh and CI)
a missing engine fails the integration tests instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from pipeline import stack
from pipeline.config import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return load_settings(REPO / "config" / "depeche.yaml", environ={})


@pytest.fixture(scope="session")
def live_stack(base_settings: Settings) -> Settings:
    """The local stack, started once per run if it is not up; fails or skips when unreachable."""
    rows = stack.status(base_settings)
    if not all(row.healthy for row in rows):
        if os.environ.get("DEPECHE_REQUIRE_STACK") == "1" or os.environ.get("CI"):
            try:
                stack.up(base_settings)
            except stack.StackError as exc:
                pytest.fail(f"the local Kafka/Elasticsearch could not be started: {exc}")
        else:
            down = ", ".join(row.name for row in rows if not row.healthy)
            pytest.skip(f"{down} not running: start them with `depeche stack up`")
    return base_settings


@pytest.fixture
def settings(live_stack: Settings, tmp_path: Path) -> Settings:
    """Settings with a namespace of their own: fresh topics, groups and index for one test."""
    namespace = "t" + uuid.uuid4().hex[:10]
    return live_stack.model_copy(update={"namespace": namespace})


@pytest.fixture
def es(live_stack: Settings):
    from elasticsearch import Elasticsearch

    client = Elasticsearch(live_stack.elasticsearch.url, request_timeout=30)
    yield client
    client.close()
