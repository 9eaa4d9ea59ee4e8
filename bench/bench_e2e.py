"""End-to-end latency and sustained rate on the local stack.

    .venv/bin/python bench/bench_e2e.py [--rate 5] [--duration 300]

A local feed server publishes new real-text articles at a steady rate into two feeds; `depeche run
--stages poll,enrich,index` (its own namespace) ingests them. For every article we take the time
from the poll that first saw it (`first_seen_at`, stamped by the poller) to the moment a search
returns it. Baseline, measured in the same run: the same watcher on documents written straight
into an index with the same refresh interval, i.e. the floor Elasticsearch's refresh imposes.
Prints p50 / p95 / max, the ratio to the baseline, and the sustained articles per second.
Aim: p95 under 3 s at 5 articles/s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from elasticsearch import Elasticsearch  # noqa: E402

from pipeline import stack  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.demo import FeedServer, bundled_articles  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def parse_time(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def watch(es: Elasticsearch, index: str, stop: threading.Event, seen: dict[str, float],
          stamp_field: str | None, latencies: dict[str, float]) -> None:
    """Record in `latencies`, for each document, the delay until a search first returned it."""
    while not stop.is_set():
        try:
            # Newest first: anything not yet seen is among the latest few hundred.
            order = [{stamp_field: "desc"}] if stamp_field else [{"_doc": "desc"}]
            hits = es.search(index=index, size=300, sort=order,
                             source=[stamp_field] if stamp_field else False)["hits"]["hits"]
        except Exception:  # noqa: BLE001 - the index appears a little after the start
            hits = []
        now = time.time()
        for hit in hits:
            if hit["_id"] in latencies:
                continue
            start = parse_time(hit["_source"][stamp_field]) if stamp_field else seen.get(hit["_id"])
            if start is not None:
                latencies[hit["_id"]] = now - start
        time.sleep(0.1)


def baseline(es: Elasticsearch, refresh: str, count: int = 60) -> list[float]:
    index = f"bench-baseline-{os.getpid()}"
    es.indices.create(index=index, settings={"refresh_interval": refresh, "number_of_replicas": 0})
    written: dict[str, float] = {}
    stop = threading.Event()
    result: dict[str, float] = {}
    watcher = threading.Thread(target=watch, args=(es, index, stop, written, None, result))
    watcher.start()
    for n in range(count):
        written[str(n)] = time.time()
        es.index(index=index, id=str(n), document={"n": n})
        time.sleep(0.2)
    time.sleep(3)
    stop.set()
    watcher.join()
    es.indices.delete(index=index)
    return list(result.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5.0, help="articles published per second")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of publishing")
    args = parser.parse_args()

    base = load_settings()
    stack.up(base)
    es = Elasticsearch(base.elasticsearch.url, request_timeout=30)
    floor = baseline(es, base.elasticsearch.refresh_interval)

    samples = [a for a in bundled_articles()]
    server = FeedServer([replace(samples[0], slug="warmup-fr", feed="bench-fr"),
                         replace(samples[-1], slug="warmup-en", feed="bench-en")]).start()
    folder = Path(tempfile.mkdtemp(prefix="depeche-bench-"))
    namespace = "bench" + os.urandom(3).hex()
    config = yaml.safe_load((REPO / "config" / "depeche.yaml").read_text())
    config.update(namespace=namespace, feeds_file="feeds.yaml")
    config["fetch"]["allow_private_networks"] = True
    config["stack"]["data_dir"] = str(base.stack_data_dir)
    (folder / "depeche.yaml").write_text(yaml.safe_dump(config))
    (folder / "feeds.yaml").write_text(yaml.safe_dump({"feeds": [
        {"id": f, "url": server.feed_url(f), "interval": {"min": 1, "max": 2}} for f in ("bench-fr", "bench-en")
    ]}))
    settings = load_settings(folder / "depeche.yaml")
    service = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--config", str(folder / "depeche.yaml"),
                                "--log-level", "WARNING", "run", "--stages", "poll,enrich,index"], cwd=REPO)
    print("waiting for the service to index the warm-up articles...", flush=True)
    while True:
        try:
            if es.count(index=settings.index_alias)["count"] >= 2:
                break
        except Exception:  # noqa: BLE001
            pass
        time.sleep(1)

    stop = threading.Event()
    latencies: dict[str, float] = {}
    watcher = threading.Thread(target=watch, args=(es, settings.index_alias, stop, {}, "first_seen_at", latencies))
    watcher.start()
    published = 0
    started = time.monotonic()
    while time.monotonic() - started < args.duration:
        sample = samples[published % len(samples)]
        feed = "bench-fr" if sample.language == "fr" else "bench-en"
        server.publish(replace(sample, slug=f"live-{published}", feed=feed, published=datetime.now(UTC)))
        published += 1
        if published % int(max(1, args.rate * 30)) == 0:
            print(f"  {published} published, {len(latencies)} searchable", flush=True)
        time.sleep(max(0.0, started + published / args.rate - time.monotonic()))
    drain_deadline = time.monotonic() + 60
    while len(latencies) < published + 2 and time.monotonic() < drain_deadline:
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    stop.set()
    watcher.join()
    service.terminate()
    service.wait(30)
    server.stop()
    for index in es.indices.get_alias(name=settings.index_alias):
        es.indices.delete(index=index)

    live = [v for k, v in latencies.items()]
    print(f"published {published} articles in {args.duration:.0f}s at {args.rate}/s; "
          f"{len(live)} searchable (incl. 2 warm-up)")
    print(f"sustained rate {len(live) / elapsed:.2f} articles/s")
    print(f"depeche  poll->searchable  p50 {percentile(live, .5):.2f}s  p95 {percentile(live, .95):.2f}s  "
          f"max {max(live):.2f}s")
    print(f"baseline write->searchable p50 {percentile(floor, .5):.2f}s  p95 {percentile(floor, .95):.2f}s  "
          "(direct ES write, same refresh interval)")
    print(f"ratio p95 depeche/baseline = {percentile(live, .95) / percentile(floor, .95):.2f}   (aim: p95 < 3 s)")


if __name__ == "__main__":
    main()
