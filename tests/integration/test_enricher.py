"""Raw articles in the real Kafka come out enriched; a poison message lands in the DLQ and the rest flow."""

from __future__ import annotations

import html
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.bus.consumer import make_consumer, poll_batch
from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.enrich.worker import EnrichWorker
from pipeline.model import Article, article_id_for

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[1] / "data" / "gold" / "bfmtv-poutine-minsk.txt"


def seed_page(tmp: Path) -> Path:
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[2:])
    (tmp / "seed.html").write_text(
        f"<html><head><title>{html.escape(paragraphs[1])}</title></head><body>"
        f"<nav><a href='/'>Accueil</a> <a href='/int'>International</a></nav>"
        f"<article><h1>{html.escape(paragraphs[1])}</h1>{body}</article>"
        f"<footer>© BFMTV</footer></body></html>", encoding="utf-8")
    return tmp


@pytest.fixture
def page_server(tmp_path):
    handler = partial(SimpleHTTPRequestHandler, directory=str(seed_page(tmp_path)))
    handler.log_message = lambda *a, **k: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def read_all(settings, topic, expected, group):
    consumer = make_consumer(settings, topic, group, client_id="reader")
    got = []
    for _ in range(90):
        got += poll_batch(consumer, timeout_ms=1000)
        if len(got) >= expected:
            break
    consumer.close()
    return got


def test_raw_articles_come_out_enriched_and_poison_goes_to_dlq(settings, page_server):
    settings = settings.model_copy(update={"fetch": settings.fetch.model_copy(update={"allow_private_networks": True})})
    ensure_topics(settings)
    seed = Article(id=article_id_for(f"{page_server}/seed.html"), url=f"{page_server}/seed.html",
                   link=f"{page_server}/seed.html", feed_id="bfmtv", title="Poutine à Minsk",
                   summary="Vladimir Poutine en visite en Biélorussie.", language_hint="fr")
    english = Article(id=article_id_for("https://example.invalid/en"), url="https://example.invalid/en",
                      link="", feed_id="wire", language_hint="en",
                      content='<p>"We will not give up," Prime Minister Keir Starmer said on Monday in London.</p>')
    producer = DurableProducer(settings, client_id="test")
    producer.send_many(settings.topic_raw, [
        (seed.id, seed.to_json()),
        ("poison", b"{this is not json"),
        (english.id, english.to_json()),
    ])
    producer.close()

    stop = threading.Event()
    worker = EnrichWorker(settings, batch_size=8)
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        enriched = read_all(settings, settings.topic_enriched, 2, "check-enriched")
        dead = read_all(settings, settings.topic_dlq, 1, "check-dlq")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive(), "the worker must stop promptly when asked"

    by_id = {r.key.decode(): Article.from_json(r.value) for r in enriched}
    assert set(by_id) == {seed.id, english.id}
    article = by_id[seed.id]
    assert article.language == "fr"
    assert "Loukachenko" in (article.text or "")  # the page's full text, not the feed summary
    people = {e.text: e for e in article.entities if e.label == "PER"}
    assert "Vladimir Poutine" in people and people["Vladimir Poutine"].count >= 5
    speakers = {q.speaker for q in article.quotes}
    assert "Alexandre Loukachenko" in speakers
    for quote in article.quotes:
        assert article.text[quote.start:quote.end] == quote.text
    assert by_id[english.id].language == "en"
    assert by_id[english.id].quotes and by_id[english.id].quotes[0].speaker == "Keir Starmer"

    assert len(dead) == 1
    letter = json.loads(dead[0].value)
    assert letter["stage"] == "enrich" and "JSON" in letter["reason"]
    assert letter["original"] == {"base64": "e3RoaXMgaXMgbm90IGpzb24="}

    # Offsets were committed: a restarted worker in the same group finds nothing left to do.
    stop2 = threading.Event()
    again = EnrichWorker(settings, batch_size=8)
    thread2 = threading.Thread(target=again.run, args=(stop2,), daemon=True)
    thread2.start()
    thread2.join(6)
    stop2.set()
    thread2.join(30)
    assert again.processed == 0
