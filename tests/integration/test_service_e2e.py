"""The whole service on the real stack, as an operator runs it.

One `depeche run` in the background (poller, enricher, indexer, API as child processes):
- the seed article, served by a local web server as a feed item and its HTML page, becomes
  searchable; `depeche search` and `depeche quotes --speaker` find it and its speaker's quotations;
- a feed added to the feed file while the service runs gets its articles searchable, no restart;
- SIGTERM stops it cleanly within 15 s, the index holds every article exactly once, and replaying
  the topics (consumer groups reset) does not change the document count.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from kafka import KafkaAdminClient

from pipeline.cli import main as cli_main
from pipeline.config import load_settings
from pipeline.demo import FeedServer, bundled_articles

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path, namespace: str, feeds: list[dict]) -> Path:
    base = yaml.safe_load((REPO / "config" / "depeche.yaml").read_text())
    base.update(namespace=namespace, feeds_file="feeds.yaml")
    base["fetch"]["allow_private_networks"] = True  # the test's pages are on 127.0.0.1
    base["api"]["port"] = free_port()
    base["stack"]["data_dir"] = str(REPO / ".local" / "stack")
    (folder / "depeche.yaml").write_text(yaml.safe_dump(base))
    write_feeds(folder, feeds)
    return folder / "depeche.yaml"


def write_feeds(folder: Path, feeds: list[dict]) -> None:
    tmp = folder / "feeds.yaml.tmp"
    tmp.write_text(yaml.safe_dump({"feeds": feeds}))
    tmp.replace(folder / "feeds.yaml")  # atomic: the watcher never sees half a file


def count_docs(es, alias: str) -> int:
    if not es.indices.exists_alias(name=alias):
        return 0
    es.indices.refresh(index=alias)
    return es.count(index=alias)["count"]


def wait_until(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    pytest.fail(f"timed out waiting for {what}; service log tail:\n{tail}")


def cli_json(config: Path, *args: str, capsys) -> dict:
    capsys.readouterr()
    assert cli_main(["--config", str(config), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_service_end_to_end(live_stack, tmp_path, es, capsys):
    namespace = "e2e" + os.urandom(4).hex()
    samples = {a.slug: a for a in bundled_articles()}
    seed = samples["bfmtv-poutine-minsk"]
    late = [samples["dev-en-01"], samples["dev-en-02"]]
    for article in late:
        article.feed = "late-en"
    server = FeedServer([seed, *late]).start()
    first_feed = {"id": "seed-fr", "url": server.feed_url("demo-fr"), "language": "fr",
                  "interval": {"min": 1, "max": 5}}
    config = write_settings(tmp_path, namespace, [first_feed])
    settings = load_settings(config, environ={})
    log = tmp_path / "service.log"

    with open(log, "wb") as out:
        service = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "run"],
            stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
        )
    try:
        wait_until(lambda: count_docs(es, settings.index_alias) >= 1, 180, "the seed article indexed", log)

        found = cli_json(config, "search", "Loukachenko", capsys=capsys)
        assert found["total"] >= 1
        assert any("Poutine" in hit["title"] for hit in found["hits"])

        quotes = cli_json(config, "quotes", "--speaker", "Alexandre Loukachenko", capsys=capsys)
        assert quotes["total"] >= 1
        assert all(q["speaker"] == "Alexandre Loukachenko" for q in quotes["hits"])
        assert all(q["url"].endswith("/articles/bfmtv-poutine-minsk.html") for q in quotes["hits"])

        with urllib.request.urlopen(f"http://127.0.0.1:{settings.api.port}/health", timeout=10) as response:
            assert response.status == 200

        # An operator adds a feed while the service runs: no restart.
        late_feed = {"id": "late-en", "url": server.feed_url("late-en"), "language": "en",
                     "interval": {"min": 1, "max": 5}}
        write_feeds(tmp_path, [first_feed, late_feed])
        wait_until(lambda: count_docs(es, settings.index_alias) >= 3, 120, "the added feed's articles", log)

        started = time.monotonic()
        service.send_signal(signal.SIGTERM)
        code = service.wait(timeout=20)
        elapsed = time.monotonic() - started
        assert code == 0, log.read_text(errors="replace")[-3000:]
        assert elapsed < 15, f"stop took {elapsed:.1f}s"
    finally:
        if service.poll() is None:
            service.kill()
        server.stop()

    assert count_docs(es, settings.index_alias) == 3  # every article exactly once

    # Replay: forget the enricher's and indexer's committed offsets, run both again over the topics.
    admin = KafkaAdminClient(**settings.kafka.client_options())
    admin.delete_groups([settings.group("enrich"), settings.group("index")])
    admin.close()
    from pipeline.enrich.worker import EnrichWorker
    from pipeline.index.writer import Indexer

    stop = threading.Event()
    stages = [EnrichWorker(settings, fetch_pages=False), Indexer(settings)]
    threads = [threading.Thread(target=s.run, args=(stop,), daemon=True) for s in stages]
    for thread in threads:
        thread.start()
    time.sleep(20)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert count_docs(es, settings.index_alias) == 3

    for index in es.indices.get_alias(name=settings.index_alias):
        es.indices.delete(index=index)
