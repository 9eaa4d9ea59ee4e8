"""A consumer that never commits on its own: stages commit after their output is durable."""

from __future__ import annotations

from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

from pipeline.config import Settings


def make_consumer(settings: Settings, topic: str, group: str, client_id: str, max_records: int = 100,
                  ) -> KafkaConsumer:
    """Join `group` on `topic`; offsets start at the earliest record for a new group."""
    return KafkaConsumer(
        topic,
        **settings.kafka.client_options(),
        group_id=group,
        client_id=client_id,
        enable_auto_commit=False,  # at-least-once: see commit_batch()
        auto_offset_reset="earliest",
        max_poll_records=max_records,
        # NLP on a batch can take a while; don't get evicted from the group meanwhile.
        max_poll_interval_ms=600_000,
        isolation_level="read_committed",
    )


def poll_batch(consumer: KafkaConsumer, timeout_ms: int = 1000, max_records: int | None = None) -> list:
    """One poll, flattened to a list of records in partition order."""
    polled = consumer.poll(timeout_ms=timeout_ms, max_records=max_records)
    return [record for records in polled.values() for record in records]


def commit_batch(consumer: KafkaConsumer, records: list) -> None:
    """Commit the offsets just past `records` (call only once their output is durably written)."""
    offsets: dict[TopicPartition, OffsetAndMetadata] = {}
    for record in records:
        tp = TopicPartition(record.topic, record.partition)
        next_offset = record.offset + 1
        if tp not in offsets or offsets[tp].offset < next_offset:
            offsets[tp] = OffsetAndMetadata(next_offset, "", -1)
    if offsets:
        consumer.commit(offsets)


def record_lag(consumer: KafkaConsumer, group: str) -> None:
    """Publish this consumer's lag (high watermark minus position) per topic as a metric."""
    from pipeline.metrics import CONSUMER_LAG

    per_topic: dict[str, int] = {}
    for tp in consumer.assignment():
        highwater = consumer.highwater(tp)
        if highwater is None:
            continue  # no fetch response yet for this partition
        per_topic[tp.topic] = per_topic.get(tp.topic, 0) + max(0, highwater - consumer.position(tp))
    for topic, lag in per_topic.items():
        CONSUMER_LAG.labels(group=group, topic=topic).set(lag)
