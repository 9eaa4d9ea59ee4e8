"""`depeche search` and `depeche quotes` on the seed article, indexed through Kafka and the indexer."""

from __future__ import annotations

import json
import threading
import time

import pytest
import yaml

from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.cli import main
from pipeline.index.setup import teardown
from pipeline.index.writer import BatchLimits, Indexer
from tests.integration.seed_article import SEED_TITLE, filler_article, seed_article

pytestmark = pytest.mark.integration


@pytest.fixture
def indexed(settings, es, tmp_path):
    """The seed article and a few others, indexed by the indexer; yields the --config path."""
    ensure_topics(settings)
    articles = [seed_article()] + [filler_article(n) for n in range(5)]
    producer = DurableProducer(settings, client_id="test")
    producer.send_many(settings.topic_enriched, [(a.id, a.to_json()) for a in articles])
    producer.close()
    stop = threading.Event()
    thread = threading.Thread(target=Indexer(settings, limits=BatchLimits(max_wait_seconds=0.2)).run,
                              args=(stop,), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if es.indices.exists_alias(name=settings.index_alias):
            es.indices.refresh(index=settings.index_alias)
            if es.count(index=settings.index_alias)["count"] == len(articles):
                break
        time.sleep(0.3)
    stop.set()
    thread.join(timeout=15)
    config = tmp_path / "depeche.yaml"
    config.write_text(yaml.safe_dump({
        "namespace": settings.namespace,
        "kafka": {"bootstrap_servers": settings.kafka.bootstrap_servers},
        "elasticsearch": {"url": settings.elasticsearch.url},
    }), encoding="utf-8")
    yield str(config)
    teardown(es, settings)


def _json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_search_finds_the_seed_article(indexed, capsys):
    result = _json(capsys, "--config", indexed, "search", "Loukachenko", "--json")
    assert result["total"] == 1
    (hit,) = result["hits"]
    assert hit["title"] == SEED_TITLE
    assert any("<mark>Loukachenko</mark>" in s for s in hit["highlights"]["text"])
    assert {"text": "Alexandre Loukachenko", "label": "PER"}.items() <= next(
        e for e in hit["entities"] if e["text"] == "Alexandre Loukachenko").items()

    # Filters and language-aware matching (the lemmas field): accents folded, plural/singular.
    assert _json(capsys, "--config", indexed, "search", "--entity", "Loukachenko", "--lang", "fr",
                 "--since", "1d", "--json")["total"] == 1
    assert _json(capsys, "--config", indexed, "search", "bielorussie", "--json")["total"] == 1
    assert _json(capsys, "--config", indexed, "search", "Loukachenko", "--feed", "nope", "--json")["total"] == 0
    assert _json(capsys, "--config", indexed, "search", "--limit", "3", "--json")["hits"].__len__() == 3


def test_quotes_by_speaker(indexed, capsys):
    result = _json(capsys, "--config", indexed, "quotes", "--speaker", "Alexandre Loukachenko", "--json")
    assert result["total"] >= 1 and result["hits"]
    for hit in result["hits"]:
        assert set(hit) >= {"text", "speaker", "title", "url", "published_at", "article_id"}
        assert hit["speaker"] == "Alexandre Loukachenko" and hit["title"] == SEED_TITLE
    poutine = _json(capsys, "--config", indexed, "quotes", "livraisons", "--speaker", "Poutine", "--json")
    assert poutine["hits"] and all("livraisons" in h["text"] for h in poutine["hits"])


def test_readable_output_and_silly_queries(indexed, capsys):
    capsys.readouterr()
    assert main(["--config", indexed, "search", "Loukachenko"]) == 0
    out = capsys.readouterr().out
    assert "1 article(s)" in out and "[Loukachenko]" in out
    for silly in ['"unbalanced', "(((", "[a-z]+.*{1,9999}", "/.*/", "\\", "-", "||"]:
        assert main(["--config", indexed, "search", silly, "--json"]) == 0, silly
        json.loads(capsys.readouterr().out)
    assert main(["--config", indexed, "search", "x" * 20000]) == 2
    assert "too long" in capsys.readouterr().err
    assert main(["--config", indexed, "search", "x", "--since", "yesterday"]) == 2
    assert main(["--config", indexed, "quotes", "--from", "nope"]) == 2
