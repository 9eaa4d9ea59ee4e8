"""Per-feed poller state, kept in the compacted Kafka topic `settings.topic_feed_state`.

One record per feed, keyed by feed id; compaction keeps only the latest, so reading the topic from
the beginning to its end offsets gives the whole state back to a restarted or moved poller. The
state holds what avoids duplicates (seen entry ids with their content hash), what makes polling
cheap (validators, body hash) and the feed's health (error streak, last success/error).
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from pipeline.config import Settings

log = logging.getLogger("depeche.feeds.state")

STATE_SCHEMA = 1
MAX_SEEN = 2000  # entry ids remembered per feed: far more than any feed shows at once
MAX_PUBLISHED = 20


@dataclass
class FeedState:
    feed_id: str
    url: str | None = None  # the URL the validators belong to
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    # article id -> content hash, oldest first (insertion order), bounded by MAX_SEEN
    seen: OrderedDict[str, str] = field(default_factory=OrderedDict)
    recent_published: list[float] = field(default_factory=list)  # epoch s, for the publishing rate
    interval: float | None = None  # current healthy interval, seconds
    next_due: float = 0.0  # epoch s
    error_streak: int = 0
    last_success: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    last_status: int | None = None
    items_seen: int = 0  # articles produced, over the feed's life
    polls: int = 0
    disabled: str | None = None  # why polling stopped (410 Gone); cleared when the URL changes
    saved_at: float = 0.0  # when this state was last written to the state topic

    def remember(self, article_id: str, chash: str) -> None:
        self.seen[article_id] = chash
        self.seen.move_to_end(article_id)
        while len(self.seen) > MAX_SEEN:
            self.seen.popitem(last=False)

    def note_published(self, stamps: list[float]) -> None:
        merged = sorted(set(self.recent_published) | {s for s in stamps if s}, reverse=True)
        self.recent_published = merged[:MAX_PUBLISHED]

    def record_error(self, message: str, status: int | None = None, now: float | None = None) -> None:
        self.error_streak += 1
        self.last_error = message
        self.last_error_at = time.time() if now is None else now
        self.last_status = status
        self.polls += 1

    def record_success(self, status: int | None, now: float | None = None) -> None:
        self.error_streak = 0
        self.last_success = time.time() if now is None else now
        self.last_status = status
        self.polls += 1

    def reset_for_url(self, url: str) -> None:
        """A new URL for the feed: its validators and a 410 no longer apply (seen ids still do)."""
        if self.url != url:
            self.url, self.etag, self.last_modified, self.body_sha256 = url, None, None, None
            self.disabled = None
            self.next_due = 0.0

    def to_json(self) -> bytes:
        # Field by field rather than asdict(): asdict deep-copies the 2,000 seen ids on every save.
        data = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "seen"}
        data["seen"] = list(self.seen.items())
        data["schema"] = STATE_SCHEMA
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> FeedState:
        data: dict[str, Any] = json.loads(raw)
        if data.pop("schema", STATE_SCHEMA) != STATE_SCHEMA:
            raise ValueError("unsupported feed state schema")
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["seen"] = OrderedDict((k, v) for k, v in values.get("seen") or [])
        return cls(**values)


def load_all_states(settings: Settings, timeout: float = 30.0) -> dict[str, FeedState]:
    """Every feed's latest state: the state topic read from its beginning to its end offsets."""
    consumer = KafkaConsumer(
        **settings.kafka.client_options(),
        client_id=f"{settings.namespace}-feed-state-loader",
        group_id=None,
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
        allow_auto_create_topics=False,  # a missing topic means "no state yet", not "create one"
    )
    states: dict[str, FeedState] = {}
    try:
        partitions = consumer.partitions_for_topic(settings.topic_feed_state) or set()
        if not partitions:
            return states
        tps = [TopicPartition(settings.topic_feed_state, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < end[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise TimeoutError(f"feed state not read to its end within {timeout:g}s")
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    if record.key is None:
                        continue
                    fid = record.key.decode("utf-8", errors="replace")
                    if record.value is None:  # tombstone: the feed's state was deleted
                        states.pop(fid, None)
                        continue
                    try:
                        states[fid] = FeedState.from_json(record.value)
                    except (ValueError, TypeError) as exc:
                        log.warning("unreadable feed state skipped: %s", exc, extra={"feed": fid})
    finally:
        consumer.close()
    return states
