"""Feed bytes -> Article records, with feedparser (RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0).

The bytes are parsed as fetched (feedparser never touches the network here) with the response
headers, so the charset of Content-Type is weighed against the XML declaration. A feed with a
syntax problem whose entries are still usable is accepted and the problem reported; an HTML page,
an empty body or garbage is a `FeedError` with a reason the operator can act on.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan
import feedparser

from pipeline.model import Article, article_id_for

log = logging.getLogger("depeche.feeds.parse")

FUTURE_SKEW_SECONDS = 300  # clocks disagree a little; beyond this a date in the future is a lie


class FeedError(Exception):
    """The body is not a usable feed; the message says why."""


@dataclass
class ParsedFeed:
    articles: list[Article]
    title: str | None = None
    language: str | None = None
    version: str | None = None  # feedparser's name for the format, e.g. rss20, atom10
    bozo: str | None = None  # the syntax problem of a feed accepted anyway
    skipped: list[str] = field(default_factory=list)  # one reason per entry left out


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!DOCTYPE\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def _ascii_view(body: bytes) -> bytes:
    """The start of the body as ASCII-compatible bytes, also when it is UTF-16/32 encoded."""
    head = body[:65536]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore").encode("ascii", errors="ignore")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="ignore").encode(
            "ascii", errors="ignore")
    return head


def check_safe(body: bytes) -> None:
    """Refuse DTDs that declare entities: the billion-laughs bomb and external entities need them,
    and no real feed does (HTML entities such as &eacute; are known to feedparser without a DTD)."""
    head = _ascii_view(body)
    doctype = _DOCTYPE.search(head)
    if doctype and _ENTITY.search(head, doctype.start()):
        raise FeedError("refused: the document declares XML entities in a DOCTYPE (entity-expansion bomb?)")


def _canonical(url: str) -> str:
    """Canonical URL: tracking parameters stripped, host lowercased, fragment dropped."""
    try:
        normalized = courlan.normalize_url(url, strict=False)
    except Exception:  # noqa: BLE001 - courlan raises various things on odd input
        normalized = url
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _http_url(candidate: Any, base: str) -> str | None:
    """An absolute http(s) URL from a link as written in the feed, or None (javascript:, data:, ...)."""
    if not isinstance(candidate, str):
        return None
    candidate = candidate.strip()
    if not candidate or re.match(r"^\s*(javascript|data|vbscript|mailto|file):", candidate, re.IGNORECASE):
        return None
    absolute = urljoin(base, candidate)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _utc_iso(parsed: Any, now: datetime) -> str | None:
    """feedparser's UTC struct_time as ISO 8601; None when absent, now when in the future."""
    if not parsed:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, TypeError):
        return None
    if (when - now).total_seconds() > FUTURE_SKEW_SECONDS:
        when = now
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*([a-zA-Z]{2,3})\b", value)
    return match.group(1).lower() if match else None


def content_hash(title: str, summary: str, content: str) -> str:
    return hashlib.sha256("\x1f".join((title, summary, content)).encode("utf-8")).hexdigest()[:16]


def parse_feed(body: bytes, feed_id: str, base_url: str, headers: Mapping[str, str] | None = None,
               language: str | None = None, feed_name: str | None = None,
               tags: list[str] | None = None, now: datetime | None = None) -> ParsedFeed:
    """Articles of a fetched feed body. Raises FeedError when the body is not a usable feed."""
    if not body or not body.strip():
        raise FeedError("empty body")
    check_safe(body)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    # feedparser takes the base for relative links from Content-Location.
    headers.setdefault("content-location", base_url)
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    bozo = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        bozo = f"{type(exc).__name__}: {exc}" if exc else "malformed"
    entries = parsed.get("entries") or []
    version = parsed.get("version") or None
    if not entries:
        if _HTML_START.match(_ascii_view(body)) or "html" in headers.get("content-type", "") and not version:
            raise FeedError("an HTML page, not a feed (is the URL the site instead of its RSS/Atom feed?)")
        if not version:
            reason = f" ({bozo})" if bozo else ""
            raise FeedError(f"not an RSS/Atom feed: no feed element found{reason}")
        # A valid feed with no entries is fine (nothing published yet); a broken one is not.
        if bozo and not parsed.get("feed"):
            raise FeedError(f"malformed feed with no usable entry: {bozo}")
    meta = parsed.get("feed") or {}
    feed_language = _language(meta.get("language")) or _language(headers.get("content-language"))
    hint = language or feed_language
    now = now or datetime.now(UTC)
    first_seen = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    articles: list[Article] = []
    skipped: list[str] = []
    for index, entry in enumerate(entries):
        guid = entry.get("id") or None
        link = _http_url(entry.get("link"), base_url)
        if link is None:
            for alt in entry.get("links") or []:
                if alt.get("rel", "alternate") == "alternate":
                    link = _http_url(alt.get("href"), base_url)
                    if link:
                        break
        if link is None and guid and re.match(r"^https?://", guid, re.IGNORECASE):
            link = _http_url(guid, base_url)
        if link is None:
            why = f"entry #{index + 1} ({(entry.get('title') or guid or 'untitled')[:60]!r}): " \
                  f"no usable http(s) link or URL guid"
            if entry.get("link"):
                why += f" (link {str(entry.get('link'))[:60]!r} refused)"
            skipped.append(why)
            continue
        canonical = _canonical(link)
        title = (entry.get("title") or "").strip()
        summary = entry.get("summary") or ""
        contents = entry.get("content") or []
        content = "\n".join(c.get("value", "") for c in contents if isinstance(c, Mapping))
        authors = [a.get("name") for a in entry.get("authors") or [] if isinstance(a, Mapping) and a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry["author"]]
        # dict.get, not entry.get: FeedParserDict aliases updated to published with a warning.
        published = _utc_iso(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
                             or dict.get(entry, "created_parsed"), now)
        articles.append(Article(
            id=article_id_for(canonical), url=canonical, feed_id=feed_id, link=link, title=title,
            summary=summary, content=content, authors=authors, published_at=published,
            first_seen_at=first_seen, language_hint=_language(entry.get("language")) or hint,
            guid=guid, feed_name=feed_name or meta.get("title"), tags=list(tags or []),
            content_hash=content_hash(title, summary, content),
        ))
    if entries and not articles:
        raise FeedError(f"none of the {len(entries)} entries has a usable link"
                        + (f"; feed problem: {bozo}" if bozo else ""))
    return ParsedFeed(articles, title=meta.get("title"), language=feed_language, version=version,
                      bozo=bozo, skipped=skipped)
