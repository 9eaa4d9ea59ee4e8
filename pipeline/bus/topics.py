"""The topics depeche uses, created on start-up with the configured partitions."""

from __future__ import annotations

import logging

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from pipeline.config import Settings

log = logging.getLogger(__name__)


def topic_specs(settings: Settings) -> list[NewTopic]:
    """Every topic with its partitions and the configs that matter for it."""
    partitions = settings.kafka.partitions
    replication = settings.kafka.replication_factor
    # With replicas, require two in sync so that acks=all really means "on two disks".
    durable = {"min.insync.replicas": str(min(2, replication))}
    return [
        NewTopic(settings.topic_raw, partitions, replication, topic_configs=durable),
        NewTopic(settings.topic_enriched, partitions, replication, topic_configs=durable),
        NewTopic(settings.topic_dlq, 1, replication, topic_configs=durable),
        # Poller state: only the latest record per feed matters, so compaction keeps it small forever.
        NewTopic(
            settings.topic_feed_state, 1, replication,
            topic_configs={**durable, "cleanup.policy": "compact", "segment.ms": "3600000"},
        ),
    ]


def ensure_topics(settings: Settings) -> list[str]:
    """Create any missing topic; return the names created. Safe to call from every process."""
    admin = KafkaAdminClient(**settings.kafka.client_options(), client_id=f"{settings.namespace}-admin")
    try:
        existing = set(admin.list_topics())
        missing = [spec for spec in topic_specs(settings) if spec.name not in existing]
        created = []
        for spec in missing:
            try:
                admin.create_topics([spec])
                created.append(spec.name)
                log.info("created topic", extra={"topic": spec.name, "partitions": spec.num_partitions})
            except TopicAlreadyExistsError:
                pass  # another process won the race: fine
        return created
    finally:
        admin.close()
