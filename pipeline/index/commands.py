"""`depeche search`, `depeche quotes` and `depeche index setup|reindex|run`."""

from __future__ import annotations

import argparse
import html
import json
import signal
import sys
import threading
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from pipeline.index.search import QueryError, SearchParams


def register(subparsers: Any) -> None:
    """Add the index and search sub-commands to the `depeche` parser."""
    search = subparsers.add_parser("search", help="search indexed articles",
                                   description="Full-text search with filters; newest or most relevant first.")
    search.add_argument("query", nargs="?", default="", help="words, \"a phrase\", -excluded, a | b")
    _filters(search)
    search.add_argument("--sort", choices=["newest", "relevance"], default=None,
                        help="default: relevance with a query, newest without")
    search.set_defaults(func=_search)

    quotes = subparsers.add_parser("quotes", help="list quotations (who said what)")
    quotes.add_argument("query", nargs="?", default="", help="words in the quotation")
    _filters(quotes)
    quotes.set_defaults(func=_quotes)

    index = subparsers.add_parser("index", help="Elasticsearch index: setup, reindex, run the indexer")
    index.add_argument("action", choices=["setup", "reindex", "run"],
                       help="setup: template + index + alias; reindex: copy into a new version and swap "
                       "the alias (no downtime); run: the indexer in the foreground")
    index.add_argument("--delete-old", action="store_true", help="reindex: delete the previous index after")
    index.set_defaults(func=_index)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--entity", help="articles mentioning this person/organisation/place")
    parser.add_argument("--speaker", help="quoted speaker, e.g. \"Alexandre Loukachenko\"")
    parser.add_argument("--feed", help="feed id")
    parser.add_argument("--lang", help="language code, e.g. fr")
    parser.add_argument("--since", help="only the last 30m, 2h, 7d...")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="from this date (2024-12-19)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="up to this date (inclusive)")
    parser.add_argument("--limit", type=int, default=10, help="number of results (capped by api.max_page_size)")
    parser.add_argument("--json", action="store_true", help='print {"total": N, "hits": [...]}')


def _params(args: argparse.Namespace) -> SearchParams:
    return SearchParams(query=args.query or "", entity=args.entity, speaker=args.speaker, feed=args.feed,
                        lang=args.lang, since=args.since, date_from=args.date_from, date_to=args.date_to,
                        sort=getattr(args, "sort", None), size=args.limit)


def _run_query(args: argparse.Namespace, run: Any) -> int:
    from pipeline.cli import settings_from
    from pipeline.index.client import make_client

    settings = settings_from(args)
    es = make_client(settings)
    try:
        result = run(es, settings, _params(args))
    except QueryError as exc:
        print(f"depeche {args.command}: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        if exc.meta.status == 404:
            print(f"depeche {args.command}: no index {settings.index_alias} yet "
                  "(run `depeche index setup` or start the indexer)", file=sys.stderr)
        else:
            print(f"depeche {args.command}: Elasticsearch refused the query: {exc.message}", file=sys.stderr)
        return 1
    except TransportError as exc:
        print(f"depeche {args.command}: cannot reach Elasticsearch at {settings.elasticsearch.url}: {exc}",
              file=sys.stderr)
        return 1
    finally:
        es.close()
    if args.json:
        print(json.dumps({"total": result["total"], "hits": result["hits"]}, ensure_ascii=False, indent=2))
    return result


def _marks(text: str) -> str:
    """Highlight tags to terminal bold (or brackets when piped), HTML entities back to text."""
    bold, plain = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")
    return html.unescape(text.replace("<mark>", bold).replace("</mark>", plain))


def _search(args: argparse.Namespace) -> int:
    from pipeline.index.search import search_articles

    result = _run_query(args, search_articles)
    if isinstance(result, int):
        return result
    if args.json:
        return 0
    print(f"{result['total']} article(s)")
    for hit in result["hits"]:
        title = _marks(hit["highlights"]["title"][0]) if hit["highlights"].get("title") else hit["title"]
        when = (hit.get("published_at") or hit.get("first_seen_at") or "")[:16].replace("T", " ")
        print(f"\n{when}  {hit.get('feed_name') or hit.get('feed_id')}  [{hit.get('language') or '?'}]")
        print(f"  {title}")
        print(f"  {hit['url']}")
        snippets = hit["highlights"].get("text") or hit["highlights"].get("summary") or []
        for snippet in snippets:
            print(f"  … {_marks(snippet)} …")
        people = [e["text"] for e in hit.get("entities", []) if e.get("label") == "PER"][:5]
        if people:
            print(f"  people: {', '.join(people)}")
    return 0


def _quotes(args: argparse.Namespace) -> int:
    from pipeline.index.search import search_quotes

    result = _run_query(args, search_quotes)
    if isinstance(result, int):
        return result
    if args.json:
        return 0
    print(f"{result['total']} quotation(s)")
    for hit in result["hits"]:
        when = (hit.get("published_at") or "")[:16].replace("T", " ")
        print(f"\n« {hit['text']} »")
        print(f"  — {hit.get('speaker') or 'unknown speaker'}, {hit.get('title')} ({when})")
        print(f"  {hit.get('url')}")
    return 0


def _index(args: argparse.Namespace) -> int:
    from pipeline.cli import settings_from
    from pipeline.index.client import make_client

    settings = settings_from(args)
    if args.action == "run":
        from pipeline.index.writer import Indexer

        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        Indexer(settings).run(stop)
        return 0

    from pipeline.index import setup as index_setup

    es = make_client(settings, request_timeout=120)
    try:
        if args.action == "setup":
            result = index_setup.setup(es, settings)
            state = "created" if result.created else "already there"
            langs = ", ".join(result.languages) or "none (lemmas only)"
            print(f"template {result.template}; index {result.index} {state}; alias {settings.index_alias}; "
                  f"language analyzers: {langs}")
        else:
            old, new = index_setup.reindex(es, settings, delete_old=args.delete_old)
            print(f"reindexed {old} -> {new}; alias {settings.index_alias} now points to {new}")
    except (ApiError, TransportError, RuntimeError) as exc:
        print(f"depeche index {args.action}: {exc}", file=sys.stderr)
        return 1
    finally:
        es.close()
    return 0
