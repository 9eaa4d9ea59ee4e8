"""Benchmark: poll 2,000 feeds served by a local server; feeds/second, CPU per poll, resident memory.

Baseline, measured in the same run: sequential `feedparser.parse(url)` over a sample of the same
feeds (what a naive poller does: no validators, no concurrency), its rate extrapolated.
The poller runs with an in-memory sink (no Kafka) so the figure is the poller's own cost.

    .venv/bin/python bench/bench_poll.py [--feeds 2000] [--new-share 0.2] [--baseline-sample 200]

The server runs in its own process (the poller's CPU figures exclude it). Each feed carries 20
entries; a share of the feeds gains a new entry before every round (200 with new items), the
others answer 304 to the poller's If-None-Match.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import hashlib
import logging
import multiprocessing
import resource
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import Settings  # noqa: E402
from pipeline.feeds.poller import Poller  # noqa: E402

ENTRIES = 30  # like the front-page feeds of Le Monde, BBC or the Guardian
PARAGRAPH = ("<p>Le gouvernement a annoncé mardi une série de mesures, a-t-on appris de source officielle. "
             "« Nous irons jusqu'au bout », a déclaré la ministre devant les députés, citée par l'AFP.</p>")


def _body(feed: int, generation: int) -> bytes:
    items = []
    for n in range(generation, generation + ENTRIES):
        items.append(
            f"<item><title>Feed {feed} story {n}: a headline of a typical length for news</title>"
            f"<link>http://news{feed}.example/story/{n}.html?utm_source=rss</link><guid>f{feed}-{n}</guid>"
            f"<description>Summary of story {n} of feed {feed}, a couple of sentences as feeds carry them. "
            f"It goes on a little, as real summaries do, to about two hundred characters.</description>"
            f"<content:encoded><![CDATA[{PARAGRAPH * 6}]]></content:encoded><dc:creator>A. Reporter</dc:creator>"
            f"<pubDate>{email.utils.formatdate(1_700_000_000 + n * 600, usegmt=True)}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>'
            f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed {feed}</title>'
            f"<link>http://news{feed}.example/</link>{''.join(reversed(items))}</channel></rss>").encode()


def _serve(port_out, generation, new_share: float, feeds: int) -> None:
    """Server process: /f/<n>; feeds with n % round(1/new_share) == 0 change each round."""
    every = max(1, round(1 / new_share)) if new_share > 0 else 0
    cache: dict[tuple[int, int], tuple[bytes, str]] = {}

    def body_of(feed: int) -> tuple[bytes, str]:
        gen = generation.value if every and feed % every == 0 else 0
        key = (feed, gen)
        if key not in cache:
            body = _body(feed, gen)
            cache[key] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        return cache[key]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body, etag = body_of(int(self.path.rsplit("/", 1)[1]))
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer.request_queue_size = 1024
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


class NullSink:
    """Stands in for Kafka: accepts every record at once."""

    def __init__(self) -> None:
        self.records = 0

    async def write(self, topic: str, records: list[tuple[str, bytes]]) -> None:
        self.records += len(records)

    async def aclose(self) -> None:
        pass


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--new-share", type=float, default=0.1, help="share of feeds with new items per round")
    parser.add_argument("--baseline-sample", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="steady-state rounds after the first")
    parser.add_argument("--concurrency", type=int, default=25)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    ctx = multiprocessing.get_context("spawn")
    port_q = ctx.Queue()
    generation = ctx.Value("i", 0)
    server = ctx.Process(target=_serve, args=(port_q, generation, args.new_share, args.feeds), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port_q.get(timeout=30)}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            feeds_file = Path(tmp) / "feeds.yaml"
            feeds_file.write_text(yaml.safe_dump({
                "defaults": {"interval": {"min": 60, "max": 3600}},
                "feeds": [{"id": f"f{i}", "url": f"{base}/f/{i}"} for i in range(args.feeds)],
            }))
            # Real feed lists spread over hundreds of hosts; here one host serves them all, so the
            # per-host limit is raised to the global one to measure the poller, not the politeness.
            settings = Settings().model_copy(update={"fetch": Settings().fetch.model_copy(update={
                "concurrency": args.concurrency, "per_host_concurrency": args.concurrency})})
            sink = NullSink()
            poller = Poller(settings, feeds_path=feeds_file, sink_factory=lambda: sink, states={})
            rss_start = _rss_mb()

            t0, c0 = time.perf_counter(), _cpu()
            first = poller.poll_once()
            cold_s, cold_cpu = time.perf_counter() - t0, _cpu() - c0
            assert all(o.outcome == "new" for o in first.values()), {o.outcome for o in first.values()}

            polls = wall = cpu = 0.0
            outcomes: dict[str, int] = {}
            new_articles = 0
            for _ in range(args.rounds):
                with generation.get_lock():
                    generation.value += 1
                t0, c0 = time.perf_counter(), _cpu()
                result = poller.poll_once()
                wall += time.perf_counter() - t0
                cpu += _cpu() - c0
                polls += len(result)
                for o in result.values():
                    outcomes[o.outcome] = outcomes.get(o.outcome, 0) + 1
                    new_articles += o.new
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rss_end = _rss_mb()

            sample = list(range(0, args.feeds, max(1, args.feeds // args.baseline_sample)))[: args.baseline_sample]
            t0, c0 = time.perf_counter(), _cpu()
            parsed_entries = 0
            for i in sample:
                parsed_entries += len(feedparser.parse(f"{base}/f/{i}").entries)
            base_s, base_cpu = time.perf_counter() - t0, _cpu() - c0
    finally:
        server.terminate()
        server.join(5)

    rate = polls / wall
    cold_rate = args.feeds / cold_s
    base_rate = len(sample) / base_s
    print(f"feeds: {args.feeds} on a local server, {ENTRIES} entries each, "
          f"{args.new_share:.0%} with a new item per round, concurrency {args.concurrency}")
    print(f"poller, first round (all 200, all new):   {cold_rate:8.1f} feeds/s   "
          f"{cold_cpu / args.feeds * 1000:6.2f} ms CPU/poll")
    print(f"poller, steady state ({args.rounds} rounds, {outcomes}, {new_articles} new articles):")
    print(f"                                          {rate:8.1f} feeds/s   {cpu / polls * 1000:6.2f} ms CPU/poll")
    print(f"baseline feedparser.parse(url), sequential, {len(sample)} feeds sampled ({parsed_entries} entries):")
    print(f"                                          {base_rate:8.1f} feeds/s   "
          f"{base_cpu / len(sample) * 1000:6.2f} ms CPU/poll")
    print(f"resident memory: {rss_start:.0f} MB before, {rss_end:.0f} MB after polling, peak {peak_mb:.0f} MB "
          f"(target < 150 MB)")
    print(f"ratio steady-state / baseline: {rate / base_rate:.1f}x (target >= 20x); "
          f"first round / baseline: {cold_rate / base_rate:.1f}x")


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
