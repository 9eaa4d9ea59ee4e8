"""Search queries: building them (pure functions, unit-tested) and running them.

User text only ever reaches Elasticsearch through `simple_query_string` with a fixed set of
operators (no regex, no wildcard/fuzzy expansion, no scripts), capped in length, and `lenient`
so that unbalanced quotes or odd characters give a sane result instead of an error. Plain-word
queries are also lemmatised and matched against the `lemmas` field: that is the language-aware
part, which works on a cluster without language analyzers.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from elasticsearch import Elasticsearch, NotFoundError

from pipeline.config import Settings
from pipeline.index.mapping import ENTITY_LABELS, entity_field, fold

MAX_QUERY_CHARS = 500
MAX_FILTER_CHARS = 200
# PREFIX, FUZZY, NEAR and SLOP are left out: each lets one short query expand into thousands of terms.
SAFE_FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE"
# Characters that make a query an expression rather than plain words: then its lemma clause is
# skipped, since lemmatising `-poutine` or `"a b"` would change what the user asked for.
_OPERATORS = re.compile(r'["+|()\\*~]|(^|\s)-')
_SINCE = re.compile(r"^\s*(\d{1,5})\s*([smhdw])\s*$", re.IGNORECASE)
_SINCE_MAX_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
TEXT_FIELDS = ["title^3", "summary^2", "text", "entity_names.text^2", "speakers.text"]
HIGHLIGHT_TAGS = ("<mark>", "</mark>")
SOURCE_EXCLUDES = ["text", "lemmas", "entities_*", "entity_names", "link"]

Lemmatizer = Callable[[str, str], "str | None"]


class QueryError(ValueError):
    """A search request that cannot be run as given; the message tells the user what to change."""


@dataclass
class SearchParams:
    query: str = ""
    entity: str | None = None
    speaker: str | None = None
    feed: str | None = None
    lang: str | None = None
    since: str | None = None  # "2h", "30m", "7d"
    date_from: str | None = None  # ISO date or datetime
    date_to: str | None = None
    sort: Literal["newest", "relevance"] | None = None  # None: relevance with a query, else newest
    size: int = 10
    after: str | None = None  # cursor from a previous page (search_after)


# --- validation ------------------------------------------------------------------------------
def clean_text(value: str | None, limit: int = MAX_QUERY_CHARS, what: str = "query") -> str:
    """Whitespace-normalised text without control characters; QueryError when too long."""
    if not value:
        return ""
    value = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in value)
    value = " ".join(value.split())
    if len(value) > limit:
        raise QueryError(f"{what} is too long ({len(value)} characters, at most {limit})")
    return value


def parse_since(value: str) -> str:
    """'2h' -> 'now-2h' (date math); QueryError on anything else."""
    match = _SINCE.match(value or "")
    if not match:
        raise QueryError(f"--since {value!r}: expected a number and a unit s/m/h/d/w, e.g. 2h or 7d")
    amount, unit = int(match.group(1)), match.group(2).lower()
    if amount * _SINCE_MAX_SECONDS[unit] > 20 * 365 * 86400:
        raise QueryError(f"--since {value!r}: at most 20 years")
    return f"now-{amount}{unit}"


def parse_date(value: str, what: str) -> str:
    """An ISO date or datetime, returned in ISO form; QueryError otherwise."""
    text = (value or "").strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise QueryError(f"{what} {value!r}: expected a date like 2024-12-19 or 2024-12-19T08:30:00Z") from None


def page_size(size: int | None, cap: int) -> int:
    if size is None:
        return min(10, cap)
    if size < 1:
        raise QueryError("page size must be at least 1")
    return min(size, cap)


def encode_cursor(sort_values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(sort_values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise QueryError("invalid paging cursor (use the `next` value of the previous page)") from None
    if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
        raise QueryError("invalid paging cursor (use the `next` value of the previous page)")
    return values


# --- query building --------------------------------------------------------------------------
def is_plain(query: str) -> bool:
    """True for plain words (no operators): only those get a lemma clause."""
    return not _OPERATORS.search(query)


def _lang_fields(fields: list[str], languages: Sequence[str]) -> list[str]:
    extra = []
    for spec in fields:
        name, _, boost = spec.partition("^")
        if name in ("title", "summary", "text", "quotes.text"):
            extra += [f"{name}.{lang}" + (f"^{boost}" if boost else "") for lang in languages]
    return fields + extra


def text_query(query: str, fields: list[str], lemma_field: str | None = None,
               lemmatizer: Lemmatizer | None = None, lang: str | None = None,
               language_fields: Sequence[str] = (), lemma_languages: Sequence[str] = ("fr", "en")) -> dict[str, Any]:
    """The scoring clause for user text: simple_query_string, plus lemma matches for plain words."""
    main = {"simple_query_string": {
        "query": query,
        "fields": _lang_fields(list(fields), language_fields),
        "default_operator": "and",
        "flags": SAFE_FLAGS,
        "lenient": True,
        "analyze_wildcard": False,
        "auto_generate_synonyms_phrase_query": False,
    }}
    if not (lemma_field and lemmatizer and is_plain(query)):
        return main
    should: list[dict[str, Any]] = [main]
    seen: set[str] = set()
    for language in ([lang] if lang else list(lemma_languages)):
        lemmas = lemmatizer(query, language)
        if lemmas and lemmas not in seen:
            seen.add(lemmas)
            should.append({"match": {lemma_field: {"query": lemmas, "operator": "and"}}})
    # The accent-folded words as typed also go against `lemmas`: "bielorussie" finds "Biélorussie".
    folded = fold(query)
    if folded not in seen:
        should.append({"match": {lemma_field: {"query": folded, "operator": "and"}}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _name_match(field: str, name: str) -> dict[str, Any]:
    # All the words of the name: "Loukachenko" finds "Alexandre Loukachenko", not "Alexandre Dumas".
    return {"match": {field: {"query": name, "operator": "and"}}}


def article_filters(params: SearchParams) -> list[dict[str, Any]]:
    """Filter clauses (no scoring) for entity, speaker, feed, language and time."""
    filters: list[dict[str, Any]] = []
    entity = clean_text(params.entity, MAX_FILTER_CHARS, "entity")
    if entity:
        filters.append(_name_match("entity_names.text", entity))
    speaker = clean_text(params.speaker, MAX_FILTER_CHARS, "speaker")
    if speaker:
        filters.append(_name_match("speakers.text", speaker))
    feed = clean_text(params.feed, MAX_FILTER_CHARS, "feed")
    if feed:
        filters.append({"term": {"feed_id": feed}})
    lang = clean_text(params.lang, 10, "lang").lower()
    if lang:
        filters.append({"term": {"language": lang}})
    if params.since and (params.date_from or params.date_to):
        raise QueryError("use either --since or --from/--to, not both")
    span: dict[str, str] = {}
    if params.since:
        span["gte"] = parse_since(params.since)
    if params.date_from:
        span["gte"] = parse_date(params.date_from, "--from")
    if params.date_to:
        # A bare date as upper bound means the whole day.
        span["lte"] = parse_date(params.date_to, "--to") + ("||/d" if len(params.date_to.strip()) == 10 else "")
    if span:
        filters.append({"range": {"date": span}})
    return filters


def _sort(sort: str) -> list[Any]:
    if sort == "relevance":
        return [{"_score": "desc"}, {"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    return [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]


def build_search(params: SearchParams, max_page_size: int = 100, lemmatizer: Lemmatizer | None = None,
                 language_fields: Sequence[str] = ()) -> dict[str, Any]:
    """The body of an article search."""
    query = clean_text(params.query)
    sort = params.sort or ("relevance" if query else "newest")
    if sort not in ("newest", "relevance"):
        raise QueryError("sort must be 'newest' or 'relevance'")
    must = [text_query(query, TEXT_FIELDS, "lemmas", lemmatizer, clean_text(params.lang, 10).lower() or None,
                       language_fields)] if query else []
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": article_filters(params)}},
        "size": page_size(params.size, max_page_size),
        "sort": _sort(sort),
        "track_total_hits": True,
        "_source": {"excludes": SOURCE_EXCLUDES},
    }
    if query:
        fragment = {"fragment_size": 180, "number_of_fragments": 2, "no_match_size": 0}
        body["highlight"] = {
            "encoder": "html",  # the page shows highlights as HTML: escape the article's own markup
            "pre_tags": [HIGHLIGHT_TAGS[0]], "post_tags": [HIGHLIGHT_TAGS[1]],
            "max_analyzed_offset": 1_000_000,  # long texts: highlight their start instead of failing
            "fields": {"title": {"number_of_fragments": 0}, "summary": fragment, "text": fragment},
        }
    if params.after:
        body["search_after"] = decode_cursor(params.after)
    return body


def quote_clause(params: SearchParams, language_fields: Sequence[str] = ()) -> dict[str, Any]:
    """The query on one nested quote: its text and/or its speaker."""
    query = clean_text(params.query)
    must = [text_query(query, ["quotes.text"], language_fields=language_fields)] if query else []
    speaker = clean_text(params.speaker, MAX_FILTER_CHARS, "speaker")
    filters = [_name_match("quotes.speaker.text", speaker)] if speaker else []
    if not must and not filters:
        filters = [{"exists": {"field": "quotes.text"}}]
    return {"bool": {"must": must, "filter": filters}}


def build_quotes(params: SearchParams, max_page_size: int = 100,
                 language_fields: Sequence[str] = ()) -> dict[str, Any]:
    """Articles holding matching quotes, each with its matching quotes as inner hits."""
    inner = quote_clause(params, language_fields)
    article_params = SearchParams(feed=params.feed, lang=params.lang, since=params.since,
                                  date_from=params.date_from, date_to=params.date_to, entity=params.entity)
    size = page_size(params.size, max_page_size)
    body: dict[str, Any] = {
        "query": {"bool": {
            "must": [{"nested": {
                "path": "quotes", "query": inner, "score_mode": "max",
                "inner_hits": {"size": 100, "_source": True},
            }}],
            "filter": article_filters(article_params),
        }},
        "size": size,
        "sort": _sort(params.sort or "newest"),
        "track_total_hits": True,
        "_source": {"includes": ["id", "title", "url", "published_at", "first_seen_at", "date", "feed_id",
                                 "feed_name", "language"]},
        # How many quotes match in all, not only in this page's articles.
        "aggs": {"quotes": {"nested": {"path": "quotes"}, "aggs": {"matching": {"filter": inner}}}},
    }
    if params.after:
        body["search_after"] = decode_cursor(params.after)
    return body


def build_top_entities(hours: int, label: str | None = None, size: int = 10) -> dict[str, Any]:
    """Most mentioned entities (by number of articles) in the last `hours`, with an hourly series."""
    if not 1 <= hours <= 24 * 90:
        raise QueryError("hours must be between 1 and 2160")
    if label is not None and label.upper() not in ENTITY_LABELS:
        raise QueryError(f"label must be one of {', '.join(ENTITY_LABELS)}")
    labels = [label.upper()] if label else list(ENTITY_LABELS)
    interval = "1h" if hours <= 72 else "1d"
    series = {"date_histogram": {"field": "date", "fixed_interval": interval, "min_doc_count": 0,
                                 "extended_bounds": {"min": f"now-{hours}h", "max": "now"}}}
    return {
        "size": 0,
        "query": {"range": {"date": {"gte": f"now-{hours}h", "lte": "now"}}},
        "aggs": {lab: {"terms": {"field": entity_field(lab), "size": min(max(size, 1), 50)},
                       "aggs": {"series": series}} for lab in labels},
    }


# --- running ---------------------------------------------------------------------------------
_language_fields: dict[tuple[str, str], list[str]] = {}


def language_fields(es: Elasticsearch, settings: Settings) -> list[str]:
    """Languages with analyzer sub-fields in the live mapping (cached per cluster and alias)."""
    key = (settings.elasticsearch.url, settings.index_alias)
    if key not in _language_fields:
        try:
            mapping = es.indices.get_mapping(index=settings.index_alias)
        except NotFoundError:
            return []
        metas = [m["mappings"].get("_meta", {}) for m in mapping.body.values()]
        langs = [set(m.get("language_analyzers", [])) for m in metas]
        _language_fields[key] = sorted(set.intersection(*langs)) if langs else []
    return _language_fields[key]


def _default_lemmatizer() -> Lemmatizer:
    from pipeline.index.lemmatize import lemmatize

    return lemmatize


def _article_hit(hit: dict[str, Any]) -> dict[str, Any]:
    source = hit["_source"]
    highlight = hit.get("highlight", {})
    return {
        "id": hit["_id"],
        "title": source.get("title"),
        "url": source.get("url"),
        "feed_id": source.get("feed_id"),
        "feed_name": source.get("feed_name"),
        "language": source.get("language"),
        "published_at": source.get("published_at"),
        "first_seen_at": source.get("first_seen_at"),
        "summary": source.get("summary"),
        "score": hit.get("_score"),
        "highlights": {field: highlight[field] for field in ("title", "summary", "text") if field in highlight},
        "entities": source.get("entities", []),
        "quotes": source.get("quotes", []),
        "speakers": source.get("speakers", []),
    }


def _next_cursor(hits: list[dict[str, Any]], size: int) -> str | None:
    return encode_cursor(hits[-1]["sort"]) if len(hits) == size and hits and "sort" in hits[-1] else None


def search_articles(es: Elasticsearch, settings: Settings, params: SearchParams,
                    lemmatizer: Lemmatizer | None = None) -> dict[str, Any]:
    """{"total", "hits", "next"}: one page of articles; `next` is the cursor of the following page."""
    body = build_search(params, settings.api.max_page_size, lemmatizer or _default_lemmatizer(),
                        language_fields(es, settings))
    response = es.search(index=settings.index_alias, **body)
    hits = response["hits"]["hits"]
    return {"total": response["hits"]["total"]["value"], "hits": [_article_hit(h) for h in hits],
            "next": _next_cursor(hits, body["size"])}


def search_quotes(es: Elasticsearch, settings: Settings, params: SearchParams) -> dict[str, Any]:
    """{"total", "hits", "next"}: matching quotations with their article's title, URL and time."""
    body = build_quotes(params, settings.api.max_page_size, language_fields(es, settings))
    response = es.search(index=settings.index_alias, **body)
    quotes = []
    for hit in response["hits"]["hits"]:
        article = hit["_source"]
        for inner in hit["inner_hits"]["quotes"]["hits"]["hits"]:
            quote = inner["_source"]
            quotes.append({
                "text": quote.get("text"), "speaker": quote.get("speaker"), "cue": quote.get("cue"),
                "start": quote.get("start"), "end": quote.get("end"),
                "title": article.get("title"), "url": article.get("url"),
                "published_at": article.get("published_at") or article.get("date"),
                "article_id": hit["_id"], "feed_id": article.get("feed_id"),
            })
    total = response["aggregations"]["quotes"]["matching"]["doc_count"]
    return {"total": total, "hits": quotes[: body["size"]],
            "next": _next_cursor(response["hits"]["hits"], body["size"])}


