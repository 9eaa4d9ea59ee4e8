"""The Elasticsearch client, built from the settings in one place so every caller agrees."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from pipeline.config import Settings


def make_client(settings: Settings, request_timeout: float = 30.0, max_retries: int = 3,
                **overrides: Any) -> Elasticsearch:
    """A client for `settings.elasticsearch` (URL, API key, CA bundle), with explicit timeouts.

    Stages that run their own retry loop (the indexer) pass `max_retries=0` so that a dead
    cluster is reported to them at once instead of after the transport's hidden retries.
    """
    conf = settings.elasticsearch
    options: dict[str, Any] = {
        "request_timeout": request_timeout,
        "max_retries": max_retries,
        "retry_on_timeout": max_retries > 0,
        # Connection errors and 502/503/504 are worth a retry on another node; 429 is the
        # indexer's to back off from, so it is not retried blindly here.
        "retry_on_status": (502, 503, 504),
    }
    if conf.api_key:
        options["api_key"] = conf.api_key
    if conf.ca_certs:
        options["ca_certs"] = conf.ca_certs
    options.update(overrides)
    return Elasticsearch(conf.url, **options)
