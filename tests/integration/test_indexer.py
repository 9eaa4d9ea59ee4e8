"""The indexer against the real Kafka and Elasticsearch: documents in, replays harmless, poison to
the DLQ, and an Elasticsearch outage (a TCP proxy we cut) loses nothing."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import pytest
from kafka import KafkaAdminClient, KafkaConsumer

from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.index.client import make_client
from pipeline.index.setup import setup, teardown
from pipeline.index.writer import BatchLimits, Indexer
from pipeline.model import Article, Entity
from tests.integration.seed_article import filler_article

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 30
FAST = BatchLimits(max_docs=20, max_wait_seconds=0.2, backoff_initial=0.2, backoff_max=2.0, request_timeout=10)


class CuttableProxy:
    """A TCP forwarder to Elasticsearch; `cut()` refuses and drops connections until `restore()`."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        # close() alone does not wake a thread blocked in accept(): the socket would keep listening.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._conns.clear()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _count(es, settings) -> int:
    es.indices.refresh(index=settings.index_alias)
    return es.count(index=settings.index_alias)["count"]


def _dlq(settings, expected: int, timeout: float = 15) -> list[dict]:
    consumer = KafkaConsumer(settings.topic_dlq, **settings.kafka.client_options(),
                             auto_offset_reset="earliest", consumer_timeout_ms=1000, group_id=None)
    records: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(records) < expected and time.monotonic() < deadline:
        records += [json.loads(r.value) for r in consumer]
    consumer.close()
    return records


def _start(settings, limits: BatchLimits = FAST) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=Indexer(settings, limits=limits).run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def _stop(stop: threading.Event, thread: threading.Thread) -> float:
    started = time.monotonic()
    stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive(), "the indexer did not stop"
    return time.monotonic() - started


def _committed(settings) -> int:
    admin = KafkaAdminClient(**settings.kafka.client_options())
    try:
        offsets = admin.list_group_offsets(settings.group("index")).get(settings.group("index"), {})
    finally:
        admin.close()
    return sum(meta.offset for tp, meta in offsets.items() if tp.topic == settings.topic_enriched)


def test_articles_indexed_replay_idempotent_poison_dead_lettered(settings, es):
    ensure_topics(settings)
    articles = [filler_article(n) for n in range(60)]
    conflict = filler_article(999)
    conflict.entities = [Entity("Harbour Council", "ORG", "many")]  # type: ignore[arg-type]  # integer field
    producer = DurableProducer(settings, client_id="test")
    records = [(a.id, a.to_json()) for a in articles[:30]]
    records += [("poison", b"\xff not json {"), (conflict.id, conflict.to_json())]
    records += [(a.id, a.to_json()) for a in articles[30:]]
    producer.send_many(settings.topic_enriched, records)
    stop, thread = _start(settings)
    try:
        _wait(lambda: es.indices.exists_alias(name=settings.index_alias) and _count(es, settings) == 60,
              60, "60 documents")
        dead = _dlq(settings, 2)
        reasons = {d["key"]: d["reason"] for d in dead}
        assert set(reasons) == {"poison", conflict.id}
        assert "not JSON" in reasons["poison"] and "400" in reasons[conflict.id]
        assert all(d["stage"] == "index" and d["source"]["topic"] == settings.topic_enriched for d in dead)

        doc = es.get(index=settings.index_alias, id=articles[5].id)["_source"]
        assert doc["title"] == articles[5].title and doc["entities_org"] == ["Harbour Council"]

        # Replay: the same articles again (a reprocessed topic) leave one document per article.
        producer.send_many(settings.topic_enriched, [(a.id, a.to_json()) for a in articles])
        _wait(lambda: _committed(settings) == 62 + 60, 30, "the replay to be consumed")
        assert _count(es, settings) == 60
        assert len(_dlq(settings, 3, timeout=3)) == 2
    finally:
        took = _stop(stop, thread)
        producer.close()
        teardown(es, settings)
    assert took < 5, f"stop took {took:.1f}s"


def test_elasticsearch_outage_loses_nothing(settings, es):
    host, port = settings.elasticsearch.url.split("//")[1].split(":")
    proxy = CuttableProxy((host, int(port)))
    via_proxy = settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(
        update={"url": f"http://127.0.0.1:{proxy.port}"})})
    ensure_topics(settings)
    setup(make_client(settings), settings)
    producer = DurableProducer(settings, client_id="test")
    first = [filler_article(n) for n in range(40)]
    second = [filler_article(n) for n in range(40, 100)]
    stop, thread = _start(via_proxy)
    try:
        producer.send_many(settings.topic_enriched, [(a.id, a.to_json()) for a in first])
        _wait(lambda: _count(es, settings) == 40, 30, "the first 40 documents")

        proxy.cut()
        producer.send_many(settings.topic_enriched, [(a.id, a.to_json()) for a in second])
        time.sleep(OUTAGE_SECONDS)
        assert _count(es, settings) == 40  # nothing got through the cut...
        assert _committed(settings) == 40  # ...and nothing was committed past what is indexed
        proxy.restore()

        _wait(lambda: _count(es, settings) == 100, 30, "all 100 documents after the outage")
        _wait(lambda: _committed(settings) == 100, 15, "offsets committed")
        assert _dlq(settings, 1, timeout=2) == []
    finally:
        _stop(stop, thread)
        proxy.close()
        producer.close()
        teardown(es, settings)


def test_stop_during_outage_commits_nothing_and_a_restart_finishes(settings, es):
    ensure_topics(settings)
    setup(make_client(settings), settings)
    dead_end = settings.model_copy(update={"elasticsearch": settings.elasticsearch.model_copy(
        update={"url": "http://127.0.0.1:9"})})  # discard port: connection refused
    producer = DurableProducer(settings, client_id="test")
    articles = [filler_article(n) for n in range(10)]
    producer.send_many(settings.topic_enriched, [(a.id, a.to_json()) for a in articles])
    producer.close()
    # Setup runs against the live cluster first, so this indexer finds its index and then only fails on bulk.
    indexer = Indexer(dead_end, limits=FAST)
    stop = threading.Event()
    thread = threading.Thread(target=indexer.run, args=(stop,), daemon=True)
    thread.start()
    time.sleep(3)
    took = _stop(stop, thread)
    assert took < 5
    assert _committed(settings) == 0
    stop, thread = _start(settings)
    try:
        _wait(lambda: _count(es, settings) == 10, 30, "the 10 documents after restart")
        assert Article.from_dict(es.get(index=settings.index_alias, id=articles[0].id)["_source"]
                                 | {"entities": [], "quotes": []}).id == articles[0].id
    finally:
        _stop(stop, thread)
        teardown(es, settings)
