"""The poller against the real Kafka and a local HTTP server serving good, bad and hostile feeds."""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from kafka import KafkaConsumer, TopicPartition

from pipeline.config import Settings
from pipeline.feeds.poller import Poller
from pipeline.feeds.state import load_all_states
from pipeline.model import Article

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"
FIFTY_MB = 50 * 1024 * 1024


class FeedServer:
    """Feeds whose entries tests can add to, plus every kind of bad response, on 127.0.0.1."""

    def __init__(self) -> None:
        self.feeds: dict[str, list[int]] = {}  # name -> entry numbers
        self.served: dict[str, list[tuple[float, int]]] = {}  # name -> (time, entries) per 200
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                try:
                    server.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, name: str, count: int) -> None:
        with self.lock:
            entries = self.feeds.setdefault(name, [])
            start = len(entries)
            entries.extend(range(start, start + count))

    def rss(self, name: str, build_date: bool) -> bytes:
        with self.lock:
            entries = list(self.feeds[name])
        items = "".join(
            f"<item><title>{name} story {n}</title><link>/{name}/story-{n}.html?utm_source=rss</link>"
            f"<guid>{name}-{n}</guid><description>Summary of story {n}</description>"
            f"<pubDate>{email.utils.formatdate(1_700_000_000 + n * 600, usegmt=True)}</pubDate></item>"
            for n in reversed(entries)
        )
        stamp = f"<lastBuildDate>{email.utils.formatdate(time.time(), usegmt=True)}</lastBuildDate>" \
            if build_date else ""
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
                f"<link>{self.url}/</link>{stamp}{items}</channel></rss>").encode()

    def send(self, h: BaseHTTPRequestHandler, status: int, body: bytes = b"",
             ctype: str = "application/rss+xml; charset=utf-8", **headers: str) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            h.send_header(key.replace("_", "-"), value)
        h.end_headers()
        h.wfile.write(body)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/feed/"):
            name = path.split("/")[2]
            # `noetag`: a server without validators that changes lastBuildDate on every request.
            noetag = "noetag" in query
            body = self.rss(name, build_date=noetag)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if not noetag and h.headers.get("If-None-Match") == etag:
                self.send(h, 304)
                return
            with self.lock:
                self.served.setdefault(name, []).append((time.time(), len(self.feeds[name])))
            self.send(h, 200, body, **({} if noetag else {"ETag": etag}))
        elif path.startswith("/file/"):
            name = path.split("/")[2]
            ctype = query.get("ctype", ["application/rss+xml"])[0]
            self.send(h, 200, (DATA / name).read_bytes(), ctype=ctype)
        elif path == "/big":
            # 50 MB, generated as it is sent, without Content-Length: only the streaming cap stops it.
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>')
            chunk = b"A" * 65536
            for _ in range(FIFTY_MB // len(chunk)):
                if self.stopping.is_set():
                    return
                h.wfile.write(chunk)
            h.close_connection = True
        elif path == "/trickle":
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(100000):
                if self.stopping.is_set():
                    return
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(1.0)
        elif path.startswith("/loop/"):
            nxt = "b" if path.endswith("a") else "a"
            self.send(h, 302, b"", Location=f"/loop/{nxt}")
        elif path == "/status/429":
            self.send(h, 429, b"slow down", ctype="text/plain", Retry_After="120")
        elif path.startswith("/status/"):
            self.send(h, int(path.split("/")[2]), b"no", ctype="text/plain")
        else:
            self.send(h, 404, b"not found", ctype="text/plain")

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    yield srv
    srv.close()


@pytest.fixture
def poll_settings(settings: Settings) -> Settings:
    """A fresh namespace, a 2 s total deadline (trickle test) and a 2 MB cap (50 MB test)."""
    fetch = settings.fetch.model_copy(update={"timeout_seconds": 2.0, "max_bytes": 2_000_000})
    return settings.model_copy(update={"fetch": fetch})


def write_feeds(path: Path, feeds: list[dict]) -> None:
    path.write_text(yaml.safe_dump({"defaults": {"interval": {"min": 1, "max": 1}}, "feeds": feeds}))


def read_topic(settings: Settings, topic: str) -> list:
    """Every record of a topic, from the beginning to its end offsets."""
    consumer = KafkaConsumer(**settings.kafka.client_options(), group_id=None, enable_auto_commit=False,
                             allow_auto_create_topics=False)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not tps:
            return []
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        records = []
        deadline = time.monotonic() + 30
        while any(consumer.position(tp) < end[tp] for tp in tps) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def test_fifty_entries_exactly_once_across_polls_and_restarts(poll_settings: Settings, server: FeedServer,
                                                              tmp_path: Path) -> None:
    server.add("fifty", 50)
    server.add("fresh", 5)
    feeds = tmp_path / "feeds.yaml"
    write_feeds(feeds, [{"id": "fifty", "url": f"{server.url}/feed/fifty", "language": "en"},
                        # no validators and a body that changes every time: only seen ids dedupe
                        {"id": "fresh", "url": f"{server.url}/feed/fresh?noetag=1"}])
    with Poller(poll_settings, feeds_path=feeds) as poller:
        first = poller.poll_once()
        assert (first["fifty"].outcome, first["fifty"].new) == ("new", 50)
        assert first["fresh"].new == 5
        second = poller.poll_once()
        assert (second["fifty"].outcome, second["fifty"].new) == ("not_modified", 0)
        assert (second["fresh"].outcome, second["fresh"].new) == ("unchanged", 0)
    with Poller(poll_settings, feeds_path=feeds) as restarted:
        third = restarted.poll_once()
        assert third["fifty"].new == 0 and third["fresh"].new == 0
        assert third["fresh"].status == 200  # it really fetched and parsed again
    records = read_topic(poll_settings, poll_settings.topic_raw)
    by_feed: dict[str, set[str]] = {}
    for record in records:
        article = Article.from_json(record.value)
        assert record.key.decode() == article.id
        by_feed.setdefault(article.feed_id, set()).add(article.id)
    assert len(records) == 55
    assert len(by_feed["fifty"]) == 50 and len(by_feed["fresh"]) == 5
    sample = Article.from_json(records[0].value)
    assert "utm_source" not in sample.url and sample.url.startswith(server.url)
    states = load_all_states(poll_settings)
    assert states["fifty"].items_seen == 50 and states["fifty"].error_streak == 0
    assert states["fifty"].etag


BAD_FEEDS = {
    "malformed": ("/file/malformed.xml", "parse", "malformed"),
    "html": ("/file/html_page.html?ctype=text/html", "parse", "HTML page"),
    "empty": ("/file/empty.xml", "parse", "empty body"),
    "garbage": ("/file/garbage.bin", "parse", "not an RSS/Atom feed"),
    "bomb": ("/file/entity_bomb.xml", "parse", "entities"),
    "big": ("/big", "too_large", "cap"),
    "trickle": ("/trickle", "timeout", "within 2s"),
    "loop": ("/loop/a", "redirects", "redirects"),
    "missing": ("/status/404", "http", "404"),
    "gone": ("/status/410", "gone", "410"),
    "busy": ("/status/429", "http", "429"),
}


def test_bad_inputs_leave_clear_errors_and_good_feeds_flowing(poll_settings: Settings, server: FeedServer,
                                                              tmp_path: Path) -> None:
    server.add("good", 3)
    feeds = tmp_path / "feeds.yaml"
    entries = [{"id": fid, "url": server.url + path} for fid, (path, _, _) in BAD_FEEDS.items()]
    entries += [
        {"id": "good", "url": f"{server.url}/feed/good"},
        {"id": "oddities", "url": f"{server.url}/file/rss2_oddities.xml"},
        {"id": "latin1-wrong", "url": f"{server.url}/file/wrong_charset_latin1.xml?ctype=text/xml"},
        {"id": "latin1-header",
         "url": f"{server.url}/file/header_charset_latin1.xml?ctype=text/xml;charset=iso-8859-1"},
        {"id": "bozo", "url": f"{server.url}/file/bozo_usable.xml"},
    ]
    write_feeds(feeds, entries)
    started = time.monotonic()
    with Poller(poll_settings, feeds_path=feeds) as poller:
        outcomes = poller.poll_once()
    assert time.monotonic() - started < 20
    for fid, (_, kind, words) in BAD_FEEDS.items():
        outcome = outcomes[fid]
        assert outcome.outcome in ("error", "disabled"), (fid, outcome)
        assert outcome.error_kind == kind, (fid, outcome)
        assert words in outcome.error, (fid, outcome.error)
    assert outcomes["gone"].outcome == "disabled"
    assert outcomes["good"].new == 3
    assert outcomes["oddities"].new == 6 and outcomes["oddities"].skipped == 2  # javascript: and no link
    assert outcomes["latin1-wrong"].new == 1 and outcomes["latin1-header"].new == 1 and outcomes["bozo"].new == 2

    records = {r.key.decode(): Article.from_json(r.value) for r in read_topic(poll_settings, poll_settings.topic_raw)}
    titles = {a.title for a in records.values()}
    assert "Hélène à Noël" in titles and "Déjà vu à l'été" in titles
    odd = [a for a in records.values() if a.feed_id == "oddities"]
    assert all(a.url.startswith(("http://", "https://")) for a in odd)
    assert any(a.url.endswith("/2024/05/article-2.html") and a.url.startswith(server.url) for a in odd)

    states = load_all_states(poll_settings)
    assert states["gone"].disabled and "410" in states["gone"].disabled
    assert states["busy"].next_due - time.time() > 100  # Retry-After: 120 honoured
    assert states["trickle"].error_streak == 1 and states["good"].error_streak == 0

    # A second poll: the disabled feed is left alone, the failing ones fail again, nothing stops.
    with Poller(poll_settings, feeds_path=feeds) as poller:
        again = poller.poll_once(["gone", "missing", "good"])
    assert again["gone"].outcome == "disabled" and again["missing"].outcome == "error"
    assert load_all_states(poll_settings)["missing"].error_streak == 2


def test_running_poller_new_entry_within_two_seconds_hot_reload_and_stop(
        poll_settings: Settings, server: FeedServer, tmp_path: Path) -> None:
    server.add("live", 2)
    server.add("later", 4)
    feeds = tmp_path / "feeds.yaml"
    hostile = [{"id": fid, "url": server.url + BAD_FEEDS[fid][0]} for fid in ("trickle", "loop", "bomb")]
    write_feeds(feeds, [{"id": "live", "url": f"{server.url}/feed/live"}, *hostile])
    poller = Poller(poll_settings, feeds_path=feeds)
    stop = threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop,), daemon=True)
    thread.start()
    consumer = KafkaConsumer(**poll_settings.kafka.client_options(), group_id=None, auto_offset_reset="earliest",
                             allow_auto_create_topics=False)
    try:
        received: dict[str, float] = {}

        def wait_for(count: int, timeout: float) -> None:
            deadline = time.monotonic() + timeout
            while len(received) < count and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=100).values():
                    for record in batch:
                        received.setdefault(record.key.decode(), time.time())

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not consumer.partitions_for_topic(poll_settings.topic_raw):
            time.sleep(0.2)
        consumer.assign([TopicPartition(poll_settings.topic_raw, p)
                         for p in consumer.partitions_for_topic(poll_settings.topic_raw)])
        wait_for(2, 30)
        assert len(received) == 2

        server.add("live", 1)  # a new entry: the poll that sees it must get it into Kafka within 2 s
        wait_for(3, 15)
        assert len(received) == 3
        arrived = max(received.values())
        seen_at = next(t for t, n in server.served["live"] if n == 3)
        assert arrived - seen_at < 2.0, arrived - seen_at

        # Hot reload: a feed added to the file is polled within seconds.
        write_feeds(feeds, [{"id": "live", "url": f"{server.url}/feed/live"},
                            {"id": "later", "url": f"{server.url}/feed/later"}, *hostile])
        wait_for(7, 15)
        assert len(received) == 7
        # An invalid edit keeps the last good list (and the poller keeps going).
        feeds.write_text("feeds:\n  - id: Bad Id\n    url: ftp://nope\n")
        time.sleep(2.5)
        server.add("live", 1)
        wait_for(8, 15)
        assert len(received) == 8
    finally:
        stopped_at = time.monotonic()
        stop.set()
        thread.join(timeout=20)
        consumer.close()
    assert not thread.is_alive()
    assert time.monotonic() - stopped_at < 10
    assert poller.watcher.last_error and "Bad Id" in poller.watcher.last_error
