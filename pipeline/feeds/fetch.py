"""HTTP fetching of feeds: conditional GET, limits on time and size, politeness per host.

One `Fetcher` per poller holds one httpx AsyncClient (connection reuse) and the per-host
semaphores. `fetch()` never raises for a network or HTTP problem: it returns a `FetchResult`
whose `error` says what went wrong, so the poller writes it onto the feed's health record.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from pipeline.config import FetchSettings

log = logging.getLogger("depeche.feeds.fetch")

MAX_RETRY_AFTER = 86400.0  # a server asking for more than a day is treated as asking for a day


@dataclass
class FetchResult:
    url: str  # the URL asked for
    final_url: str  # after redirects: the base for relative links
    status: int | None = None  # None when no HTTP response came back
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    retry_after: float | None = None  # seconds, from a 429/503 Retry-After
    error: str | None = None  # human-readable reason; None on 200/304
    error_kind: str | None = None  # timeout|too_large|redirects|http|network|...
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status in (200, 304)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


class _TooLarge(Exception):
    pass


class Fetcher:
    """Fetches feed URLs politely: at most `per_host_concurrency` requests per host at a time."""

    def __init__(self, fetch: FetchSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = fetch
        self.deadline = fetch.timeout_seconds
        # Per-phase timeouts bound a stalled server; the total deadline in fetch() bounds one that
        # trickles bytes just fast enough to keep every single read alive.
        phase = min(fetch.timeout_seconds, 15.0)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(phase, connect=min(phase, 10.0)),
            limits=httpx.Limits(max_connections=fetch.concurrency,
                                max_keepalive_connections=min(fetch.concurrency, 100)),
            follow_redirects=True,
            max_redirects=fetch.max_redirects,
            headers={"User-Agent": fetch.user_agent,
                     "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
                               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
                     "Accept-Encoding": "gzip, deflate, br"},
            transport=transport,
            # Feed URLs come from the operator's config; proxies from the environment still apply.
            trust_env=True,
        )
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._global = asyncio.Semaphore(fetch.concurrency)

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self.settings.per_host_concurrency)
        return gate

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url` with the validators; the whole exchange must finish within the deadline."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = FetchResult(url=url, final_url=url)
        started = time.monotonic()
        async with self._global, self._host_gate(url):
            try:
                async with asyncio.timeout(self.deadline):
                    await self._exchange(url, headers, result)
            except TimeoutError:
                self._fail(result, "timeout", f"no complete response within {self.deadline:g}s")
            except httpx.TimeoutException as exc:
                self._fail(result, "timeout", f"{type(exc).__name__}: server too slow")
            except httpx.TooManyRedirects:
                self._fail(result, "redirects", f"more than {self.settings.max_redirects} redirects (loop?)")
            except _TooLarge as exc:
                self._fail(result, "too_large", str(exc))
            except httpx.DecodingError as exc:
                self._fail(result, "decoding", f"bad content encoding: {exc}")
            except (httpx.HTTPError, OSError) as exc:
                self._fail(result, "network", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        result.elapsed = time.monotonic() - started
        return result

    @staticmethod
    def _fail(result: FetchResult, kind: str, message: str) -> None:
        result.error_kind, result.error, result.body = kind, message, b""

    async def _exchange(self, url: str, headers: Mapping[str, str], result: FetchResult) -> None:
        limit = self.settings.max_bytes
        async with self._client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            result.final_url = str(response.url)
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code == 304:
                result.etag = response.headers.get("etag") or None
                result.last_modified = response.headers.get("last-modified") or None
                return
            if response.status_code != 200:
                if response.status_code in (429, 503):
                    result.retry_after = parse_retry_after(response.headers.get("retry-after"))
                result.error_kind = "gone" if response.status_code == 410 else "http"
                result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                return
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit and \
                    not response.headers.get("content-encoding"):
                raise _TooLarge(f"body of {int(declared)} bytes is above the {limit}-byte cap")
            chunks: list[bytes] = []
            size = 0
            # Counted after decompression, so a small gzip bomb cannot get past the cap either.
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _TooLarge(f"body above the {limit}-byte cap (cut off)")
                chunks.append(chunk)
            result.body = b"".join(chunks)
            result.body_sha256 = hashlib.sha256(result.body).hexdigest()
            result.etag = response.headers.get("etag") or None
            result.last_modified = response.headers.get("last-modified") or None

    async def aclose(self) -> None:
        await self._client.aclose()
