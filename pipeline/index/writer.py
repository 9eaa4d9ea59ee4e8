"""The indexer stage: enriched articles from Kafka into Elasticsearch with the bulk API.

One batch at a time, in partition order: poll until the batch is full (count, bytes) or old
enough (time), write it, retry only the items Elasticsearch could not take yet (429, 5xx,
connection errors) with backoff, dead-letter the items that can never succeed (mapping
conflicts, other 4xx) and the messages that are not articles, and only then commit the offsets.
The loop never moves to the next batch before the current one is settled, so nothing is lost or
reordered; a stop during an outage just leaves the batch uncommitted for the next run.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from kafka.errors import KafkaError

from pipeline.bus.consumer import commit_batch, make_consumer, poll_batch
from pipeline.bus.dlq import dead_letter
from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.config import Settings
from pipeline.index.client import make_client
from pipeline.index.mapping import to_document
from pipeline.index.setup import setup
from pipeline.metrics import BATCH_SIZE, DEAD_LETTERS, END_TO_END_SECONDS, INDEX_SECONDS, INDEXED
from pipeline.model import Article, RecordError, utc_now_iso

log = logging.getLogger(__name__)

STAGE = "index"


@dataclass(frozen=True)
class BatchLimits:
    """When a bulk request is sent: whichever limit is reached first."""

    max_docs: int = 500
    max_bytes: int = 8 * 1024 * 1024
    max_wait_seconds: float = 0.5  # bounds the delay a quiet feed adds before searchability
    request_timeout: float = 60.0
    backoff_initial: float = 0.2
    backoff_max: float = 10.0


@dataclass
class _Item:
    """One document of a batch: its source record and its two bulk lines."""

    record: Any
    article_id: str
    first_seen_at: str | None
    lines: tuple[bytes, bytes]


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _seconds_since(iso: str | None, now: float) -> float | None:
    if not iso:
        return None
    try:
        seen = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    return max(0.0, now - seen.timestamp())


class Indexer:
    """Consumes `settings.topic_enriched` in group `settings.group("index")` into the index alias."""

    def __init__(self, settings: Settings, limits: BatchLimits | None = None,
                 client_id: str = "depeche-indexer") -> None:
        self.settings = settings
        self.limits = limits or BatchLimits()
        self.client_id = client_id
        self._es: Elasticsearch | None = None
        self._producer: DurableProducer | None = None

    # --- the loop -----------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Index until `stop` is set; the batch in hand is finished (or left uncommitted) first."""
        self._es = make_client(self.settings, request_timeout=self.limits.request_timeout, max_retries=0)
        try:
            if not self._retry(stop, "index setup", lambda: setup(self._es, self.settings)):
                return
            ensure_topics(self.settings)
            self._producer = DurableProducer(self.settings, client_id=f"{self.client_id}-dlq")
            consumer = make_consumer(self.settings, self.settings.topic_enriched, self.settings.group(STAGE),
                                     client_id=self.client_id, max_records=self.limits.max_docs)
            log.info("indexer started", extra={"topic": self.settings.topic_enriched,
                                               "alias": self.settings.index_alias})
            # One bulk in flight on a writer thread while this thread polls and serialises the next
            # batch: Elasticsearch never waits for Kafka. Batches are still written strictly one
            # after the other, and offsets are committed here (the consumer is not thread-safe)
            # only once the writer has settled that batch.
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-writer")
            in_flight: tuple[list, Future[bool]] | None = None
            try:
                while not stop.is_set():
                    records = self._gather(consumer, stop)
                    if not records:
                        if in_flight and in_flight[1].done():
                            self._finish(consumer, in_flight)
                            in_flight = None
                        continue
                    batch = self._prepare(records)
                    if in_flight:
                        self._finish(consumer, in_flight)
                        in_flight = None
                        if stop.is_set():
                            break  # this batch was never written: it stays uncommitted
                    in_flight = (records, writer.submit(self._settle, batch, stop))
                if in_flight:
                    self._finish(consumer, in_flight)
            finally:
                writer.shutdown(wait=True)
                consumer.close(autocommit=False)
        finally:
            if self._producer is not None:
                self._producer.close()
            self._es.close()
            log.info("indexer stopped")

    def _gather(self, consumer: Any, stop: threading.Event) -> list:
        """Records for one bulk request, bounded by count, bytes and age of the first record."""
        records: list = []
        size = 0
        deadline: float | None = None
        while not stop.is_set() and len(records) < self.limits.max_docs and size < self.limits.max_bytes:
            wait = 0.5 if deadline is None else deadline - time.monotonic()
            if wait <= 0:
                break
            polled = poll_batch(consumer, timeout_ms=max(1, int(wait * 1000)),
                                max_records=self.limits.max_docs - len(records))
            if polled and deadline is None:
                deadline = time.monotonic() + self.limits.max_wait_seconds
            records += polled
            size += sum(len(r.value or b"") for r in polled)
            if deadline is None:
                break  # nothing came within the idle wait: let run() check `stop`
        return records

    # --- one batch ----------------------------------------------------------------------
    def _finish(self, consumer: Any, in_flight: tuple[list, Future[bool]]) -> None:
        """Wait for the batch on the writer thread; commit its offsets if it was fully settled."""
        records, future = in_flight
        if future.result():
            try:
                commit_batch(consumer, records)
            except KafkaError as exc:
                # A rebalance took the partitions away: the new owner re-reads the batch and
                # re-indexes it under the same ids, which is harmless.
                log.warning("offset commit failed", extra={"error": repr(exc)})

    def _prepare(self, records: list) -> tuple[list[_Item], list[tuple[Any, str]]]:
        """Parse and serialise a batch: (documents to write, records to dead-letter)."""
        BATCH_SIZE.labels(stage=STAGE).observe(len(records))
        dead: list[tuple[Any, str]] = []
        latest: dict[str, _Item] = {}
        indexed_at = utc_now_iso()
        for record in records:
            try:
                article = Article.from_json(record.value)
                doc = to_document(article, indexed_at=indexed_at)
            except (RecordError, TypeError, ValueError, AttributeError) as exc:
                dead.append((record, f"unparseable enriched record: {exc}"))
                continue
            action = {"index": {"_index": self.settings.index_alias, "_id": article.id}}
            lines = (json.dumps(action).encode(), json.dumps(doc, ensure_ascii=False).encode("utf-8"))
            # A replay can bring the same article twice in one batch: only the later one (same key,
            # same partition, so the newer) is written, so a retried older copy can't win.
            latest.pop(article.id, None)
            latest[article.id] = _Item(record, article.id, article.first_seen_at, lines)
        return list(latest.values()), dead

    def _settle(self, batch: tuple[list[_Item], list[tuple[Any, str]]], stop: threading.Event) -> bool:
        """Index and dead-letter a prepared batch until every record is accounted for; False if
        stopped first (then nothing of it may be committed)."""
        pending, dead = batch[0], list(batch[1])
        delay = self.limits.backoff_initial
        while pending:
            retry, failed = self._bulk(pending)
            dead += failed
            pending = retry
            if pending:
                log.warning("bulk items to retry", extra={"items": len(pending), "delay": round(delay, 2)})
                if stop.wait(delay * (0.5 + random.random())):
                    return False
                delay = min(delay * 2, self.limits.backoff_max)
        if dead:
            return self._dead_letter(dead, stop)
        return True

    def _bulk(self, items: list[_Item]) -> tuple[list[_Item], list[tuple[Any, str]]]:
        """One bulk request: (items to retry, (record, reason) that can never succeed)."""
        assert self._es is not None
        body = [line for item in items for line in item.lines]
        started = time.perf_counter()
        try:
            response = self._es.bulk(operations=body)
        except ApiError as exc:
            if _retryable(exc.meta.status):
                log.warning("bulk request refused", extra={"status": exc.meta.status})
                return items, []
            # The whole request was rejected (e.g. 413 too large): judge each item on its own.
            if len(items) > 1:
                half = len(items) // 2
                first, second = self._bulk(items[:half]), self._bulk(items[half:])
                return first[0] + second[0], first[1] + second[1]
            return [], [(items[0].record, f"bulk request rejected: {exc.meta.status} {exc.message}")]
        except TransportError as exc:  # connection refused/reset, timeout: Elasticsearch is away
            log.warning("elasticsearch unreachable", extra={"error": repr(exc)[:300]})
            return items, []
        INDEX_SECONDS.observe(time.perf_counter() - started)

        retry: list[_Item] = []
        failed: list[tuple[Any, str]] = []
        done = 0
        now = time.time()
        for item, result in zip(items, response["items"], strict=True):
            outcome = result.get("index") or next(iter(result.values()))
            status = int(outcome.get("status", 500))
            if status < 300:
                done += 1
                lag = _seconds_since(item.first_seen_at, now)
                if lag is not None:
                    END_TO_END_SECONDS.observe(lag)
            elif _retryable(status):
                retry.append(item)
            else:
                error = outcome.get("error") or {}
                reason = f"elasticsearch {status} {error.get('type', '')}: {error.get('reason', '')}"
                caused = (error.get("caused_by") or {}).get("reason")
                failed.append((item.record, f"{reason} ({caused})" if caused else reason))
        INDEXED.inc(done)
        return retry, failed

    def _dead_letter(self, dead: list[tuple[Any, str]], stop: threading.Event) -> bool:
        """Send every dead record to the DLQ topic and wait for the acks (retrying until stop)."""
        assert self._producer is not None
        producer = self._producer
        values = []
        for record, reason in dead:
            key = record.key.decode("utf-8", "replace") if record.key else None
            log.warning("dead-lettered", extra={"article_id": key, "reason": reason[:300],
                                                "partition": record.partition, "offset": record.offset})
            values.append((key or "", dead_letter(STAGE, reason, key, record.value, record.topic,
                                                  record.partition, record.offset)))
        ok = self._retry(stop, "dead-letter send", lambda: producer.send_many(self.settings.topic_dlq, values))
        if ok:
            DEAD_LETTERS.labels(stage=STAGE).inc(len(values))
        return ok

    def _retry(self, stop: threading.Event, what: str, action: Any) -> bool:
        """Run `action` until it succeeds (True) or `stop` is set (False), with backoff."""
        delay = self.limits.backoff_initial
        while not stop.is_set():
            try:
                action()
                return True
            except (TransportError, ApiError, KafkaError) as exc:
                log.warning(f"{what} failed, retrying", extra={"error": repr(exc)[:300], "delay": round(delay, 2)})
                stop.wait(delay * (0.5 + random.random()))
                delay = min(delay * 2, self.limits.backoff_max)
        return False
