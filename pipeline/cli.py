"""`depeche …` commands. Each stage package adds its own sub-commands through `register()`."""

from __future__ import annotations

import argparse
import importlib
import sys

from pipeline import stack
from pipeline.config import ConfigError, Settings, load_settings
from pipeline.logs import setup_logging

# Packages that contribute sub-commands: each has a `commands` module with `register(subparsers)`.
COMMAND_MODULES = [
    "pipeline.feeds.commands",
    "pipeline.enrich.commands",
    "pipeline.index.commands",
    "pipeline.service_commands",
]


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings chosen by --config / $DEPECHE_CONFIG (exits with the error on a bad file)."""
    return load_settings(getattr(args, "config", None))


def _stack(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.action == "up":
        stack.up(settings, timeout=args.timeout)
        print(stack.format_status(stack.status(settings)))
    elif args.action == "down":
        stack.down(settings)
    else:
        rows = stack.status(settings)
        print(stack.format_status(rows))
        return 0 if all(row.healthy for row in rows) else 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="depeche",
        description="Streaming news ingestion: RSS/Atom feeds -> Kafka -> entities and quotations "
        "-> Elasticsearch.",
    )
    parser.add_argument(
        "--config", metavar="PATH",
        help="settings file (default: $DEPECHE_CONFIG, else config/depeche.yaml in the checkout)",
    )
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING or ERROR (default: settings)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    stack_parser = sub.add_parser(
        "stack", help="single-machine Kafka + Elasticsearch for development, CI and demos",
        description="Start, stop or inspect the local Kafka + Elasticsearch (downloaded with Maven, "
        "cached). Production points depeche at existing clusters through the settings instead.",
    )
    stack_parser.add_argument("action", choices=["up", "down", "status"])
    stack_parser.add_argument("--timeout", type=float, default=180.0,
                              help="seconds `up` waits for both engines to answer (default 180)")
    stack_parser.set_defaults(func=_stack)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # that stage has no commands yet
        module.register(sub)
    return parser


def _hoist_global_options(argv: list[str]) -> list[str]:
    """Accept `--config`/`--log-level` anywhere (`depeche run --config P` as well as before the command)."""
    hoisted: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in ("--config", "--log-level"):
            if "=" in arg:
                hoisted.append(arg)
            elif i + 1 < len(argv):
                hoisted += [arg, argv[i + 1]]
                i += 1
            else:
                rest.append(arg)  # let argparse report the missing value
        else:
            rest.append(arg)
        i += 1
    return hoisted + rest


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_hoist_global_options(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    setup_logging(args.log_level or "INFO")
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"depeche: configuration error: {exc}", file=sys.stderr)
        return 2
    except stack.StackError as exc:
        print(f"depeche stack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
