"""Fetching an article's page. Links come from untrusted feeds, so this is where we defend.

- Only http(s). Hosts that resolve to private, loopback, link-local or reserved addresses are
  refused (a feed must not make us read the cloud metadata endpoint or an intranet), unless the
  setting `fetch.allow_private_networks` is true. Every redirect hop is checked again.
- The same limits as the pollers: timeouts, a total deadline, a cap on bytes, a redirect limit.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from pipeline.config import FetchSettings


class PageError(Exception):
    """The page could not be fetched; the article goes on with its feed content."""


@dataclass
class Page:
    url: str  # after redirects
    html: str


def _check_address(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise PageError(f"refused scheme {parts.scheme!r}")
    host = parts.hostname
    if not host:
        raise PageError("link has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise PageError(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            raise PageError(
                f"refused {host}: resolves to non-public address {address} "
                "(set fetch.allow_private_networks: true to allow)"
            )


class PageFetcher:
    """A small synchronous HTTP client for article pages (the worker calls it from threads)."""

    def __init__(self, limits: FetchSettings) -> None:
        self.limits = limits

        def check_hop(request: httpx.Request) -> None:
            _check_address(str(request.url), limits.allow_private_networks)

        self._client = httpx.Client(
            headers={"User-Agent": limits.user_agent, "Accept": "text/html,application/xhtml+xml"},
            timeout=httpx.Timeout(limits.timeout_seconds, connect=min(10.0, limits.timeout_seconds)),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            event_hooks={"request": [check_hop]},  # runs for every hop, redirects included
        )

    def fetch(self, url: str) -> Page:
        deadline = time.monotonic() + self.limits.timeout_seconds * 2
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise PageError(f"HTTP {response.status_code}")
                kind = response.headers.get("content-type", "")
                if kind and "html" not in kind and "text" not in kind:
                    raise PageError(f"not a web page ({kind})")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.limits.max_bytes:
                        raise PageError(f"page larger than {self.limits.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise PageError("page download too slow")
                encoding = response.charset_encoding or "utf-8"
                try:
                    text = bytes(body).decode(encoding, errors="replace")
                except LookupError:
                    text = bytes(body).decode("utf-8", errors="replace")
                return Page(str(response.url), text)
        except httpx.TooManyRedirects as exc:
            raise PageError("too many redirects") from exc
        except httpx.HTTPError as exc:
            raise PageError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self._client.close()
