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
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.enrich.analyse import analyse_texts  # noqa: E402
from pipeline.enrich.evaluate import Score, load_gold, score_document  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"
SECOND = ROOT / "tests" / "data" / "agreement"


def main() -> None:
    # per language, scored by the scorer `depeche evaluate` uses: the second reading against the
    # gold, the system against the gold, and the system against the second reading
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for second_path in sorted(SECOND.glob("*.second.json")):
        gold_docs = load_gold(GOLD / second_path.name.replace(".second", ""))
        second = {entry["id"]: entry["speakers"] for entry in json.loads(second_path.read_text(encoding="utf-8"))}
        analyses = analyse_texts([(d.text, d.lang) for d in gold_docs])
        for doc, analysis in zip(gold_docs, analyses, strict=True):
            speakers = second[doc.id]
            if len(speakers) != len(doc.quotes):
                raise SystemExit(f"{second_path.name}: {doc.id} has {len(speakers)} speakers "
                                 f"for {len(doc.quotes)} quotations")
            second_quotes = [{"text": g["quote"], "speaker": s} for g, s in zip(doc.quotes, speakers, strict=True)]
            # the second reading as gold, on the quotations the gold names a speaker for
            second_doc = replace(doc, quotes=[{**g, "speaker": s if g.get("speaker") else None}
                                              for g, s in zip(doc.quotes, speakers, strict=True)])
            system_quotes = [{"text": q.text, "speaker": q.speaker} for q in analysis.quotes]
            s = scores[doc.lang]
            s["second_vs_gold"].add(score_document(doc, second_quotes, []))
            s["system_vs_gold"].add(score_document(doc, system_quotes, []))
            s["system_vs_second"].add(score_document(second_doc, system_quotes, []))
    for lang, s in sorted(scores.items()):
        agreed = s["second_vs_gold"]
        print(f"{lang}: second reading agrees with the gold on {agreed.speaker_correct}/{agreed.speaker_total} "
              f"named speakers ({agreed.speaker_accuracy:.3f}); system on found quotations: "
              f"{s['system_vs_gold'].speaker_accuracy:.3f} against the gold, "
              f"{s['system_vs_second'].speaker_accuracy:.3f} against the second reading")


if __name__ == "__main__":
    main()
