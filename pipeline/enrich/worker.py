"""The enrichment stage: raw articles in, enriched articles out, at least once.

One batch at a time: poll raw articles → fetch their pages (in threads) → extract text → NLP with
`nlp.pipe` over the whole batch → produce enriched records (and dead letters) with acks=all →
only then commit the input offsets. A crash anywhere before the commit means the batch is read
again, and the article id as key/_id makes the replay harmless.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from pipeline import metrics
from pipeline.bus.consumer import commit_batch, make_consumer, poll_batch, record_lag
from pipeline.bus.dlq import dead_letter
from pipeline.bus.producer import DurableProducer
from pipeline.bus.topics import ensure_topics
from pipeline.config import Settings
from pipeline.enrich.analyse import analyse_texts
from pipeline.enrich.page import PageError, PageFetcher
from pipeline.enrich.stories import StoryMatcher
from pipeline.enrich.text import clean_whitespace, extract_main_text, html_to_plain_text, looks_like_html
from pipeline.model import Article, RecordError, utc_now_iso

log = logging.getLogger(__name__)

# spaCy's memory grows with document length; a page longer than this is cut (rare, and the
# start of an article holds what matters for entities and quotes).
MAX_TEXT_CHARS = 100_000


def feed_text(article: Article) -> str:
    """The best text the feed itself gave: full content, else the summary."""
    raw = article.content or article.summary or ""
    return html_to_plain_text(raw) if looks_like_html(raw) or "<" in raw else clean_whitespace(raw)


class Enricher:
    """Turns raw articles into enriched ones; no Kafka here, so tests and benchmarks can use it."""

    def __init__(self, settings: Settings, fetch_pages: bool = True, fetch_threads: int = 8) -> None:
        self.fetch_pages = fetch_pages
        self.fetcher = PageFetcher(settings.fetch) if fetch_pages else None
        self.pool = ThreadPoolExecutor(max_workers=fetch_threads, thread_name_prefix="page") if fetch_pages else None
        self.stories = StoryMatcher()

    def article_text(self, article: Article) -> str:
        """Main text from the article's page, falling back to the feed's content."""
        if self.fetcher and article.link:
            try:
                page = self.fetcher.fetch(article.link)
                text = extract_main_text(page.html, url=page.url)
                if len(text) >= len(feed_text(article)):
                    return text
            except PageError as exc:
                log.info("page not fetched, using feed content",
                         extra={"article": article.id, "url": article.link, "reason": str(exc)})
            except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the batch
                log.warning("page extraction failed, using feed content",
                            extra={"article": article.id, "url": article.link, "error": repr(exc)})
        return feed_text(article)

    def enrich(self, articles: list[Article], texts: list[str] | None = None) -> list[Article]:
        """Fill the NLP fields of each article (in place) and return them."""
        if texts is None:
            if self.pool:
                texts = list(self.pool.map(self.article_text, articles))
            else:
                texts = [self.article_text(a) for a in articles]
        texts = [t[:MAX_TEXT_CHARS] for t in texts]
        analyses = analyse_texts([(t, a.language_hint) for t, a in zip(texts, articles, strict=True)])
        now = utc_now_iso()
        for article, text, analysis in zip(articles, texts, analyses, strict=True):
            article.text = text
            article.language = analysis.language
            article.entities = analysis.entities
            article.quotes = analysis.quotes
            article.lemmas = analysis.lemmas
            article.story_id = self.stories.story_id(article.id, text)
            article.enriched_at = now
            metrics.ENRICHED.labels(language=analysis.language or "unknown").inc()
        return articles

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=False, cancel_futures=True)
        if self.fetcher:
            self.fetcher.close()


class EnrichWorker:
    """The stage loop. Several processes (on several machines) share the work through the group."""

    name = "enrich"

    def __init__(self, settings: Settings, batch_size: int = 32, fetch_pages: bool = True) -> None:
        self.settings = settings
        self.batch_size = batch_size
        self.fetch_pages = fetch_pages
        self.processed = 0

    def run(self, stop: threading.Event) -> None:
        settings = self.settings
        ensure_topics(settings)
        enricher = Enricher(settings, fetch_pages=self.fetch_pages)
        consumer = make_consumer(settings, settings.topic_raw, settings.group("enrich"),
                                 client_id="depeche-enrich", max_records=self.batch_size)
        producer = DurableProducer(settings, client_id="depeche-enrich")
        log.info("enricher started", extra={"topic": settings.topic_raw, "group": settings.group("enrich")})
        try:
            while not stop.is_set():
                records = poll_batch(consumer, timeout_ms=500, max_records=self.batch_size)
                if records:
                    self.process(records, enricher, producer)
                    commit_batch(consumer, records)  # every output above is acknowledged
                    record_lag(consumer, settings.group("enrich"))
        finally:
            producer.close()
            consumer.close()
            enricher.close()
            log.info("enricher stopped", extra={"processed": self.processed})

    def process(self, records: list, enricher: Enricher, producer: DurableProducer) -> None:
        """Enrich one polled batch and write every outcome durably (enriched or dead letter)."""
        started = time.monotonic()
        settings = self.settings
        outputs: list[tuple[str, str, bytes]] = []
        good: list[tuple[object, Article]] = []
        for record in records:
            key = record.key.decode("utf-8", "replace") if record.key else None
            try:
                good.append((record, Article.from_json(record.value)))
            except RecordError as exc:
                outputs.append(self._dead(record, key, str(exc)))

        articles = [article for _, article in good]
        try:
            enricher.enrich(articles)
            outputs += [(settings.topic_enriched, a.id, a.to_json()) for a in articles]
        except Exception:  # noqa: BLE001 - find the poison article: retry one by one
            log.exception("batch enrichment failed; retrying articles one by one")
            for record, article in good:
                try:
                    enricher.enrich([article])
                    outputs.append((settings.topic_enriched, article.id, article.to_json()))
                except Exception as exc:  # noqa: BLE001
                    outputs.append(self._dead(record, article.id, f"enrichment failed: {exc!r}"))

        for topic in {topic for topic, _, _ in outputs}:
            producer.send_many(topic, [(k, v) for t, k, v in outputs if t == topic])
        self.processed += len(articles)
        metrics.BATCH_SIZE.labels(stage="enrich").observe(len(records))
        metrics.ENRICH_SECONDS.observe(time.monotonic() - started)
        log.info("batch enriched", extra={"articles": len(articles), "dead": len(records) - len(articles),
                                          "seconds": round(time.monotonic() - started, 2)})

    def _dead(self, record, key: str | None, reason: str) -> tuple[str, str, bytes]:
        log.warning("message sent to dead-letter topic", extra={"article": key, "reason": reason})
        metrics.DEAD_LETTERS.labels(stage="enrich").inc()
        value = dead_letter("enrich", reason, key, record.value, record.topic, record.partition, record.offset)
        return self.settings.topic_dlq, key or f"{record.topic}-{record.partition}-{record.offset}", value
