"""`depeche demo`: the whole pipeline on one machine in a minute, with no internet.

A small local web server publishes the bundled real sample articles (the BFMTV seed among them)
as RSS feeds plus one HTML page per article; the service polls those feeds, enriches the pages
and indexes them. The same server is used by the end-to-end tests and benchmark, which can also
publish new items while it runs.
"""

from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

import yaml


@dataclass
class DemoArticle:
    slug: str
    feed: str
    language: str
    title: str
    text: str
    source: str = ""
    published: datetime = field(default_factory=lambda: datetime.now(UTC))


def bundled_articles() -> list[DemoArticle]:
    """The real sample articles shipped with the package."""
    raw = resources.files("pipeline").joinpath("demo_data/articles.json").read_text(encoding="utf-8")
    return [DemoArticle(**item) for item in json.loads(raw)]


def article_html(article: DemoArticle) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.text.split("\n\n") if p.strip())
    return (
        f'<!doctype html><html lang="{article.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(article.title)}</title></head><body>"
        f'<header><nav><a href="/">{html.escape(article.source)}</a></nav></header>'
        f"<article><h1>{html.escape(article.title)}</h1>\n{paragraphs}</article>"
        f"<footer>Demo copy served locally by depeche.</footer></body></html>"
    )


class FeedServer:
    """Serves /feeds/<feed>.xml (RSS 2.0) and /articles/<slug>.html from a list that can grow."""

    def __init__(self, articles: list[DemoArticle], port: int = 0) -> None:
        self._lock = threading.Lock()
        self._articles: dict[str, DemoArticle] = {a.slug: a for a in articles}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # the demo's own logs are enough
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body, kind = server.render(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", kind)
                data = (body or "not found").encode("utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-feeds", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def feeds(self) -> list[str]:
        with self._lock:
            return sorted({a.feed for a in self._articles.values()})

    def feed_url(self, feed: str) -> str:
        return f"{self.base_url}/feeds/{feed}.xml"

    def publish(self, article: DemoArticle) -> None:
        """Add an item (it appears in its feed from the next poll on)."""
        with self._lock:
            self._articles[article.slug] = article

    def render(self, path: str) -> tuple[str | None, str]:
        if path.startswith("/articles/") and path.endswith(".html"):
            with self._lock:
                article = self._articles.get(path[len("/articles/"):-len(".html")])
            return (article_html(article) if article else None), "text/html; charset=utf-8"
        if path.startswith("/feeds/") and path.endswith(".xml"):
            return self.rss(path[len("/feeds/"):-len(".xml")]), "application/rss+xml; charset=utf-8"
        return None, "text/plain"

    def rss(self, feed: str, limit: int = 50) -> str | None:
        """The feed's newest `limit` items, like a real site's feed (older ones drop off)."""
        with self._lock:
            items = sorted((a for a in self._articles.values() if a.feed == feed),
                           key=lambda a: a.published, reverse=True)[:limit]
        if not items:
            return None
        entries = "".join(
            f"<item><title>{escape(a.title)}</title>"
            f"<link>{self.base_url}/articles/{a.slug}.html</link>"
            f'<guid isPermaLink="false">{escape(a.slug)}</guid>'
            f"<pubDate>{format_datetime(a.published)}</pubDate>"
            f"<description>{escape(a.text.split(chr(10))[0][:300])}</description></item>"
            for a in items
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>depeche demo {escape(feed)}</title><link>{self.base_url}/</link>"
            f"<description>Sample articles</description><language>{items[0].language}</language>"
            f"{entries}</channel></rss>"
        )

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def write_demo_config(folder: Path, server: FeedServer, base_settings_file: Path, namespace: str = "demo") -> Path:
    """A settings file + feed list for the demo: same engines as the base settings, own namespace."""
    folder.mkdir(parents=True, exist_ok=True)
    base = yaml.safe_load(base_settings_file.read_text(encoding="utf-8")) or {}
    base["namespace"] = namespace
    base["feeds_file"] = "feeds.yaml"
    base.setdefault("fetch", {})["allow_private_networks"] = True  # the demo's pages are on 127.0.0.1
    stack = base.setdefault("stack", {})
    # Keep the engines' data where the base settings keep it (its paths are relative to its folder).
    for key in ("data_dir",):
        if key in stack and not Path(stack[key]).expanduser().is_absolute():
            stack[key] = str((base_settings_file.parent / stack[key]).resolve())
    if "data_dir" not in stack:
        stack["data_dir"] = str((base_settings_file.parent / "../.local/stack").resolve())
    (folder / "depeche.yaml").write_text(
        "# Written by `depeche demo`.\n" + yaml.safe_dump(base, sort_keys=False, allow_unicode=True))
    feeds = {
        "feeds": [
            {"id": feed, "url": server.feed_url(feed), "name": f"Demo ({feed[-2:]})", "language": feed[-2:],
             "interval": {"min": 2, "max": 10}}
            for feed in server.feeds()
        ]
    }
    (folder / "feeds.yaml").write_text("# Written by `depeche demo`.\n" + yaml.safe_dump(feeds, sort_keys=False))
    return folder / "depeche.yaml"


def wait_for_documents(settings, expected: int, timeout: float, progress=None) -> int:
    """Poll the index until `expected` documents are searchable (or time runs out); return the count."""
    from elasticsearch import Elasticsearch

    es = Elasticsearch(settings.elasticsearch.url, api_key=settings.elasticsearch.api_key, request_timeout=10)
    deadline = time.monotonic() + timeout
    count = 0
    try:
        while time.monotonic() < deadline:
            try:
                if es.indices.exists_alias(name=settings.index_alias):
                    count = es.count(index=settings.index_alias)["count"]
            except Exception:  # noqa: BLE001 - the index may not exist yet
                count = 0
            if progress:
                progress(count)
            if count >= expected:
                break
            time.sleep(1)
    finally:
        es.close()
    return count
