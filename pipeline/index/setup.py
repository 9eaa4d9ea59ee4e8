"""Create the template, the first versioned index and its alias; reindex behind the alias.

Readers and the indexer only ever use the alias. A reindex builds `<alias>-v<N+1>` from the
current template, copies the documents, swaps the alias in one atomic `_aliases` call, then
copies again whatever was written to the old index meanwhile, so no search ever sees an empty
index and no write is lost.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from elasticsearch import Elasticsearch, NotFoundError, helpers

from pipeline.config import Settings
from pipeline.index.mapping import detect_language_analyzers, template_body

log = logging.getLogger(__name__)


@dataclass
class SetupResult:
    template: str
    index: str
    created: bool
    languages: list[str]


def concrete_index(settings: Settings, version: int) -> str:
    return f"{settings.index_alias}-v{version}"


def current_index(es: Elasticsearch, settings: Settings) -> str | None:
    """The concrete index the alias points to (the write index when there are several)."""
    try:
        aliases = es.indices.get_alias(name=settings.index_alias)
    except NotFoundError:
        return None
    names = list(aliases.body)
    for name in names:
        if aliases[name]["aliases"][settings.index_alias].get("is_write_index"):
            return name
    return sorted(names, key=_version)[-1] if names else None


def _version(index: str) -> int:
    match = re.search(r"-v(\d+)$", index)
    return int(match.group(1)) if match else 0


def put_template(es: Elasticsearch, settings: Settings) -> list[str]:
    """Create or update the index template; return the language analyzers it uses."""
    languages = detect_language_analyzers(es)
    es.indices.put_index_template(name=settings.index_template, **template_body(settings, languages))
    return languages


def setup(es: Elasticsearch, settings: Settings) -> SetupResult:
    """Idempotent: template (always refreshed), then `<alias>-v1` + alias if there is no alias yet."""
    languages = put_template(es, settings)
    existing = current_index(es, settings)
    if existing:
        return SetupResult(settings.index_template, existing, False, languages)
    index = concrete_index(settings, 1)
    try:
        es.indices.create(index=index, aliases={settings.index_alias: {"is_write_index": True}})
    except Exception as exc:  # another process created it first: fine if the alias is there now
        if current_index(es, settings) is None:
            raise
        log.info("index created concurrently", extra={"index": index, "error": str(exc)})
    log.info("index ready", extra={"index": index, "alias": settings.index_alias})
    return SetupResult(settings.index_template, index, True, languages)


def reindex(es: Elasticsearch, settings: Settings, delete_old: bool = False) -> tuple[str, str]:
    """Copy the alias's index into a new version built from the current template, then swap.

    Returns (old index, new index). The old index is kept unless `delete_old` (a way back).
    """
    put_template(es, settings)
    old = current_index(es, settings)
    if old is None:
        raise RuntimeError(f"alias {settings.index_alias} does not exist; run `depeche index setup` first")
    new = concrete_index(settings, _version(old) + 1)
    # A leftover of an interrupted reindex is not behind the alias: start it over.
    es.options(ignore_status=404).indices.delete(index=new)
    es.indices.create(index=new, settings={"refresh_interval": "-1"})  # bulk copy: refresh at the end
    started = time.time()
    copied = _copy(es, old, new)
    es.indices.put_settings(index=new, settings={"refresh_interval": settings.elasticsearch.refresh_interval})
    es.indices.refresh(index=new)
    # One atomic call: the alias never points to nothing, and writes switch to the new index.
    es.indices.update_aliases(actions=[
        {"add": {"index": new, "alias": settings.index_alias, "is_write_index": True}},
        {"remove": {"index": old, "alias": settings.index_alias}},
    ])
    # Documents the indexer wrote to the old index during the copy (same _id, so replays are harmless).
    es.indices.refresh(index=old)
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started - 5))
    caught_up = _copy(es, old, new, {"query": {"range": {"indexed_at": {"gte": since}}}})
    es.indices.refresh(index=new)
    log.info("reindexed", extra={"old": old, "new": new, "copied": copied, "caught_up": caught_up})
    if delete_old:
        es.indices.delete(index=old)
    return old, new


def _copy(es: Elasticsearch, source: str, target: str, query: dict | None = None) -> int:
    """Copy documents with scroll + bulk from the client. The `_reindex` API lives in the `reindex`
    module, which the minimal local distribution lacks (and helpers.reindex probes data streams,
    which it lacks too); this works on every cluster."""
    hits = helpers.scan(es, index=source, query=query, scroll="5m", size=500, preserve_order=False)
    actions = ({"_index": target, "_id": hit["_id"], "_source": hit["_source"]} for hit in hits)
    copied, _errors = helpers.bulk(es, actions, chunk_size=500, max_retries=5, initial_backoff=1)
    return copied


def teardown(es: Elasticsearch, settings: Settings) -> None:
    """Delete every index of this namespace and its template (tests, benchmarks)."""
    # Wildcard deletes are refused by default (action.destructive_requires_name): name them.
    found = es.options(ignore_status=404).indices.get(index=f"{settings.index_alias}-v*",
                                                      expand_wildcards="all")
    names = [name for name in found.body if not name.startswith("error")] if found.meta.status == 200 else []
    if names:
        es.options(ignore_status=404).indices.delete(index=",".join(names))
    es.options(ignore_status=404).indices.delete_index_template(name=settings.index_template)
