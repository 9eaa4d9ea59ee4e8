"""`depeche enrich`, `depeche evaluate` and `depeche train-ranker`: the NLP core from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.enrich.evaluate import GoldDoc

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


def _read_gold(command: str, files: list[str], splits: list[str] | None,
               excluded: list[str] | None = None) -> list[GoldDoc] | None:
    """The gold articles of `files` (default: the shipped sets) in `splits`, or None after
    printing why not."""
    from pipeline.enrich.evaluate import load_gold

    paths = [Path(p) for p in files] if files else sorted(GOLD_DIR.glob("*.json"))
    docs = []
    for path in paths:
        try:
            docs.extend(load_gold(path))
        except (OSError, ValueError, KeyError) as exc:
            print(f"depeche {command}: cannot read gold file {path}: {exc}", file=sys.stderr)
            return None
    if splits:
        docs = [d for d in docs if d.split in splits]
    if excluded:
        docs = [d for d in docs if d.split not in excluded]
    if not docs:
        print(f"depeche {command}: no gold article left after the split filters", file=sys.stderr)
        return None
    return docs


def _evaluate(args: argparse.Namespace) -> int:
    from pipeline.enrich import ranking
    from pipeline.enrich.evaluate import evaluate, format_table

    docs = _read_gold("evaluate", args.gold, args.split)
    if docs is None:
        return 2
    ranking.set_enabled(not args.no_ranker)
    try:
        table = evaluate(docs)
    finally:
        ranking.set_enabled(True)
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


def _train_ranker(args: argparse.Namespace) -> int:
    try:
        import sklearn  # noqa: F401  (training only: checked here for a clear message)

        from pipeline.enrich import ranker_training
    except ImportError:
        print("depeche train-ranker: scikit-learn is missing; install the training extra: "
              "pip install -e '.[train]'", file=sys.stderr)
        return 2
    docs = _read_gold("train-ranker", args.gold, args.split, args.exclude_split)
    if docs is None:
        return 2
    splits = sorted({d.split for d in docs})
    print(f"parsing {len(docs)} gold articles (splits: {', '.join(splits)}) …", file=sys.stderr)
    examples = ranker_training.extract_examples(docs)
    usable = sum(ex.gold is not None for ex in examples)
    print(f"{len(examples)} matched quotations, {usable} with the gold speaker among the candidates",
          file=sys.stderr)
    if args.cross_validate:
        report = ranker_training.cross_validate(examples, folds=args.cross_validate, c=args.c)
        for lang, r in report.items():
            print(f"{lang}: {r['quotes']} quotations with a named speaker, held-out folds: "
                  f"rules {r['rules']:.3f}, ranker {r['ranker']:.3f}")
        return 0
    model = ranker_training.train(examples, c=args.c, path=Path(args.output), splits=splits)
    for lang, info in model["trained_on"].items():
        print(f"{lang}: trained on {info['articles']} articles, {info['quotes']} quotations", file=sys.stderr)
    print(f"wrote {args.output}")
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
    e.add_argument("--no-ranker", action="store_true",
                   help="score the attribution rules alone, without the learned speaker ranker")
    e.set_defaults(func=_evaluate)

    from pipeline.enrich.ranking import MODEL_PATH

    t = subparsers.add_parser(
        "train-ranker", help="train the speaker ranker on the gold articles (needs the [train] extra)",
        description="Fit the learned speaker ranker on gold articles and write its weights. Leave "
        "held-out splits out with --exclude-split so that they still measure something.",
    )
    t.add_argument("gold", nargs="*", help="gold JSON files (default: tests/data/gold/*.json)")
    t.add_argument("--split", action="append", metavar="NAME", help="only this split; repeat for several")
    t.add_argument("--exclude-split", action="append", metavar="NAME",
                   help="leave this split out (a held-out test set); repeat for several")
    t.add_argument("--cross-validate", type=int, metavar="K", default=0,
                   help="print K-fold accuracy (rules vs ranker, folds by article) instead of writing")
    t.add_argument("--c", type=float, default=10.0, help="inverse regularisation strength (default: 10)")
    t.add_argument("--output", default=str(MODEL_PATH), help=f"weights file (default: {MODEL_PATH.name})")
    t.set_defaults(func=_train_ranker)


def main_evaluate(argv: list[str]) -> int:
    """Entry point for bench/eval_quotes.py: the `evaluate` sub-command on its own."""
    parser = argparse.ArgumentParser(prog="eval_quotes")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["evaluate", *argv])
    return int(args.func(args))
