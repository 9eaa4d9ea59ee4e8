"""`depeche status`: how the whole pipeline is doing, read from Kafka and Elasticsearch.

Everything here is read from the engines themselves, so it is true for stages on any machine:
a consumer group with members means that stage is up somewhere; lag is end offset minus committed.
"""

from __future__ import annotations

import logging
from typing import Any

from pipeline.config import Settings
from pipeline.service import read_service_status

log = logging.getLogger(__name__)


def consumer_lag(settings: Settings) -> dict[str, dict[str, Any]]:
    """Per stage group: members and lag on its input topic."""
    from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

    groups = {"enrich": settings.topic_raw, "index": settings.topic_enriched}
    admin = KafkaAdminClient(**settings.kafka.client_options(), request_timeout_ms=5000)
    consumer = KafkaConsumer(**settings.kafka.client_options(), request_timeout_ms=5000, enable_auto_commit=False)
    result: dict[str, dict[str, Any]] = {}
    try:
        described = admin.describe_groups([settings.group(s) for s in groups])
        for stage, topic in groups.items():
            group = settings.group(stage)
            partitions = consumer.partitions_for_topic(topic) or set()
            tps = [TopicPartition(topic, p) for p in partitions]
            ends = consumer.end_offsets(tps) if tps else {}
            committed = admin.list_group_offsets({group: None}).get(group, {})
            lag = sum(ends[tp] - (committed[tp].offset if tp in committed else 0) for tp in tps)
            members = len((described.get(group) or {}).get("members") or [])
            result[stage] = {"group": group, "topic": topic, "lag": lag, "members": members,
                             "produced": sum(ends.values())}
    finally:
        consumer.close()
        admin.close()
    return result


def index_figures(settings: Settings) -> dict[str, Any]:
    """Documents in the index, articles indexed per minute (last 10 min), end-to-end latency."""
    from elasticsearch import Elasticsearch

    es = Elasticsearch(settings.elasticsearch.url, api_key=settings.elasticsearch.api_key, request_timeout=10)
    try:
        if not es.indices.exists_alias(name=settings.index_alias):
            return {"documents": 0, "per_minute": 0.0, "latency_p50_s": None, "latency_p95_s": None}
        total = es.count(index=settings.index_alias)["count"]
        recent = es.count(index=settings.index_alias,
                          query={"range": {"indexed_at": {"gte": "now-10m"}}})["count"]
        hits = es.search(index=settings.index_alias, size=200, sort=[{"indexed_at": "desc"}],
                         source=["first_seen_at", "indexed_at"])["hits"]["hits"]
    finally:
        es.close()
    from datetime import datetime

    delays = []
    for hit in hits:
        src = hit["_source"]
        try:
            seen = datetime.fromisoformat(src["first_seen_at"].replace("Z", "+00:00"))
            done = datetime.fromisoformat(src["indexed_at"].replace("Z", "+00:00"))
            delays.append((done - seen).total_seconds())
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    delays.sort()

    def pick(q: float) -> float | None:
        return round(delays[min(len(delays) - 1, int(q * len(delays)))], 2) if delays else None

    return {"documents": total, "per_minute": round(recent / 10, 1),
            "latency_p50_s": pick(0.5), "latency_p95_s": pick(0.95)}


def feed_health(settings: Settings) -> dict[str, Any]:
    from pipeline.feeds.state import load_all_states  # owned by the poller package

    states = load_all_states(settings)
    failing = {fid: s.last_error for fid, s in states.items() if getattr(s, "error_streak", 0)}
    return {"feeds": len(states), "ok": len(states) - len(failing), "failing": failing}


def collect(settings: Settings) -> dict[str, Any]:
    """Every figure, each section independent: one engine down does not hide the others."""
    report: dict[str, Any] = {"namespace": settings.namespace, "local_service": read_service_status(settings)}
    for name, probe in (("kafka", consumer_lag), ("index", index_figures), ("feeds", feed_health)):
        try:
            report[name] = probe(settings)
        except Exception as exc:  # noqa: BLE001 - report it, keep going
            report[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"namespace {report['namespace']}"]
    local = report.get("local_service")
    if local:
        stages = ", ".join(f"{n} {'up (pid ' + str(s['pid']) + ')' if s['pid'] else 'DOWN'}"
                           for n, s in local["stages"].items())
        lines.append(f"local service: pid {local['pid']}: {stages}")
    else:
        lines.append("local service: not running on this machine")
    kafka = report.get("kafka", {})
    if "error" in kafka:
        lines.append(f"kafka: unreachable ({kafka['error']})")
    else:
        for stage, info in kafka.items():
            state = f"up ({info['members']} member(s))" if info["members"] else "no consumer running"
            lines.append(f"{stage:<7} {state:<22} lag {info['lag']:>6} on {info['topic']} "
                         f"({info['produced']} produced)")
    feeds = report.get("feeds", {})
    if "error" in feeds:
        lines.append(f"feeds: unknown ({feeds['error']})")
    else:
        lines.append(f"feeds: {feeds['ok']}/{feeds['feeds']} OK")
        for fid, err in sorted(feeds["failing"].items()):
            lines.append(f"  failing {fid}: {err}")
    index = report.get("index", {})
    if "error" in index:
        lines.append(f"index: unreachable ({index['error']})")
    else:
        lines.append(f"index: {index['documents']} documents, {index['per_minute']} articles/min (last 10 min), "
                     f"end-to-end latency p50 {index['latency_p50_s']} s, p95 {index['latency_p95_s']} s")
    return "\n".join(lines)
