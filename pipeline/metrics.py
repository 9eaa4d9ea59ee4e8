"""Prometheus metrics, one definition for every stage.

`depeche run` runs stages as separate processes; it sets PROMETHEUS_MULTIPROC_DIR before they start,
so each process writes its samples there and the API's /metrics adds them up.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

# --- poller ---
POLLS = Counter("depeche_polls_total", "Feed polls by outcome", ["outcome"])  # new|not_modified|unchanged|error
NEW_ARTICLES = Counter("depeche_new_articles_total", "Articles produced to the raw topic", ["feed"])
FETCH_ERRORS = Counter("depeche_fetch_errors_total", "Feed fetch or parse errors", ["feed", "kind"])
# --- enricher ---
ENRICHED = Counter("depeche_enriched_total", "Articles enriched", ["language"])
ENRICH_SECONDS = Histogram("depeche_enrich_seconds", "Enrichment time per batch",
                           buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
# --- indexer ---
INDEXED = Counter("depeche_indexed_total", "Documents confirmed by Elasticsearch")
INDEX_SECONDS = Histogram("depeche_index_seconds", "Bulk request time",
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
BATCH_SIZE = Histogram("depeche_batch_size", "Records per batch", ["stage"],
                       buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000))
DEAD_LETTERS = Counter("depeche_dead_letters_total", "Messages sent to the dead-letter topic", ["stage"])
END_TO_END_SECONDS = Histogram(
    "depeche_end_to_end_seconds", "From first seen in a feed to searchable",
    buckets=(0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900),
)
CONSUMER_LAG = Gauge("depeche_consumer_lag", "Records not yet consumed", ["group", "topic"],
                     multiprocess_mode="max")


def exposition() -> bytes:
    """The text exposition of every process's metrics (or this process's when not multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()


def totals() -> dict[str, float]:
    """Counter totals across every stage process, by metric name (for the service's status line)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    sums: dict[str, float] = {}
    for family in registry.collect():
        for sample in family.samples:
            if sample.name.endswith("_total"):
                sums[sample.name] = sums.get(sample.name, 0.0) + sample.value
    return sums
