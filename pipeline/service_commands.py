"""`depeche run`, `depeche status` and `depeche demo`."""

from __future__ import annotations

import argparse
import json
import sys


def _run(args: argparse.Namespace) -> int:
    from pipeline.cli import settings_from
    from pipeline.service import Supervisor, parse_stages

    settings = settings_from(args)
    try:
        stages = parse_stages(args.stages)
    except ValueError as exc:
        print(f"depeche run: {exc}", file=sys.stderr)
        return 2
    return Supervisor(settings, stages, log_level=args.log_level or settings.log_level).run()


def _status(args: argparse.Namespace) -> int:
    from pipeline.cli import settings_from
    from pipeline.status import collect, format_report

    report = collect(settings_from(args))
    print(json.dumps(report, indent=2, default=str) if args.json else format_report(report))
    return 0


def _demo(args: argparse.Namespace) -> int:
    import threading

    from pipeline import stack
    from pipeline.config import config_path, load_settings
    from pipeline.demo import FeedServer, bundled_articles, wait_for_documents, write_demo_config
    from pipeline.service import STAGES, Supervisor

    base_file = config_path(getattr(args, "config", None))
    base = load_settings(base_file)
    stack.up(base)
    articles = bundled_articles()
    server = FeedServer(articles).start()
    demo_file = write_demo_config(base.stack_data_dir.parent / "demo", server, base_file)
    settings = load_settings(demo_file)
    cli = f".venv/bin/depeche --config {demo_file}"
    print(f"""
depeche demo: {len(articles)} real sample articles published as local feeds at {server.base_url}/feeds/
  namespace '{settings.namespace}' (topics {settings.topic_raw}..., index {settings.index_alias})
  while it runs, try:
    {cli} search Loukachenko
    {cli} quotes --speaker "Alexandre Loukachenko"
    {cli} status
    open http://{settings.api.host}:{settings.api.port}/  (search page)
  Ctrl-C stops it.
""", flush=True)
    supervisor = Supervisor(settings, list(STAGES), log_level=args.log_level or "WARNING")

    def progress() -> None:
        last = [-1]

        def show(count: int) -> None:
            if count != last[0]:
                last[0] = count
                print(f"[demo] {count}/{len(articles)} articles searchable", flush=True)

        done = wait_for_documents(settings, len(articles), timeout=600, progress=show)
        if done >= len(articles):
            print(f"[demo] all {done} articles are searchable: try the commands above", flush=True)
        if args.exit_when_done:
            supervisor.stopping.set()

    threading.Thread(target=progress, daemon=True).start()
    try:
        return supervisor.run()
    finally:
        server.stop()


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo", help="the whole pipeline on bundled sample articles, no internet needed",
        description="Start the local stack if needed, publish bundled real articles as local feeds, "
        "run every stage on them (namespace 'demo') and print how to search.",
    )
    demo.add_argument("--exit-when-done", action="store_true",
                      help="stop once every sample article is searchable (for scripts and tests)")
    demo.set_defaults(func=_demo)

    run = sub.add_parser(
        "run", help="run the pipeline stages as a background service",
        description="Run the chosen stages as supervised processes (restarted with backoff if they "
        "crash). SIGTERM or Ctrl-C drains in-flight batches, commits offsets and exits. "
        "Run `--stages enrich` on more machines to scale: they join the same consumer group.",
    )
    run.add_argument("--stages", default="poll,enrich,index,api",
                     help="comma-separated stages among poll,enrich,index,api (default: all)")
    run.set_defaults(func=_run)

    status = sub.add_parser("status", help="stages, consumer lag, feed health, index size, latency")
    status.add_argument("--json", action="store_true", help="print the report as JSON")
    status.set_defaults(func=_status)