def top_entities(es: Elasticsearch, settings: Settings, hours: int = 24, label: str | None = None,
                 size: int = 10) -> dict[str, Any]:
    """{"hours", "interval", "entities": [{"text", "label", "count", "series": [[iso, n], ...]}]}."""
    body = build_top_entities(hours, label, size)
    response = es.search(index=settings.index_alias, **body)
    entities = []
    for lab, agg in response["aggregations"].items():
        for bucket in agg["buckets"]:
            series = [[b["key_as_string"], b["doc_count"]] for b in bucket["series"]["buckets"]]
            entities.append({"text": bucket["key"], "label": lab, "count": bucket["doc_count"], "series": series})
    entities.sort(key=lambda e: (-e["count"], e["text"]))
    interval = body["aggs"][next(iter(body["aggs"]))]["aggs"]["series"]["date_histogram"]["fixed_interval"]
    return {"hours": hours, "interval": interval, "entities": entities[: max(size, 1)]}


def get_article(es: Elasticsearch, settings: Settings, article_id: str) -> dict[str, Any] | None:
    """The stored article (without its lemmas), or None."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", article_id or ""):
        return None
    try:
        found = es.get(index=settings.index_alias, id=article_id, source_excludes=["lemmas"])
    except NotFoundError:
        return None
    return found["_source"]
