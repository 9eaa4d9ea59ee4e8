"""`depeche feeds list|add|remove|check|import-opml|export-opml` and `depeche poll [--once]`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
import time
from pathlib import Path


def _settings(args: argparse.Namespace):
    from pipeline.cli import settings_from  # here, not at import time: cli imports this module

    return settings_from(args)


def _feeds_path(args: argparse.Namespace) -> Path:
    return Path(args.feeds_file) if getattr(args, "feeds_file", None) else _settings(args).feeds_path


def _ago(epoch: float | None) -> str:
    if not epoch:
        return "-"
    seconds = max(0, time.time() - epoch)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return f"{int(seconds)}s ago"


def _list(args: argparse.Namespace) -> int:
    from pipeline.feedlist import load_feed_list
    from pipeline.feeds.state import load_all_states

    settings = _settings(args)
    feeds = load_feed_list(_feeds_path(args))
    try:
        states = load_all_states(settings)
        note = ""
    except Exception as exc:  # noqa: BLE001 - show the list even without Kafka
        states, note = {}, f"(health unknown: Kafka not reachable: {type(exc).__name__}: {exc})"
    rows = [("ID", "ENABLED", "LANG", "LAST OK", "LAST ERROR", "STREAK", "ITEMS", "URL")]
    for feed in feeds.feeds:
        st = states.get(feed.id)
        enabled = "yes" if feed.enabled else "no"
        if st and st.disabled:
            enabled = "DISABLED"
        error = "-"
        if st and st.last_error and (st.error_streak or st.disabled):
            error = f"{_ago(st.last_error_at)}: {st.last_error}"[:70]
        rows.append((feed.id, enabled, feed.language or "-", _ago(st.last_success if st else None), error,
                     str(st.error_streak) if st else "-", str(st.items_seen) if st else "-", feed.url))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
    disabled = [f.id for f in feeds.feeds if (s := states.get(f.id)) and s.disabled]
    for fid in disabled:
        print(f"\n{fid}: {states[fid].disabled}")
    print(f"\n{len(feeds.feeds)} feeds, {len(feeds.enabled())} enabled, {len(disabled)} disabled by the server "
          f"{note}".rstrip())
    return 0


def _add(args: argparse.Namespace) -> int:
    from pipeline.feedlist import id_from_url, load_feed_list, save_feed_list, with_feed

    path = _feeds_path(args)
    feeds = load_feed_list(path)
    feed_id = args.id or id_from_url(args.url, set(feeds.by_id()))
    tags = [t.strip() for t in args.tags.split(",") if t.strip()] if args.tags else None
    updated = with_feed(feeds, {"id": feed_id, "url": args.url, "name": args.name,
                                "language": args.language, "tags": tags})
    save_feed_list(updated, path)
    print(f"added {feed_id} -> {args.url} ({path}); a running poller picks it up within seconds")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from pipeline.feedlist import load_feed_list, save_feed_list, without_feed

    path = _feeds_path(args)
    save_feed_list(without_feed(load_feed_list(path), args.id), path)
    print(f"removed {args.id} ({path})")
    return 0


def _check(args: argparse.Namespace) -> int:
    from pipeline.feeds.fetch import Fetcher
    from pipeline.feeds.parse import FeedError, parse_feed

    settings = _settings(args)

    async def fetch():
        fetcher = Fetcher(settings.fetch)
        try:
            return await fetcher.fetch(args.url)
        finally:
            await fetcher.aclose()

    result = asyncio.run(fetch())
    print(f"{args.url}: HTTP {result.status or '-'} in {result.elapsed:.2f}s, {len(result.body)} bytes"
          + (f", final URL {result.final_url}" if result.final_url != args.url else ""))
    if result.error:
        print(f"error ({result.error_kind}): {result.error}")
        return 1
    try:
        parsed = parse_feed(result.body, "check", result.final_url, result.headers)
    except FeedError as exc:
        print(f"not usable: {exc}")
        return 1
    print(f"format {parsed.version or '?'}, title {parsed.title!r}, language {parsed.language or '-'}, "
          f"{len(parsed.articles)} articles, {len(parsed.skipped)} entries skipped")
    if parsed.bozo:
        print(f"problem (entries still usable): {parsed.bozo}")
    for reason in parsed.skipped:
        print(f"  skipped: {reason}")
    for article in parsed.articles[: args.show]:
        print(f"  {article.published_at or '(no date)':<20}  {article.title[:70]!r}  {article.url}")
    return 0


def _import_opml(args: argparse.Namespace) -> int:
    from pipeline.config import ConfigError
    from pipeline.feedlist import id_from_url, load_feed_list, opml_feeds, save_feed_list, with_feed

    path = _feeds_path(args)
    feeds = load_feed_list(path)
    source = Path(args.file)
    found = opml_feeds(source.read_bytes(), str(source))
    added = skipped = 0
    for item in found:
        if any(f.url == item["url"] for f in feeds.feeds):
            skipped += 1
            continue
        entry = {**item, "id": id_from_url(item["url"], set(feeds.by_id()))}
        try:
            feeds = with_feed(feeds, entry)
            added += 1
        except ConfigError as exc:
            print(f"skipped {item['url']}: {exc}", file=sys.stderr)
            skipped += 1
    save_feed_list(feeds, path)
    print(f"imported {added} feeds from {source} into {path} ({skipped} skipped: already there or invalid)")
    return 0


def _export_opml(args: argparse.Namespace) -> int:
    from pipeline.feedlist import load_feed_list, to_opml

    text = to_opml(load_feed_list(_feeds_path(args)))
    if args.output and args.output != "-":
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _poll(args: argparse.Namespace) -> int:
    from pipeline.feeds.poller import Poller, parse_shard

    settings = _settings(args)
    shard = parse_shard(args.shard) if args.shard else None
    poller = Poller(settings, feeds_path=getattr(args, "feeds_file", None), shard=shard)
    if args.once:
        with poller:
            outcomes = poller.poll_once(args.feed or None)
        failed = 0
        for fid, o in sorted(outcomes.items()):
            detail = o.error or f"{o.new} new, {o.updated} updated"
            print(f"{fid:<30} {o.outcome:<13} {o.status or '-':<4} {detail}")
            failed += o.outcome in ("error", "disabled")
        print(f"{len(outcomes)} feeds polled, {sum(o.new for o in outcomes.values())} new articles, {failed} failing")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    poller.run(stop)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `feeds` and `poll` to the `depeche` command."""
    feeds = subparsers.add_parser("feeds", help="the feed list and each feed's health")
    feeds.add_argument("--feeds-file", help="feed list to use (default: feeds_file of the settings)")
    actions = feeds.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="feeds with their health: last success, last error, streak, items")
    p.set_defaults(func=_list)

    p = actions.add_parser("add", help="add a feed to the feed list")
    p.add_argument("url")
    p.add_argument("--id", help="feed id (default: derived from the URL)")
    p.add_argument("--name")
    p.add_argument("--language", help="language hint, e.g. fr or en")
    p.add_argument("--tags", help="comma-separated tags")
    p.set_defaults(func=_add)

    p = actions.add_parser("remove", help="remove a feed from the feed list")
    p.add_argument("id")
    p.set_defaults(func=_remove)

    p = actions.add_parser("check", help="fetch and parse one URL now and show what it holds")
    p.add_argument("url")
    p.add_argument("--show", type=int, default=10, help="articles to print (default 10)")
    p.set_defaults(func=_check)

    p = actions.add_parser("import-opml", help="add the feeds of an OPML file (those not there yet)")
    p.add_argument("file")
    p.set_defaults(func=_import_opml)

    p = actions.add_parser("export-opml", help="write the feed list as OPML")
    p.add_argument("-o", "--output", help="file (default: standard output)")
    p.set_defaults(func=_export_opml)

    poll = subparsers.add_parser("poll", help="run the feed poller in the foreground")
    poll.add_argument("--once", action="store_true", help="poll every feed once and exit")
    poll.add_argument("--feed", action="append", help="with --once: only this feed id (repeatable)")
    poll.add_argument("--shard", help="I/N: poll only the feeds of shard I out of N (by hash of id)")
    poll.add_argument("--feeds-file", help="feed list to use (default: feeds_file of the settings)")
    poll.set_defaults(func=_poll)
