"""The poller: every enabled feed of the feed list, polled when due, new entries into Kafka once.

One poll of one feed reads top to bottom (`_poll_feed`): fetch with the validators; only if the
body is new, parse; produce the new or changed entries and wait for Kafka's acks; only then save
the feed's state (validators, seen ids). A crash between the two re-polls the feed, it never
loses an entry. Every failure is written onto the feed's own state (its health) before the next
feed is looked at; nothing a feed sends can stop the loop or the other feeds.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pipeline.config import Settings
from pipeline.feedlist import FeedConfig, FeedListWatcher
from pipeline.feeds.fetch import Fetcher, FetchResult
from pipeline.feeds.parse import FeedError, ParsedFeed, parse_feed
from pipeline.feeds.schedule import adaptive_interval, error_backoff, jittered
from pipeline.feeds.state import FeedState, load_all_states
from pipeline.metrics import FETCH_ERRORS, NEW_ARTICLES, POLLS

log = logging.getLogger("depeche.feeds.poller")

RELOAD_EVERY_SECONDS = 2.0  # how often the feed list's mtime is checked
TICK_SECONDS = 0.2  # scheduler granularity: a due feed starts within this
STOP_GRACE_SECONDS = 6.0  # in-flight polls get this long to finish once stop is set
PARSE_IN_THREAD_BYTES = 512_000  # bigger bodies are parsed off the event loop
# A poll that found nothing new changes only health and schedule; writing the whole state (up to
# 2,000 seen ids) after every such poll would cost more than the poll. A restart at worst polls
# those feeds a little early.
QUIET_SAVE_EVERY_SECONDS = 600.0


@dataclass
class PollOutcome:
    feed_id: str
    outcome: str  # new | not_modified | unchanged | error | disabled
    new: int = 0
    updated: int = 0
    status: int | None = None
    error: str | None = None
    error_kind: str | None = None
    skipped: int = 0
    seconds: float = 0.0


class Sink(Protocol):
    async def write(self, topic: str, records: list[tuple[str, bytes]]) -> None: ...
    async def aclose(self) -> None: ...


class KafkaSink:
    """Batches the writes of many concurrent polls into few acks=all round trips.

    `write()` returns once every record it was given is acknowledged by Kafka, and raises if any
    failed; kafka-python is blocking, so the sends run on one worker thread.
    """

    def __init__(self, producer) -> None:
        self._producer = producer
        self._pending: list[tuple[str, list[tuple[str, bytes]], asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-sink")
        self._worker = asyncio.create_task(self._drain())

    async def write(self, topic: str, records: list[tuple[str, bytes]]) -> None:
        if not records:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((topic, records, future))
        self._wake.set()
        await future

    def _send(self, batch: dict[str, list[tuple[str, bytes]]]) -> dict[str, Exception | None]:
        outcome: dict[str, Exception | None] = {}
        for topic, records in batch.items():
            try:
                self._producer.send_many(topic, records)
                outcome[topic] = None
            except Exception as exc:  # noqa: BLE001 - handed to every waiting poll
                outcome[topic] = exc
        return outcome

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            taken, self._pending = self._pending, []
            if not taken:
                continue
            batch: dict[str, list[tuple[str, bytes]]] = {}
            for topic, records, _ in taken:
                batch.setdefault(topic, []).extend(records)
            try:
                outcome = await loop.run_in_executor(self._executor, self._send, batch)
            except Exception as exc:  # noqa: BLE001
                outcome = {topic: exc for topic in batch}
            for topic, _, future in taken:
                if future.done():
                    continue
                error = outcome.get(topic)
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(error)

    async def aclose(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        self._worker.cancel()
        self._executor.shutdown(wait=True)


def parse_shard(text: str) -> tuple[int, int]:
    """'I/N' -> (I, N) with 0 <= I < N."""
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError as exc:
        raise ValueError(f"shard {text!r} must be I/N, e.g. 0/4") from exc
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"shard {text!r}: need 0 <= I < N")
    return index, count


def in_shard(feed_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether this poller owns the feed: a stable hash of the id, so shards never overlap."""
    if shard is None:
        return True
    digest = hashlib.sha1(feed_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shard[1] == shard[0]


def _epoch(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class Poller:
    """The poll stage: `run(stop)` in the service, `poll_once()` for tests and the CLI.

    `sink` and `states` replace Kafka (benchmarks); by default records and state go to Kafka.
    """

    def __init__(self, settings: Settings, feeds_path: Path | str | None = None,
                 shard: tuple[int, int] | None = None, sink_factory=None,
                 states: dict[str, FeedState] | None = None) -> None:
        self.settings = settings
        self.shard = shard
        self.watcher = FeedListWatcher(Path(feeds_path) if feeds_path else settings.feeds_path)
        self.states: dict[str, FeedState] | None = states
        self._sink_factory = sink_factory
        self._producer = None
        self._fetcher: Fetcher | None = None
        self._sink: Sink | None = None
        self.health: dict[str, PollOutcome] = {}

    # --- set-up and tear-down -----------------------------------------------------------------
    def _connect(self) -> None:
        """Topics, state and producer: blocking Kafka work, done once per Poller."""
        if self._sink_factory is None and self._producer is None:
            from pipeline.bus.producer import DurableProducer
            from pipeline.bus.topics import ensure_topics

            ensure_topics(self.settings)
            if self.states is None:
                self.states = load_all_states(self.settings)
                log.info("feed state loaded", extra={"feeds": len(self.states)})
            self._producer = DurableProducer(self.settings, client_id=f"{self.settings.namespace}-poller")
        if self.states is None:
            self.states = {}

    async def _open(self) -> None:
        await asyncio.to_thread(self._connect)
        self._fetcher = Fetcher(self.settings.fetch)
        self._sink = self._sink_factory() if self._sink_factory else KafkaSink(self._producer)

    async def _aclose(self) -> None:
        if self._sink is not None:
            await self._sink.aclose()
        if self._fetcher is not None:
            await self._fetcher.aclose()
        self._sink = self._fetcher = None

    def close(self) -> None:
        """Flush and close the Kafka producer (run() does this itself)."""
        if self._producer is not None:
            self._producer.flush()
            self._producer.close()
            self._producer = None

    def __enter__(self) -> Poller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- feeds --------------------------------------------------------------------------------
    def feeds(self) -> list[FeedConfig]:
        """Enabled feeds of this poller's shard, from the current (last good) feed list."""
        return [f for f in self.watcher.current.enabled() if in_shard(f.id, self.shard)]

    def _state(self, feed: FeedConfig) -> FeedState:
        assert self.states is not None
        state = self.states.get(feed.id)
        if state is None:
            state = self.states[feed.id] = FeedState(feed_id=feed.id, url=feed.url)
        state.reset_for_url(feed.url)
        return state

    # --- one poll -----------------------------------------------------------------------------
    async def _poll_feed(self, feed: FeedConfig) -> PollOutcome:
        started = time.monotonic()
        try:
            outcome = await self._poll_feed_unguarded(feed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must not take the other feeds down
            log.exception("poll failed unexpectedly", extra={"feed": feed.id})
            state = self._state(feed)
            outcome = await self._failed(feed, state, f"internal error: {type(exc).__name__}: {exc}",
                                         "internal", None, None)
        outcome.seconds = round(time.monotonic() - started, 3)
        self.health[feed.id] = outcome
        return outcome

    async def _poll_feed_unguarded(self, feed: FeedConfig) -> PollOutcome:
        assert self._fetcher is not None and self._sink is not None
        state = self._state(feed)
        if state.disabled:
            return PollOutcome(feed.id, "disabled", error=state.disabled)
        result = await self._fetcher.fetch(feed.url, state.etag, state.last_modified)
        if result.error:
            return await self._failed(feed, state, result.error, result.error_kind, result.status,
                                      result.retry_after)
        if result.not_modified:
            return await self._succeeded(feed, state, result, "not_modified", 0, 0, [])
        if result.body_sha256 == state.body_sha256:
            # Same bytes under a new ETag/date: nothing to parse.
            return await self._succeeded(feed, state, result, "unchanged", 0, 0, [])
        try:
            parsed = await self._parse(feed, result)
        except FeedError as exc:
            return await self._failed(feed, state, str(exc), "parse", result.status, None)
        if parsed.bozo:
            log.warning("feed has problems, usable entries taken: %s", parsed.bozo, extra={"feed": feed.id})
        for reason in parsed.skipped:
            log.warning("entry skipped: %s", reason, extra={"feed": feed.id})
        fresh: dict[str, tuple[str, bytes]] = {}
        updated = 0
        for article in parsed.articles:
            known = state.seen.get(article.id)
            if known == article.content_hash or article.id in fresh:
                continue
            if known is not None:
                updated += 1
            fresh[article.id] = (article.id, article.to_json())
        try:
            # Wait for acks=all before anything below: the state must never run ahead of Kafka.
            await self._sink.write(self.settings.topic_raw, list(fresh.values()))
        except Exception as exc:  # noqa: BLE001 - Kafka trouble: keep the old state, poll again
            return await self._failed(feed, state, f"kafka: {type(exc).__name__}: {exc}", "kafka",
                                      result.status, None, keep_validators=True)
        for article in parsed.articles:
            state.remember(article.id, article.content_hash or "")
        stamps = [s for s in (_epoch(a.published_at) for a in parsed.articles) if s]
        state.note_published(stamps)
        state.items_seen += len(fresh)
        if fresh:
            NEW_ARTICLES.labels(feed.id).inc(len(fresh))
        outcome = "new" if fresh else "unchanged"
        return await self._succeeded(feed, state, result, outcome, len(fresh) - updated, updated,
                                     parsed.skipped)

    async def _parse(self, feed: FeedConfig, result: FetchResult) -> ParsedFeed:
        args = (result.body, feed.id, result.final_url, result.headers, feed.language, feed.name, feed.tags)
        if len(result.body) > PARSE_IN_THREAD_BYTES:
            return await asyncio.to_thread(parse_feed, *args)
        return parse_feed(*args)

    async def _succeeded(self, feed: FeedConfig, state: FeedState, result: FetchResult, outcome: str,
                         new: int, updated: int, skipped: list[str]) -> PollOutcome:
        now = time.time()
        recovered = state.error_streak > 0
        validators = (state.etag, state.last_modified)
        state.etag = result.etag or state.etag
        state.last_modified = result.last_modified or state.last_modified
        if result.body_sha256:
            state.body_sha256 = result.body_sha256
        state.record_success(result.status, now)
        state.interval = adaptive_interval(state.interval, feed.interval.min, feed.interval.max,
                                           new + updated, state.recent_published)
        state.next_due = now + jittered(state.interval)
        POLLS.labels(outcome).inc()
        level = logging.INFO if new or updated else logging.DEBUG
        log.log(level, "polled", extra={"feed": feed.id, "outcome": outcome, "new": new, "updated": updated,
                                        "status": result.status, "next_in_s": round(state.next_due - now)})
        if outcome == "new" or recovered or validators != (state.etag, state.last_modified) \
                or now - state.saved_at > QUIET_SAVE_EVERY_SECONDS:
            await self._save(state)
        return PollOutcome(feed.id, outcome, new, updated, result.status, skipped=len(skipped))

    async def _failed(self, feed: FeedConfig, state: FeedState, error: str, kind: str | None,
                      status: int | None, retry_after: float | None,
                      keep_validators: bool = False) -> PollOutcome:
        now = time.time()
        state.record_error(error, status, now)
        FETCH_ERRORS.labels(feed.id, kind or "other").inc()
        POLLS.labels("error").inc()
        if status == 410:
            state.disabled = f"HTTP 410 Gone on {time.strftime('%Y-%m-%d %H:%M', time.gmtime(now))} UTC: " \
                             f"the feed was removed; change its url or remove it from the feed list"
            log.error("feed disabled: the server says it is gone for good (410); change its url in "
                      "the feed list to poll again", extra={"feed": feed.id, "url": feed.url})
            await self._save(state)
            return PollOutcome(feed.id, "disabled", status=status, error=state.disabled, error_kind="gone")
        delay = error_backoff(state.error_streak, feed.interval.min, retry_after)
        state.next_due = now + max(jittered(delay), retry_after or 0.0)
        log.warning("poll failed: %s", error, extra={
            "feed": feed.id, "kind": kind, "status": status, "error_streak": state.error_streak,
            "retry_in_s": round(state.next_due - now)})
        await self._save(state)
        return PollOutcome(feed.id, "error", status=status, error=error, error_kind=kind)

    async def _save(self, state: FeedState) -> None:
        assert self._sink is not None
        state.saved_at = time.time()
        try:
            await self._sink.write(self.settings.topic_feed_state, [(state.feed_id, state.to_json())])
        except Exception as exc:  # noqa: BLE001 - next poll saves again; duplicates are idempotent
            log.warning("feed state not saved: %s", exc, extra={"feed": state.feed_id})

    # --- loops --------------------------------------------------------------------------------
    def poll_once(self, feed_ids: Iterable[str] | None = None) -> dict[str, PollOutcome]:
        """Poll every enabled feed (or those named) once now, whatever their schedule."""
        wanted = set(feed_ids) if feed_ids is not None else None
        return asyncio.run(self._poll_once(wanted))

    async def _poll_once(self, wanted: set[str] | None) -> dict[str, PollOutcome]:
        await self._open()
        try:
            self.watcher.check()
            feeds = [f for f in self.feeds() if wanted is None or f.id in wanted]
            outcomes = await asyncio.gather(*(self._poll_feed(f) for f in feeds))
            return {o.feed_id: o for o in outcomes}
        finally:
            await self._aclose()

    def run(self, stop: threading.Event) -> None:
        """Poll feeds as they fall due until `stop` is set; then finish in-flight polls and return."""
        try:
            asyncio.run(self._run(stop))
        finally:
            self.close()
        log.info("poller stopped")

    async def _run(self, stop: threading.Event) -> None:
        await self._open()
        assert self.states is not None
        tasks: dict[str, asyncio.Task[PollOutcome]] = {}
        last_reload = time.monotonic()
        log.info("poller started", extra={"feeds": len(self.feeds()), "shard": self.shard})
        try:
            while not stop.is_set():
                if time.monotonic() - last_reload >= RELOAD_EVERY_SECONDS:
                    last_reload = time.monotonic()
                    self.watcher.check()
                now = time.time()
                for feed in self.feeds():
                    if feed.id in tasks:
                        continue
                    state = self._state(feed)
                    if not state.disabled and state.next_due <= now:
                        tasks[feed.id] = asyncio.create_task(self._poll_feed(feed), name=f"poll:{feed.id}")
                for fid in [fid for fid, task in tasks.items() if task.done()]:
                    tasks.pop(fid)
                await asyncio.sleep(TICK_SECONDS)
        finally:
            if tasks:
                log.info("stopping: waiting for in-flight polls", extra={"polls": len(tasks)})
                _, pending = await asyncio.wait(tasks.values(), timeout=STOP_GRACE_SECONDS)
                for task in pending:  # their state is not saved: they are simply polled again
                    task.cancel()
                if pending:
                    await asyncio.wait(pending, timeout=1.0)
            await self._aclose()
