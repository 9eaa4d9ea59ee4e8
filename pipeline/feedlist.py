"""The feed list (`config/feeds.yaml`): load, validate, save, hot reload, OPML import/export.

File shape::

    defaults:                 # optional; applies to every feed that does not say otherwise
      interval: {min: 5m, max: 2h}
      language: null
      tags: []
      enabled: true
    feeds:
      - id: lemonde-une
        url: https://www.lemonde.fr/rss/une.xml
        name: Le Monde - À la une
        language: fr
        interval: {min: 2m, max: 1h}
        tags: [fr, general]

Durations are seconds or a number with a unit (s, m, h, d). Validation errors name the file,
the feed (id, else its position) and the key, so the operator can fix the edit at once.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.config import ConfigError, parse_yaml

log = logging.getLogger("depeche.feeds.list")

HEADER = (
    "# depeche feed list: every source the poller reads. Edits take effect within seconds while the\n"
    "# service runs (an invalid edit is refused and the last good list kept; see the log).\n"
    "# Per feed: id, url, name, language, interval {min, max} (e.g. 90s, 5m, 2h), tags, enabled.\n"
    "# `defaults` applies to every feed that does not set the key itself.\n"
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_FLOOR = 1.0  # tests poll local servers fast; real feeds should stay >= 1 minute


def parse_duration(value: Any) -> float:
    """Seconds from `300`, `300s`, `5m`, `2h` or `1d`."""
    if isinstance(value, bool):
        raise ValueError("must be a duration such as 90s, 5m, 2h")
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration; write e.g. 90s, 5m, 2h or 1d")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _format_duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s" if seconds == int(seconds) else f"{seconds}s"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Interval(_Strict):
    min: float = 300.0
    max: float = 7200.0

    @field_validator("min", "max", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        seconds = parse_duration(value)
        if seconds < MIN_INTERVAL_FLOOR:
            raise ValueError(f"must be at least {MIN_INTERVAL_FLOOR:g}s")
        if seconds > 7 * 86400:
            raise ValueError("must be at most 7d")
        return seconds

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.min > self.max:
            raise ValueError(f"min ({_format_duration(self.min)}) is above max ({_format_duration(self.max)})")
        return self


class Defaults(_Strict):
    interval: Interval = Field(default_factory=Interval)
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return _check_language(value)


_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


def _check_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.strip()


def _check_language(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?", value):
        raise ValueError(f"{value!r} is not a language code (e.g. fr, en, en-GB)")
    return value.split("-")[0].split("_")[0].lower()


class FeedConfig(_Strict):
    """One source, with the defaults already applied."""

    id: str
    url: str
    name: str | None = None
    language: str | None = None
    interval: Interval = Field(default_factory=Interval)
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"{value!r} must be lowercase letters, digits, '.', '_' or '-' (at most 80)")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return _check_language(value)


@dataclass(frozen=True)
class FeedList:
    feeds: tuple[FeedConfig, ...]
    defaults: Defaults
    path: Path | None = None

    def by_id(self) -> dict[str, FeedConfig]:
        return {feed.id: feed for feed in self.feeds}

    def enabled(self) -> list[FeedConfig]:
        return [feed for feed in self.feeds if feed.enabled]


def _where(path: Path | str, raw_feeds: list[Any], loc: tuple[Any, ...]) -> str:
    """'feed 'x' (#3) key 'interval.min'' from a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "feeds" and isinstance(loc[1], int):
        index = loc[1]
        raw = raw_feeds[index] if index < len(raw_feeds) else None
        fid = raw.get("id") if isinstance(raw, dict) else None
        feed = f"feed {fid!r} (#{index + 1})" if fid else f"feed #{index + 1}"
        key = ".".join(str(p) for p in loc[2:]) or "(the entry)"
        return f"{feed} key {key!r}"
    return f"key {'.'.join(str(p) for p in loc) or '(top level)'!r}"


def _merge(defaults: dict[str, Any], feed: Any) -> Any:
    if not isinstance(feed, dict):
        return feed  # let validation report it
    merged = {k: v for k, v in defaults.items() if k != "interval"}
    interval = dict(defaults.get("interval") or {})
    if isinstance(feed.get("interval"), dict):
        interval.update(feed["interval"])
    elif "interval" in feed:
        interval = feed["interval"]
    merged.update({k: v for k, v in feed.items() if k != "interval"})
    if interval:
        merged["interval"] = interval
    if "tags" in feed and "tags" in defaults and isinstance(feed["tags"], list):
        merged["tags"] = list(dict.fromkeys([*(defaults["tags"] or []), *feed["tags"]]))
    return merged


