"""How stable the gold speakers are: a second, independent reading against the first.

A second annotator was given only the articles of a gold file and the list of its quotations,
and named each speaker again (tests/data/agreement/<gold>.second.json, one list of speakers per
article). This prints, per language, how often the second reading agrees with the gold on the
quotations the scorer counts (those with a named gold speaker), and how the system scores
against each reading on the quotations it found.

    .venv/bin/python bench/gold_agreement.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.enrich.analyse import analyse_texts  # noqa: E402
from pipeline.enrich.evaluate import load_gold, quotes_match, same_speaker  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"
SECOND = ROOT / "tests" / "data" / "agreement"


def agree(a: str | None, b: str | None) -> bool:
    """Same speaker, or both null."""
    if not a or not b:
        return not a and not b
    return same_speaker(a, b)


def main() -> None:
    # per language: [second agrees with gold, gold named] and system counts on found quotations
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for second_path in sorted(SECOND.glob("*.second.json")):
        gold_docs = load_gold(GOLD / second_path.name.replace(".second", ""))
        second = {entry["id"]: entry["speakers"] for entry in json.loads(second_path.read_text(encoding="utf-8"))}
        analyses = analyse_texts([(d.text, d.lang) for d in gold_docs])
        for doc, analysis in zip(gold_docs, analyses, strict=True):
            speakers = second[doc.id]
            if len(speakers) != len(doc.quotes):
                raise SystemExit(f"{second_path.name}: {doc.id} has {len(speakers)} speakers "
                                 f"for {len(doc.quotes)} quotations")
            c = counts[doc.lang]
            used: set[int] = set()
            for g, other in zip(doc.quotes, speakers, strict=True):
                if not g.get("speaker"):
                    continue
                c["named"] += 1
                c["second_agrees"] += agree(other, g["speaker"])
                hit = next((i for i, q in enumerate(analysis.quotes)
                            if i not in used and quotes_match(q.text, g["quote"])), None)
                if hit is None:
                    continue
                used.add(hit)
                predicted = analysis.quotes[hit].speaker
                c["found"] += 1
                c["system_vs_gold"] += agree(predicted, g["speaker"])
                if other:
                    c["found_second_named"] += 1
                    c["system_vs_second"] += agree(predicted, other)
    for lang, c in sorted(counts.items()):
        print(f"{lang}: second reading agrees with the gold on {c['second_agrees']}/{c['named']} "
              f"named speakers ({c['second_agrees'] / c['named']:.3f}); system on found quotations: "
              f"{c['system_vs_gold'] / c['found']:.3f} against the gold, "
              f"{c['system_vs_second'] / c['found_second_named']:.3f} against the second reading")


if __name__ == "__main__":
    main()
