"""The foundation, end to end: kafka-python to the real broker and back, then into the real
Elasticsearch with the bulk helper, then found by a search."""

from __future__ import annotations

import json

import pytest
from elasticsearch import helpers

from pipeline import stack
from pipeline.bus.consumer import commit_batch, make_consumer, poll_batch
from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.model import Article, article_id_for

pytestmark = pytest.mark.integration


def test_stack_status_reports_both_engines_healthy(live_stack):
    rows = {row.name: row for row in stack.status(live_stack)}
    assert set(rows) == {"kafka", "elasticsearch"}
    for row in rows.values():
        assert row.healthy, f"{row.name}: {row.detail}"
        assert row.port > 0


def test_kafka_round_trip_then_indexed_and_searchable(settings, es):
    assert set(ensure_topics(settings)) >= {settings.topic_raw, settings.topic_feed_state}
    assert ensure_topics(settings) == []  # idempotent: nothing left to create

    articles = [
        Article(id=article_id_for(f"https://example.org/a/{n}"), url=f"https://example.org/a/{n}",
                feed_id="example", title=f"Loukachenko reçoit Poutine, épisode {n}")
        for n in range(5)
    ]
    producer = DurableProducer(settings, client_id="test")
    producer.send_many(settings.topic_raw, [(a.id, a.to_json()) for a in articles])
    producer.close()

    consumer = make_consumer(settings, settings.topic_raw, settings.group("test"), client_id="test")
    received: list = []
    for _ in range(30):
        received += poll_batch(consumer, timeout_ms=1000)
        if len(received) >= len(articles):
            break
    got = [Article.from_json(r.value) for r in received]
    assert sorted(a.id for a in got) == sorted(a.id for a in articles)
    assert all(r.key.decode() == Article.from_json(r.value).id for r in received)

    index = f"{settings.namespace}-engines-test"
    actions = [{"_index": index, "_id": a.id, "_source": {"title": a.title, "url": a.url}} for a in got]
    ok, errors = helpers.bulk(es, actions, refresh="wait_for")
    assert ok == len(articles) and not errors
    commit_batch(consumer, received)  # only now: the output is durable
    consumer.close()

    hits = es.search(index=index, query={"match": {"title": "épisode 3"}})["hits"]["hits"]
    assert hits and hits[0]["_source"]["url"] == "https://example.org/a/3"
    assert es.count(index=index)["count"] == len(articles)
    es.indices.delete(index=index)

    # A consumer of the same group resumes after the committed offsets: nothing left to read.
    again = make_consumer(settings, settings.topic_raw, settings.group("test"), client_id="test2")
    leftovers = []
    for _ in range(3):
        leftovers += poll_batch(again, timeout_ms=1000)
    again.close()
    assert leftovers == []
    assert json.loads(articles[0].to_json())["schema"] == 1
