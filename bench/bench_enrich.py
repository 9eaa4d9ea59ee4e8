"""Enrichment throughput: the worker's NLP path against bare `nlp.pipe`, same model, same texts.

    .venv/bin/python bench/bench_enrich.py [--articles 300] [--lang fr]

Texts are the bundled real sample articles (already fetched), repeated to the requested count.
Prints articles/second for both, the ratio worker/bare (aim >= 0.85) and the resident memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_settings  # noqa: E402
from pipeline.demo import bundled_articles  # noqa: E402
from pipeline.enrich.models import get_model  # noqa: E402
from pipeline.enrich.worker import Enricher  # noqa: E402
from pipeline.model import Article, article_id_for  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--lang", default="fr", choices=["fr", "en"])
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()

    samples = [a for a in bundled_articles() if a.language == args.lang]
    texts = [samples[i % len(samples)].text for i in range(args.articles)]
    nlp = get_model(args.lang)
    enricher = Enricher(load_settings(), fetch_pages=False)
    list(nlp.pipe(texts[:20]))  # warm-up: first calls allocate

    def bare() -> float:
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        return time.perf_counter() - started

    def worker() -> float:
        articles = [Article(id=article_id_for(f"bench:{i}"), url=f"bench:{i}", feed_id="bench",
                            language_hint=args.lang) for i in range(len(texts))]
        started = time.perf_counter()
        for start in range(0, len(articles), 32):  # the worker's batch size
            enricher.enrich(articles[start:start + 32], texts[start:start + 32])
        return time.perf_counter() - started

    bare_best = worker_best = float("inf")
    for _ in range(args.rounds):
        bare_best = min(bare_best, bare())
        worker_best = min(worker_best, worker())
    bare_rate = len(texts) / bare_best
    worker_rate = len(texts) / worker_best
    print(f"language {args.lang}, {len(texts)} articles, {sum(map(len, texts)) // len(texts)} chars on average")
    print(f"bare nlp.pipe   {bare_rate:8.1f} articles/s")
    print(f"depeche worker  {worker_rate:8.1f} articles/s  (text, language, NLP, entities, quotes, stories)")
    print(f"ratio worker/bare = {worker_rate / bare_rate:.2f}  (aim >= 0.85)")
    print(f"peak resident memory {rss_mb():.0f} MB  (aim <= 1500 MB per worker)")


if __name__ == "__main__":
    main()
