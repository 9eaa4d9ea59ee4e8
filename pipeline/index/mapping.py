"""Index template and explicit mapping, and the document an Article becomes.

The local Elasticsearch (integ-test zip) has no `analysis-common` module: no `french` or
`english` analyzer, no asciifolding or stemmer. So language-aware matching never depends on the
cluster: spaCy lemmas are indexed in `lemmas`, lowercased and accent-folded here in Python, and
queries are lemmatised and folded the same way (see search.py). Where the cluster does have the
language analyzers they are added as `.fr` / `.en` sub-fields of the text fields, on top.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from pipeline.config import Settings
from pipeline.model import Article, utc_now_iso

log = logging.getLogger(__name__)

# ISO code -> built-in analyzer name, for clusters that have them.
LANGUAGE_ANALYZERS = {"fr": "french", "en": "english"}
ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
TEXT_FIELDS = ("title", "summary", "text")
MAPPING_VERSION = 1


def entity_field(label: str) -> str:
    """The flat keyword field holding the names of one entity type, e.g. entities_per."""
    return f"entities_{label.lower()}"


# The Unicode blocks of combining marks (accents and the like), removed after NFKD decomposition.
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lowercase and strip accents ("Biélorussie" -> "bielorussie"), what asciifolding would do."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    # One regex pass instead of a Python loop per character: this runs on every indexed document.
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", lowered))


def detect_language_analyzers(es: Elasticsearch) -> list[str]:
    """The ISO codes whose built-in analyzer this cluster has (asked with `_analyze`)."""
    found = []
    for lang, analyzer in LANGUAGE_ANALYZERS.items():
        try:
            es.indices.analyze(analyzer=analyzer, text="probe")
            found.append(lang)
        except ApiError:  # 400 "failed to find global analyzer": not on this cluster
            continue
    log.info("language analyzers", extra={"available": found})
    return found


def _text(languages: list[str], boost_keyword: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": "standard"}
    subfields = {lang: {"type": "text", "analyzer": LANGUAGE_ANALYZERS[lang]} for lang in languages}
    if boost_keyword:
        subfields["raw"] = {"type": "keyword", "ignore_above": 512}
    if subfields:
        field["fields"] = subfields
    return field


def _keyword_with_text() -> dict[str, Any]:
    # Exact for aggregations, analysed `.text` for "Loukachenko" finding "Alexandre Loukachenko".
    # Case kept (aggregations show names as written); matching goes through `.text`.
    return {"type": "keyword", "ignore_above": 256,
            "fields": {"text": {"type": "text", "analyzer": "standard"}}}


def mappings(languages: list[str]) -> dict[str, Any]:
    """The explicit mapping (`dynamic: strict`, so a stray field is an error, not a silent field)."""
    keyword = {"type": "keyword", "ignore_above": 1024}
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "url": keyword,
        "link": {"type": "keyword", "index": False, "doc_values": False},
        "feed_id": {"type": "keyword"},
        "feed_name": {"type": "keyword", "fields": {"text": {"type": "text"}}},
        "title": _text(languages, boost_keyword=True),
        "summary": _text(languages),
        "text": _text(languages),
        "lemmas": {"type": "text", "analyzer": "standard"},
        "language": {"type": "keyword"},
        "authors": {"type": "keyword", "fields": {"text": {"type": "text"}}},
        "tags": {"type": "keyword", "normalizer": "lowercase_keyword"},
        "story_id": {"type": "keyword"},
        "published_at": {"type": "date"},
        "first_seen_at": {"type": "date"},
        "indexed_at": {"type": "date"},
        # published_at when the feed gave one, else first_seen_at: what "newest" and time
        # filters mean, so that undated items still sort and filter sensibly.
        "date": {"type": "date"},
        "entities": {
            "type": "nested",
            "properties": {
                "text": _keyword_with_text(),
                "label": {"type": "keyword"},
                "count": {"type": "integer"},
            },
        },
        "entity_names": _keyword_with_text(),
        "speakers": _keyword_with_text(),
        "quotes": {
            "type": "nested",
            "properties": {
                "text": _text(languages),
                "speaker": _keyword_with_text(),
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "cue": {"type": "keyword"},
            },
        },
    }
    for label in ENTITY_LABELS:
        properties[entity_field(label)] = _keyword_with_text()
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION, "language_analyzers": languages},
        "properties": properties,
    }


def index_settings(settings: Settings) -> dict[str, Any]:
    conf = settings.elasticsearch
    return {
        "number_of_shards": conf.shards,
        "number_of_replicas": conf.replicas,
        "refresh_interval": conf.refresh_interval,
        # `lowercase` is a core filter, present even without analysis-common.
        "analysis": {"normalizer": {"lowercase_keyword": {"type": "custom", "filter": ["lowercase"]}}},
    }


def index_pattern(settings: Settings) -> str:
    """Concrete indices are `<alias>-v<N>`; the template applies to all of them."""
    return f"{settings.index_alias}-v*"


def template_body(settings: Settings, languages: list[str]) -> dict[str, Any]:
    """The composable index template for `<alias>-v*`."""
    return {
        "index_patterns": [index_pattern(settings)],
        # Above the built-in templates; namespaces never overlap (the pattern ends in -articles-v*).
        "priority": 200,
        "template": {"settings": index_settings(settings), "mappings": mappings(languages)},
        "_meta": {"managed_by": "depeche", "mapping_version": MAPPING_VERSION},
    }


def _date_or_none(value: str | None) -> str | None:
    return value or None


def to_document(article: Article, indexed_at: str | None = None) -> dict[str, Any]:
    """The Elasticsearch `_source` of an enriched article (the `_id` is `article.id`)."""
    by_label: dict[str, list[str]] = {label: [] for label in ENTITY_LABELS}
    for entity in article.entities:
        by_label.setdefault(entity.label if entity.label in by_label else "MISC", []).append(entity.text)
    speakers = sorted({q.speaker for q in article.quotes if q.speaker})
    doc: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "link": article.link or article.url,
        "feed_id": article.feed_id,
        "feed_name": article.feed_name,
        "title": article.title,
        "summary": article.summary,
        "text": article.text or "",
        "lemmas": fold(article.lemmas) if article.lemmas else None,
        "language": article.language or article.language_hint,
        "authors": article.authors,
        "tags": article.tags,
        "story_id": article.story_id,
        "published_at": _date_or_none(article.published_at),
        "first_seen_at": _date_or_none(article.first_seen_at),
        "indexed_at": indexed_at or utc_now_iso(),
        "date": _date_or_none(article.published_at) or _date_or_none(article.first_seen_at),
        "entities": [{"text": e.text, "label": e.label, "count": e.count} for e in article.entities],
        "entity_names": sorted({e.text for e in article.entities}),
        "speakers": speakers,
        "quotes": [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end, "cue": q.cue}
                   for q in article.quotes],
    }
    for label, names in by_label.items():
        doc[entity_field(label)] = sorted(set(names))
    return doc
