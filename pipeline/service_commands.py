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


def register(sub: argparse._SubParsersAction) -> None:
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
