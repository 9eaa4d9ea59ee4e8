"""The seed article (BFMTV, Poutine in Minsk) as an enriched record, for the index/search/API tests.

Entities and quotes come from the gold file, with offsets found in the text, so the record looks
like what the enricher produces without running the NLP models in these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.index.mapping import fold
from pipeline.model import Article, Entity, Quote, article_id_for, utc_now_iso

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold"
SEED_URL = "https://www.bfmtv.com/international/poutine-minsk-loukachenko.html"
SEED_TITLE = "En Biélorussie, Vladimir Poutine promet des \"livraisons d'armes mutuelles\" entre les deux pays"


def seed_article() -> Article:
    gold = json.loads((GOLD / "seed-bfmtv.json").read_text(encoding="utf-8"))
    text = (GOLD / "bfmtv-poutine-minsk.txt").read_text(encoding="utf-8")
    quotes, cursor = [], 0
    for q in gold["quotes"]:
        start = text.find(q["quote"], cursor)
        if start < 0:
            start = text.find(q["quote"])
        cursor = start + 1
        quotes.append(Quote(text=q["quote"], speaker=q["speaker"], start=start, end=start + len(q["quote"]),
                            cue="a déclaré"))
    entities = [Entity(text=e["text"], label=e["label"], count=e.get("min_mentions", 1))
                for e in gold["entities_required"]]
    words = [w.strip(".,;:!?\"()«»") for w in text.split()]
    return Article(
        id=article_id_for(SEED_URL), url=SEED_URL, feed_id="bfmtv-international", feed_name="BFMTV International",
        title=SEED_TITLE, summary="Vladimir Poutine est arrivé en Biélorussie pour rencontrer Alexandre Loukachenko.",
        published_at=utc_now_iso(), text=text, language="fr", entities=entities, quotes=quotes,
        lemmas=" ".join(fold(w) for w in words if w), authors=["BFMTV avec AFP"], tags=["international"],
    )


def filler_article(n: int, lang: str = "en") -> Article:
    url = f"https://news.example.org/{lang}/{n}"
    return Article(
        id=article_id_for(url), url=url, feed_id=f"example-{lang}", feed_name="Example News",
        title=f"Harbour council approves budget number {n}", text=f"The council met on day {n}. " * 20,
        summary="Local news.", published_at=utc_now_iso(), language=lang,
        entities=[Entity("Harbour Council", "ORG", 2), Entity("Springfield", "LOC", 1)],
        quotes=[Quote("We will build it", "Jane Doe", 10, 26, "said")], lemmas=f"council meet day {n}",
    )