class _FileModel(_Strict):
    defaults: Defaults = Field(default_factory=Defaults)
    feeds: list[FeedConfig] = Field(default_factory=list)


def parse_feed_list(text: str, path: Path | str = "<feeds>") -> FeedList:
    """Validate the YAML text of a feed list; ConfigError names file, feed and key."""
    data = parse_yaml(text, path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping with a `feeds:` list, not {type(data).__name__}")
    unknown = set(data) - {"defaults", "feeds"}
    if unknown:
        raise ConfigError(f"{path}: key {sorted(unknown)[0]!r} is not known; the file holds `defaults` and `feeds`")
    raw_defaults = data.get("defaults") or {}
    raw_feeds = data.get("feeds") or []
    if not isinstance(raw_feeds, list):
        raise ConfigError(f"{path}: key 'feeds' must be a list of feeds (- id: ..., url: ...)")
    try:
        defaults = Defaults.model_validate(raw_defaults)
    except ValidationError as exc:
        problems = "; ".join(f"key 'defaults.{'.'.join(map(str, e['loc']))}': {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
    merged = [_merge(raw_defaults if isinstance(raw_defaults, dict) else {}, f) for f in raw_feeds]
    try:
        model = _FileModel.model_validate({"defaults": raw_defaults, "feeds": merged})
    except ValidationError as exc:
        problems = "; ".join(f"{_where(path, raw_feeds, e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
    seen: dict[str, int] = {}
    for index, feed in enumerate(model.feeds):
        if feed.id in seen:
            raise ConfigError(f"{path}: feed {feed.id!r} (#{index + 1}) key 'id': duplicate of feed "
                              f"#{seen[feed.id] + 1}; ids must be unique")
        seen[feed.id] = index
    return FeedList(tuple(model.feeds), defaults, Path(path) if not str(path).startswith("<") else None)


def load_feed_list(path: Path | str) -> FeedList:
    """Read and validate a feed list file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: feed list not found; create it or set `feeds_file` in the settings") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the feed list ({exc})") from exc
    return parse_feed_list(text, path)


def _feed_to_yaml(feed: FeedConfig, defaults: Defaults) -> dict[str, Any]:
    """Only what differs from the defaults, so the file stays short and the defaults stay in charge."""
    out: dict[str, Any] = {"id": feed.id, "url": feed.url}
    if feed.name:
        out["name"] = feed.name
    if feed.language != defaults.language:
        out["language"] = feed.language
    if feed.interval != defaults.interval:
        interval = {}
        if feed.interval.min != defaults.interval.min:
            interval["min"] = _format_duration(feed.interval.min)
        if feed.interval.max != defaults.interval.max:
            interval["max"] = _format_duration(feed.interval.max)
        out["interval"] = interval
    extra_tags = [t for t in feed.tags if t not in defaults.tags]
    if extra_tags:
        out["tags"] = extra_tags
    if feed.enabled != defaults.enabled:
        out["enabled"] = feed.enabled
    return out


def dump_feed_list(feeds: FeedList) -> str:
    """YAML text of a feed list, with the header comment."""
    d = feeds.defaults
    data = {
        "defaults": {
            "interval": {"min": _format_duration(d.interval.min), "max": _format_duration(d.interval.max)},
            "language": d.language,
            "tags": list(d.tags),
            "enabled": d.enabled,
        },
        "feeds": [_feed_to_yaml(f, d) for f in feeds.feeds],
    }
    return HEADER + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def save_feed_list(feeds: FeedList, path: Path | str) -> None:
    """Write atomically (a poller watching the file never sees half of it)."""
    path = Path(path)
    text = dump_feed_list(feeds)
    parse_feed_list(text, path)  # never write a file the poller would refuse
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def with_feed(feeds: FeedList, feed: dict[str, Any]) -> FeedList:
    """A copy with one more feed (defaults applied); ConfigError on a bad or duplicate feed."""
    if feed.get("id") in feeds.by_id():
        raise ConfigError(f"{feeds.path}: feed {feed['id']!r} key 'id': already in the list")
    if any(f.url == feed.get("url") for f in feeds.feeds):
        raise ConfigError(f"{feeds.path}: feed with url {feed.get('url')!r} is already in the list")
    raw_defaults = feeds.defaults.model_dump()
    try:
        new = FeedConfig.model_validate(_merge(raw_defaults, {k: v for k, v in feed.items() if v is not None}))
    except ValidationError as exc:
        problems = "; ".join(f"key {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"feed {feed.get('id')!r}: {problems}") from exc
    return FeedList((*feeds.feeds, new), feeds.defaults, feeds.path)


def without_feed(feeds: FeedList, feed_id: str) -> FeedList:
    """A copy without the feed `feed_id`; ConfigError when it is not there."""
    if feed_id not in feeds.by_id():
        raise ConfigError(f"{feeds.path}: no feed with id {feed_id!r} (see `depeche feeds list`)")
    return FeedList(tuple(f for f in feeds.feeds if f.id != feed_id), feeds.defaults, feeds.path)


def id_from_url(url: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable unique id for a feed URL (host and path words)."""
    parts = urlsplit(url)
    host = parts.hostname or "feed"
    host = re.sub(r"^(www|feeds?|rss)\.", "", host)
    words = [host.rsplit(".", 1)[0]] + [w for w in re.split(r"[^a-z0-9]+", parts.path.lower())
                                        if w and w not in ("rss", "xml", "feed", "feeds", "index", "atom")]
    base = re.sub(r"[^a-z0-9_.-]+", "-", "-".join(words).lower()).strip("-.")[:60] or "feed"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class FeedListWatcher:
    """Re-reads the feed list when its mtime/size change; an invalid edit keeps the last good list."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.current = load_feed_list(self.path)  # start-up: a bad file is an error, not a warning
        self._stamp = self._stat()
        self.last_error: str | None = None

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def check(self) -> FeedList | None:
        """The new list if the file changed and is valid; None otherwise (the current list stands)."""
        stamp = self._stat()
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        try:
            fresh = load_feed_list(self.path)
        except ConfigError as exc:
            self.last_error = str(exc)
            log.error("feed list edit refused, keeping the last good list (%d feeds): %s",
                      len(self.current.feeds), exc, extra={"file": str(self.path)})
            return None
        self.last_error = None
        old, new = self.current.by_id(), fresh.by_id()
        log.info("feed list reloaded", extra={
            "file": str(self.path), "feeds": len(new),
            "added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)),
            "changed": sorted(k for k in set(old) & set(new) if old[k] != new[k]),
        })
        self.current = fresh
        return fresh


# --- OPML ---------------------------------------------------------------------------------------

def _reject_doctype(data: bytes, source: str) -> None:
    # ElementTree's expat guards against exponential entity expansion, but an OPML file has no use
    # for a DTD at all, so refuse any before parsing.
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.IGNORECASE):
        raise ConfigError(f"{source}: OPML with a DOCTYPE/ENTITY declaration is refused")


def opml_feeds(data: bytes, source: str = "<opml>") -> list[dict[str, Any]]:
    """Feeds found in an OPML document: one dict (url, name, tags, language) per outline with xmlUrl."""
    _reject_doctype(data, source)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"{source}: not valid OPML/XML ({exc})") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError(f"{source}: not an OPML document (no <opml><body>)")
    found: list[dict[str, Any]] = []

    def walk(node: ET.Element, folders: list[str]) -> None:
        for outline in node.findall("outline"):
            url = outline.get("xmlUrl") or outline.get("xmlurl")
            label = outline.get("title") or outline.get("text")
            if url:
                tags = [t for t in (outline.get("category") or "").replace("/", ",").split(",") if t.strip()]
                found.append({
                    "url": url.strip(), "name": label,
                    "tags": list(dict.fromkeys([*folders, *(t.strip() for t in tags)])),
                    "language": outline.get("language"),
                })
            else:
                walk(outline, [*folders, label] if label else folders)

    walk(body, [])
    return found


def to_opml(feeds: FeedList, title: str = "depeche feeds") -> str:
    """The feed list as OPML 2.0 (title, xmlUrl, category from tags)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds.feeds:
        attrs = {"type": "rss", "text": feed.name or feed.id, "title": feed.name or feed.id, "xmlUrl": feed.url}
        if feed.tags:
            attrs["category"] = ",".join(feed.tags)
        if feed.language:
            attrs["language"] = feed.language
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
