"""Indexing throughput of the indexer stage against `elasticsearch.helpers.bulk`, then search latency.

    .venv/bin/python bench/bench_index.py [--articles 20000]

Synthetic enriched articles of realistic size (≈4 KB of text, lemmas, 12 entities, 3 quotes) are
written to the enriched topic first (not timed). Baseline: the same documents through
`helpers.bulk` (chunks of 500) into a fresh index with the same template, run before and after the
indexer and averaged. The indexer is timed from its first confirmed bulk to the last document
(its Kafka group join is printed apart). Then p50/p95 of 200 mixed queries (words, phrases,
entity/speaker filters, quotations, trends) on the indexer's index. Every index and topic of the
run is deleted at the end. Aim: ratio indexer/baseline ≥ 0.9.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from elasticsearch import helpers  # noqa: E402
from kafka import KafkaAdminClient  # noqa: E402

from pipeline.bus.producer import DurableProducer  # noqa: E402
from pipeline.bus.topics import ensure_topics  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.index import search as queries  # noqa: E402
from pipeline.index.client import make_client  # noqa: E402
from pipeline.index.mapping import to_document  # noqa: E402
from pipeline.index.setup import setup, teardown  # noqa: E402
from pipeline.index.writer import Indexer  # noqa: E402
from pipeline.metrics import INDEXED  # noqa: E402
from pipeline.model import Article, Entity, Quote, article_id_for, utc_now_iso  # noqa: E402

WORDS = ("président gouvernement réforme élection ministre sécurité économie guerre accord sommet "
         "frontière défense sanctions budget parlement opposition manifestation énergie climat crise "
         "government election minister security economy summit border defence budget parliament "
         "talks agreement protest energy climate crisis market inflation court vote alliance").split()
PEOPLE = ["Vladimir Poutine", "Alexandre Loukachenko", "Emmanuel Macron", "Olaf Scholz", "Joe Biden",
          "Volodymyr Zelensky", "Dmitri Peskov", "Ursula von der Leyen", "Xi Jinping", "Rishi Sunak"]
PLACES = ["Minsk", "Moscou", "Kiev", "Paris", "Berlin", "Washington", "Bruxelles", "Londres", "Pékin"]
ORGS = ["OTAN", "Union européenne", "ONU", "Kremlin", "FMI", "AFP", "Reuters"]


def make_article(n: int, rng: random.Random) -> Article:
    words = [rng.choice(WORDS) for _ in range(rng.randint(450, 750))]
    text = " ".join(words).capitalize() + "."
    people = rng.sample(PEOPLE, 4)
    entities = ([Entity(p, "PER", rng.randint(1, 8)) for p in people]
                + [Entity(p, "LOC", rng.randint(1, 4)) for p in rng.sample(PLACES, 5)]
                + [Entity(o, "ORG", rng.randint(1, 3)) for o in rng.sample(ORGS, 3)])
    quotes = []
    for i in range(3):
        start = rng.randint(0, max(1, len(text) - 120))
        quotes.append(Quote(text[start:start + rng.randint(40, 110)], people[i], start, start + 100, "a déclaré"))
    url = f"https://bench.example.org/{n}"
    return Article(id=article_id_for(url), url=url, feed_id=f"feed-{n % 40}", feed_name=f"Feed {n % 40}",
                   title=" ".join(rng.choice(WORDS) for _ in range(10)).capitalize(),
                   summary=" ".join(words[:40]), published_at=utc_now_iso(), text=text,
                   language=rng.choice(["fr", "en"]), entities=entities, quotes=quotes,
                   lemmas=" ".join(words[::2]), authors=["Bench"], tags=["bench"])


def baseline(settings, articles: list[Article]) -> float:
    """docs/s of helpers.bulk over the same documents into a fresh index behind the same template."""
    es = make_client(settings, request_timeout=120)
    teardown(es, settings)
    setup(es, settings)
    started = time.perf_counter()
    actions = ({"_index": settings.index_alias, "_id": a.id, "_source": to_document(a)} for a in articles)
    done, _ = helpers.bulk(es, actions, chunk_size=500, max_chunk_bytes=8 * 1024 * 1024)
    elapsed = time.perf_counter() - started
    assert done == len(articles)
    teardown(es, settings)
    es.close()
    return len(articles) / elapsed


def run_indexer(settings, count: int) -> tuple[float, float]:
    """(docs/s from the first confirmed bulk to the last document, seconds before the first bulk)."""
    stop = threading.Event()
    before = INDEXED._value.get()
    thread = threading.Thread(target=Indexer(settings).run, args=(stop,), daemon=True)
    launched = time.perf_counter()
    thread.start()
    first = None
    while True:
        indexed = INDEXED._value.get() - before
        if indexed > 0 and first is None:
            first = (time.perf_counter(), indexed)
        if indexed >= count:
            break
        time.sleep(0.01)
    ended = time.perf_counter()
    stop.set()
    thread.join(timeout=30)
    assert first is not None
    return (count - first[1]) / (ended - first[0]), first[0] - launched


def latencies(settings, count: int, rng: random.Random) -> list[float]:
    es = make_client(settings)
    queries.search_articles(es, settings, queries.SearchParams(query="warm up"))  # loads the lemmatiser
    shapes = [
        lambda: queries.search_articles(es, settings, queries.SearchParams(query=rng.choice(WORDS))),
        lambda: queries.search_articles(es, settings, queries.SearchParams(
            query=f"{rng.choice(WORDS)} {rng.choice(WORDS)}", lang=rng.choice(["fr", "en"]))),
        lambda: queries.search_articles(es, settings, queries.SearchParams(
            query=f'"{rng.choice(WORDS)} {rng.choice(WORDS)}"', sort="newest")),
        lambda: queries.search_articles(es, settings, queries.SearchParams(
            entity=rng.choice(PEOPLE), since="1d", size=20)),
        lambda: queries.search_quotes(es, settings, queries.SearchParams(speaker=rng.choice(PEOPLE))),
        lambda: queries.search_quotes(es, settings, queries.SearchParams(query=rng.choice(WORDS))),
        lambda: queries.top_entities(es, settings, hours=24),
    ]
    timings = []
    for i in range(count):
        started = time.perf_counter()
        shapes[i % len(shapes)]()
        timings.append((time.perf_counter() - started) * 1000)
    es.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    base = load_settings(REPO / "config" / "depeche.yaml")
    run_id = uuid.uuid4().hex[:6]
    base_ns = base.model_copy(update={"namespace": f"benchbase{run_id}"})
    idx_ns = base.model_copy(update={"namespace": f"benchidx{run_id}"})
    rng = random.Random(5)
    articles = [make_article(n, rng) for n in range(args.articles)]
    payloads = [(a.id, a.to_json()) for a in articles]
    mb = sum(len(v) for _, v in payloads) / 1e6
    print(f"{len(articles)} articles, {mb:.1f} MB of enriched JSON ({mb * 1e3 / len(articles):.1f} KB each)")
    try:
        ensure_topics(idx_ns)
        producer = DurableProducer(idx_ns, client_id="bench", linger_ms=20)
        producer.send_many(idx_ns.topic_enriched, payloads, timeout=300)
        producer.close()

        first_baseline = baseline(base_ns, articles)
        indexer_rate, startup = run_indexer(idx_ns, len(articles))
        second_baseline = baseline(base_ns, articles)
        baseline_rate = (first_baseline + second_baseline) / 2
        print(f"baseline helpers.bulk : {baseline_rate:8.0f} docs/s  "
              f"(runs: {first_baseline:.0f}, {second_baseline:.0f})")
        print(f"indexer (Kafka -> ES) : {indexer_rate:8.0f} docs/s  "
              f"(+{startup:.1f} s group join before the first bulk)")
        print(f"ratio indexer/baseline: {indexer_rate / baseline_rate:.2f}  (aim >= 0.9)")

        timings = latencies(idx_ns, args.queries, random.Random(7))
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"search latency over {len(timings)} mixed queries at {len(articles)} docs: "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms")
    finally:
        es = make_client(base)
        for ns in (base_ns, idx_ns):
            teardown(es, ns)
        es.close()
        admin = KafkaAdminClient(**base.kafka.client_options())
        try:
            existing = set(admin.list_topics())
            doomed = [t for t in (idx_ns.topic_raw, idx_ns.topic_enriched, idx_ns.topic_dlq, idx_ns.topic_feed_state)
                      if t in existing]
            if doomed:
                admin.delete_topics(doomed)
        finally:
            admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
