"""`depeche enrich` and `depeche evaluate`: the NLP core from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Gold sets shipped with the repository (tests and CI use these, not ../shared).
GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "gold"


def _enrich(args: argparse.Namespace) -> int:
    from pipeline.enrich.analyse import enrich_document

    try:
        if args.file in (None, "-"):
            raw = sys.stdin.read()
        else:
            raw = Path(args.file).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"depeche enrich: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    result = enrich_document(raw, args.lang)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline.enrich.evaluate import evaluate, format_table, load_gold

    paths = [Path(p) for p in args.gold] if args.gold else sorted(GOLD_DIR.glob("*.json"))
    docs = []
    for path in paths:
        try:
            docs.extend(load_gold(path))
        except (OSError, ValueError, KeyError) as exc:
            print(f"depeche evaluate: cannot read gold file {path}: {exc}", file=sys.stderr)
            return 2
    if args.split:
        docs = [d for d in docs if d.split in args.split]
        if not docs:
            print(f"depeche evaluate: no gold article in split(s) {', '.join(args.split)}", file=sys.stderr)
            return 2
    table = evaluate(docs)
    if args.json:
        out = [{"gold_set": k[0], "split": k[1], "lang": k[2], **s.as_dict()} for k, s in sorted(table.items())]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_table(table))
    if args.errors:
        seen = set()
        for key, s in sorted(table.items()):
            if key[0] == "all":
                continue
            for err in s.errors:
                if err not in seen:
                    seen.add(err)
                    print(err, file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `enrich` and `evaluate` to the `depeche` command line."""
    p = subparsers.add_parser(
        "enrich", help="print language, entities and attributed quotations of one article as JSON",
        description="Read one article (HTML if it starts with '<', else plain text) from FILE or stdin "
        "and print {language, entities, quotes} as JSON; quote offsets refer to the extracted text.",
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="article file, or - for stdin")
    p.add_argument("--lang", choices=["fr", "en"], default=None, help="language hint (default: detect)")
    p.set_defaults(func=_enrich)

    e = subparsers.add_parser(
        "evaluate", help="score quotations, speakers and entities on annotated gold articles",
        description="Score the enrichment NLP on gold files (default: the sets in tests/data/gold) and "
        "print precision, recall, F1 and speaker accuracy per gold set, split and language.",
    )
    e.add_argument("gold", nargs="*", help="gold JSON files (default: tests/data/gold/*.json)")
    e.add_argument("--split", action="append", metavar="NAME",
                   help="only the documents of this split (dev, test, test2, …); repeat for several")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--errors", action="store_true", help="list misses, spurious quotes and wrong speakers on stderr")
    e.set_defaults(func=_evaluate)


def main_evaluate(argv: list[str]) -> int:
    """Entry point for bench/eval_quotes.py: the `evaluate` sub-command on its own."""
    parser = argparse.ArgumentParser(prog="eval_quotes")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["evaluate", *argv])
    return int(args.func(args))
