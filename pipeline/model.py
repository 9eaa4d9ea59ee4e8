"""The records that travel between stages, and their JSON form.

Every Kafka message value is one of these records as UTF-8 JSON with a `schema` version, so a
stage can refuse (and dead-letter) a message it does not understand instead of guessing.
The article id is a stable hash of the canonical URL: the same id is the Kafka key and the
Elasticsearch `_id`, which makes every stage idempotent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1


class RecordError(ValueError):
    """A message that cannot be turned into a record (bad JSON, wrong schema, missing field)."""


def article_id_for(canonical_url: str) -> str:
    """Stable id of an article: 20 hex chars of SHA-256 over its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Entity:
    text: str  # canonical surface form: the fullest mention in the article
    label: str  # PER, ORG, LOC or MISC, the same in every language
    count: int = 1


@dataclass
class Quote:
    text: str  # the quotation without its marks
    speaker: str | None  # canonical name of the speaker, or None when unknown
    start: int  # character offsets into Article.text
    end: int
    cue: str | None = None  # the speech verb or phrase that attributes it ("a déclaré", "said")


@dataclass
class Article:
    id: str
    url: str  # canonical URL (the id derives from it)
    feed_id: str
    link: str = ""  # the link as the feed gave it
    title: str = ""
    summary: str = ""
    content: str = ""  # full content from the feed, when it carried one (HTML or text)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None  # ISO 8601 UTC
    first_seen_at: str = field(default_factory=utc_now_iso)  # when a poller first saw it
    language_hint: str | None = None
    guid: str | None = None
    feed_name: str | None = None
    tags: list[str] = field(default_factory=list)
    content_hash: str | None = None  # hash of title+summary+content, to spot updates
    # Filled by the enricher:
    text: str | None = None  # extracted full text (offsets of quotes refer to it)
    language: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    lemmas: str | None = None  # lemmatised text, for language-aware search without analyzers
    story_id: str | None = None  # shared by syndicated copies of the same story
    enriched_at: str | None = None
    enrich_error: str | None = None  # why NLP fields are missing, when they are

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = SCHEMA_VERSION
        return data

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        if not isinstance(data, dict):
            raise RecordError("article record is not a JSON object")
        schema = data.get("schema", SCHEMA_VERSION)
        if schema != SCHEMA_VERSION:
            raise RecordError(f"unsupported article schema {schema!r} (this build reads {SCHEMA_VERSION})")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for required in ("id", "url", "feed_id"):
            if not isinstance(values.get(required), str) or not values[required]:
                raise RecordError(f"article record lacks {required!r}")
        values["entities"] = [Entity(**e) for e in values.get("entities") or []]
        values["quotes"] = [Quote(**q) for q in values.get("quotes") or []]
        try:
            return cls(**values)
        except TypeError as exc:
            raise RecordError(f"malformed article record: {exc}") from exc

    @classmethod
    def from_json(cls, raw: bytes | str) -> Article:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RecordError(f"message is not JSON: {exc}") from exc
        try:
            return cls.from_dict(data)
        except TypeError as exc:  # entity/quote with unexpected keys
            raise RecordError(f"malformed article record: {exc}") from exc
