"""A durable producer: a send returns only once Kafka has the record on every in-sync replica."""

from __future__ import annotations

from kafka import KafkaProducer

from pipeline.config import Settings


class DurableProducer:
    """kafka-python producer with acks=all and idempotence (no duplicates from its own retries)."""

    def __init__(self, settings: Settings, client_id: str, linger_ms: int = 5) -> None:
        self._producer = KafkaProducer(
            **settings.kafka.client_options(),
            client_id=client_id,
            acks="all",
            enable_idempotence=True,
            retries=2**31 - 1,  # retry until delivery_timeout_ms; idempotence keeps order and no dups
            linger_ms=linger_ms,
            compression_type="gzip",
            max_request_size=4 * 1024 * 1024,
        )

    def send(self, topic: str, key: str, value: bytes) -> None:
        """Queue one record (call `flush()` before committing anything that depends on it)."""
        self._producer.send(topic, key=key.encode("utf-8"), value=value)

    def send_and_wait(self, topic: str, key: str, value: bytes, timeout: float = 30.0) -> None:
        self._producer.send(topic, key=key.encode("utf-8"), value=value).get(timeout=timeout)

    def send_many(self, topic: str, records: list[tuple[str, bytes]], timeout: float = 60.0) -> None:
        """Send records and wait until all are acknowledged; raise if any failed."""
        futures = [self._producer.send(topic, key=k.encode("utf-8"), value=v) for k, v in records]
        self._producer.flush(timeout=timeout)
        for future in futures:
            future.get(timeout=timeout)  # re-raises the delivery error, if any

    def flush(self, timeout: float = 60.0) -> None:
        self._producer.flush(timeout=timeout)

    def close(self, timeout: float = 10.0) -> None:
        self._producer.close(timeout=timeout)
