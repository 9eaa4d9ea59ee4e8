"""Training the speaker ranker (ranking.py) on the hand-annotated gold articles.

Each reported quotation that matches a gold quotation gives one row per candidate (every
person and organisation of the article, plus "nobody"); the row of the gold speaker is the
positive one. Quotations whose gold speaker is none of the candidates (the entity step missed
the name) teach nothing and are left out. A logistic regression from scikit-learn (a training-
only dependency: `pip install -e .[train]`) learns the weights; the service only reads them.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.enrich.entities import build_index
from pipeline.enrich.evaluate import GoldDoc, quotes_match, same_speaker
from pipeline.enrich.models import get_model
from pipeline.enrich.quotes import find_quote_spans
from pipeline.enrich.ranking import MODEL_PATH, NOBODY, decide
from pipeline.enrich.speakers import rules_and_features


@dataclass
class Example:
    """One gold-matched quotation: its candidates' features and which one is right."""

    doc_id: str
    lang: str
    rule: int  # the rules' candidate
    gold: int | None  # the gold speaker's candidate (NOBODY for a null speaker), None if absent
    gold_named: bool  # the gold speaker is not null (speaker accuracy counts these)
    rows: list[tuple[int, dict[str, float]]] = field(default_factory=list)


def extract_examples(docs: list[GoldDoc]) -> list[Example]:
    examples: list[Example] = []
    by_lang: dict[str, list[GoldDoc]] = defaultdict(list)
    for d in docs:
        by_lang[d.lang].append(d)
    for lang, lang_docs in by_lang.items():
        nlp = get_model(lang)
        if nlp is None:
            continue
        for gold, doc in zip(lang_docs, nlp.pipe(d.text for d in lang_docs), strict=True):
            examples.extend(_doc_examples(gold, doc, lang))
    return examples


def _doc_examples(gold: GoldDoc, doc: Any, lang: str) -> Iterable[Example]:
    index = build_index(doc)
    text = doc.text
    spans = find_quote_spans(text, lang)
    attributions, features = rules_and_features(doc, spans, index, lang)
    if features is None:
        return
    used = [False] * len(attributions)
    for g in gold.quotes:
        hit = next((i for i, a in enumerate(attributions) if a.keep and not used[i]
                    and quotes_match(text[a.span.start:a.span.end], g["quote"])), None)
        if hit is None:
            continue
        used[hit] = True
        speaker = g.get("speaker")
        if speaker:
            target = next((c for c in features.candidates if same_speaker(index.groups[c].canonical, speaker)), None)
        else:
            target = NOBODY
        yield Example(gold.id, lang, features.rule_groups[hit], target, bool(speaker), features.rows(hit))


def fit(examples: list[Example], c: float = 10.0) -> dict[str, float]:
    """Logistic-regression weights over the rows of the examples that have a gold candidate."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, labels = [], []
    for ex in examples:
        if ex.gold is None:
            continue
        for cand, f in ex.rows:
            feats.append(f)
            labels.append(int(cand == ex.gold))
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, labels)
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    weights["bias"] = round(float(model.intercept_[0]), 4)
    return weights


def accuracy(examples: list[Example], weights: dict[str, float] | None) -> tuple[int, int]:
    """(correct, total) over examples with a named gold speaker; None weights = the rules."""
    correct = total = 0
    for ex in examples:
        if not ex.gold_named:
            continue
        total += 1
        chosen = ex.rule if weights is None else decide(ex.rows, ex.rule, weights)
        correct += ex.gold is not None and chosen == ex.gold
    return correct, total


def cross_validate(examples: list[Example], folds: int = 5, seed: int = 0, c: float = 10.0) -> dict[str, Any]:
    """Rules vs ranker on held-out folds of articles, per language."""
    report: dict[str, Any] = {}
    for lang in sorted({ex.lang for ex in examples}):
        lang_ex = [ex for ex in examples if ex.lang == lang]
        ids = sorted({ex.doc_id for ex in lang_ex})
        random.Random(seed).shuffle(ids)
        fold_of = {doc_id: i % folds for i, doc_id in enumerate(ids)}
        rules = ranker = total = 0
        for k in range(folds):
            train = [ex for ex in lang_ex if fold_of[ex.doc_id] != k]
            test = [ex for ex in lang_ex if fold_of[ex.doc_id] == k]
            weights = fit(train, c)
            r, t = accuracy(test, None)
            m, _ = accuracy(test, weights)
            rules, ranker, total = rules + r, ranker + m, total + t
        report[lang] = {"quotes": total, "rules": round(rules / total, 4), "ranker": round(ranker / total, 4)}
    return report


def train(examples: list[Example], c: float = 10.0, path: Path = MODEL_PATH,
          splits: list[str] | None = None) -> dict[str, Any]:
    """Fit one model per language on all examples and write them to `path`."""
    model: dict[str, Any] = {"weights": {}, "trained_on": {}, "splits": splits or [], "c": c}
    for lang in sorted({ex.lang for ex in examples}):
        lang_ex = [ex for ex in examples if ex.lang == lang]
        model["weights"][lang] = fit(lang_ex, c)
        model["trained_on"][lang] = {"articles": len({ex.doc_id for ex in lang_ex}), "quotes": len(lang_ex)}
    path.write_text(json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return model
